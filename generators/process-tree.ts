import fc from 'fast-check';
import { describeHashes, findEntry, selectEntries, type CatalogEntry, type Selector } from './catalog/index.js';
import { commandLineParts, composeCommandLine, fillCommandLine } from './command-lines.js';
import { extractFileName, pathVariant, type PathVariantOptions } from './paths.js';
import { describeAccount, describeComputer, describeGuid, readNumber, readText, readTime, type TaxonomyFields } from './taxonomy.js';
import { formatIsoSeconds, millisecondsOf } from './iso-time.js';
import {
  SYSTEM,
  accountDraft,
  computer,
  extractSqlInstance,
  formatAccountName,
  formatComputerName,
  formatLogonId,
  resolveAccount,
  type Account,
  type AccountDraft,
  type Computer,
} from './users.js';

/**
 * Whole Windows process trees: a root (say a web server) started by its usual launcher, its children
 * (say shells), their children, with the consistency Windows gives them: unique pids that are multiples
 * of 4, each child's ppid its parent's pid, start times increasing down the tree, children running as
 * their parent's account in their parent's folder. `processCreations` lists the trees' process-creation
 * events in Sigma taxonomy field names.
 */

/** One process as an arbitrary picks it, before the tree gives it a pid, a start time and an account. */
export interface ProcessDraft {
  /** Catalogue name of the program. */
  readonly entry: string;
  /** The catalogue install location it runs from. */
  readonly installPath: string;
  /** That location spelled as the event shows it (case, 8.3 names, prefixes). */
  readonly image: string;
  /** Command-line template; {pid}, {ppid}, {apppool}, {instance} are filled in by the tree. */
  readonly commandLine: string;
  /** The process that starts it when it is a tree's root. */
  readonly launcher?: ProcessDraft;
}

/** Options for `processOf`. */
export interface ProcessOptions extends PathVariantOptions {
  /** Also pick the process's usual launcher (its catalogue `launchedBy`), for use as a tree's root. */
  readonly launcher?: boolean;
}

const draftCache = new Map<string, fc.Arbitrary<ProcessDraft>>();

function describeOptionsKey(options: ProcessOptions): string {
  return [options.casing ?? true, options.shortNames ?? true, options.prefixes ?? true, options.launcher ?? false].join('|');
}

// One of several arbitraries, shrinking towards the first (fc.oneof needs cross-shrinking for that).
function chooseAmong<T>(arbitraries: readonly fc.Arbitrary<T>[]): fc.Arbitrary<T> {
  const [only] = arbitraries;
  return arbitraries.length === 1 && only !== undefined ? only : fc.oneof({ withCrossShrink: true }, ...arbitraries);
}

function entryDraft(entry: CatalogEntry, options: ProcessOptions): fc.Arbitrary<ProcessDraft> {
  const key = `${entry.name}|${describeOptionsKey(options)}`;
  const cached = draftCache.get(key);
  if (cached !== undefined) return cached;
  const perPath = entry.paths.map((installPath) =>
    // A renamed copy is started as its original is, under its own file name.
    fc.tuple(pathVariant(installPath, options), commandLineParts(entry.renamedFrom ?? entry.name)).map(
      ([image, parts]): ProcessDraft => ({
        entry: entry.name,
        installPath,
        image,
        commandLine: composeCommandLine(image, parts),
      }),
    ),
  );
  let draft = chooseAmong(perPath);
  const launchers = (entry.launchedBy ?? []).map((name) => findEntry(name)).filter((found) => found !== undefined);
  if (options.launcher === true && launchers.length > 0) {
    const launcherOptions = { ...options, launcher: false };
    const launcher = chooseAmong(launchers.map((found) => entryDraft(found, launcherOptions)));
    draft = fc.tuple(draft, launcher).map(([process, parent]) => ({ ...process, launcher: parent }));
  }
  draftCache.set(key, draft);
  return draft;
}

/**
 * A process of one of the catalogue entries the selector picks, installed at one of its real locations
 * (spelled in any of the ways `pathVariant` allows), with a command line typical for it.
 */
export function processOf(selector: Selector, options: ProcessOptions = {}): fc.Arbitrary<ProcessDraft> {
  return chooseAmong(selectEntries(selector).map((entry) => entryDraft(entry, options)));
}

function selectNamesOr(names: readonly string[] | undefined, selector: Selector): Selector {
  return names === undefined ? selector : { names };
}

/** A web server (tag web-server) with its launcher, or one of the named entries. */
export function webServer(names?: readonly string[], options: PathVariantOptions = {}): fc.Arbitrary<ProcessDraft> {
  return processOf(selectNamesOr(names, { tags: ['web-server'] }), { ...options, launcher: true });
}

/** A shell, discovery or download tool (tags shell, recon, download), or one of the named entries. */
export function shellOrRecon(names?: readonly string[], options: PathVariantOptions = {}): fc.Arbitrary<ProcessDraft> {
  return processOf(selectNamesOr(names, { tags: ['shell', 'recon', 'download'] }), options);
}

/** A process web servers start for legitimate reasons (tag benign-child), or one of the named entries. */
export function benignChild(names?: readonly string[], options: PathVariantOptions = {}): fc.Arbitrary<ProcessDraft> {
  return processOf(selectNamesOr(names, { tags: ['benign-child'] }), options);
}

/** An ordinary Windows process with its launcher (tag background), or one of the named entries. */
export function backgroundProcess(
  names?: readonly string[],
  options: PathVariantOptions = {},
): fc.Arbitrary<ProcessDraft> {
  return processOf(selectNamesOr(names, { tags: ['background'] }), { ...options, launcher: true });
}

/** What a tree looks like: which processes sit at the root, below it, and how deep and wide it grows. */
export interface ProcessTreeShape {
  readonly root: fc.Arbitrary<ProcessDraft>;
  /** The root's children; without it the tree is the root alone. */
  readonly children?: fc.Arbitrary<ProcessDraft>;
  /** Processes below the root's children; default: the same as `children`. */
  readonly descendants?: fc.Arbitrary<ProcessDraft>;
  /** Levels below the root: 1 (default when there are children) is root and children only. */
  readonly depth?: number;
  /** Children of the root, at least; default 1. Deeper processes have 0 or more. */
  readonly minChildren?: number;
  /** Children of any process, at most; default 3. */
  readonly maxChildren?: number;
}

/** A process of a generated tree, with everything its events need. */
export interface ProcessInfo {
  readonly entry: string;
  readonly installPath: string;
  readonly image: string;
  readonly commandLine: string;
  readonly pid: number;
  /** Sysmon's ProcessGuid, lower case in braces. */
  readonly guid: string;
  /** Start time, milliseconds since the Unix epoch. */
  readonly startMs: number;
  readonly account: Account;
  /** The current directory, with a trailing backslash as Sysmon writes it. */
  readonly currentDirectory: string;
}

/** A process of a tree with the processes it started. */
export interface ProcessNode extends ProcessInfo {
  readonly children: readonly ProcessNode[];
}

/** A generated process tree on one host. */
export interface ProcessTree {
  readonly computer: Computer;
  /** The process that started the root; it existed before the tree, so it has no creation event. */
  readonly launcher: ProcessInfo;
  readonly root: ProcessNode;
}

interface DraftNode {
  readonly draft: ProcessDraft;
  readonly pidStep: number;
  readonly timeStep: number;
  readonly children: readonly DraftNode[];
}

// Pids are 4 * (2 + (start + steps so far) mod PID_SLOTS): unique while the steps sum below PID_SLOTS.
// Steps are at most MAX_PID_STEP and trees at most MAX_TREE_SIZE processes, so they always do; the
// modulo lets a child's pid be lower than its parent's, as pid reuse makes it on real hosts.
const PID_SLOTS = 16383;
const MAX_PID_STEP = 63;
const MAX_TREE_SIZE = Math.floor((PID_SLOTS - 1) / MAX_PID_STEP);
const FIRST_TIME = Date.UTC(2019, 0, 1);
const LAST_TIME = Date.UTC(2030, 0, 1);
const DEFAULT_DIRECTORY = 'C:\\Windows\\system32\\';

function levelOf(
  draft: fc.Arbitrary<ProcessDraft>,
  below: fc.Arbitrary<ProcessDraft>,
  levels: number,
  minLength: number,
  maxLength: number,
): fc.Arbitrary<DraftNode[]> {
  if (levels <= 0) return fc.constant([]);
  const node: fc.Arbitrary<DraftNode> = fc.record({
    draft,
    pidStep: fc.integer({ min: 1, max: MAX_PID_STEP }),
    timeStep: fc.integer({ min: 1, max: 5000 }),
    children: levelOf(below, below, levels - 1, 0, maxLength),
  });
  return fc.array(node, { minLength, maxLength });
}

// The launcher, the root, and up to maxChildren^level processes on each level below.
function countMaxProcesses(depth: number, maxChildren: number): number {
  let total = 2;
  let width = 1;
  for (let level = 1; level <= depth; level++) {
    width *= maxChildren;
    total += width;
  }
  return total;
}

// Sysmon's GUIDs start with a per-host value; a stable hash of the host name stands in for it.
function computeHostTag(hostName: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < hostName.length; i++) hash = Math.imul(hash ^ hostName.charCodeAt(i), 0x01000193);
  return (hash >>> 0).toString(16).padStart(8, '0');
}

function hex(value: number, digits: number): string {
  return (value >>> 0).toString(16).padStart(digits, '0').slice(-digits);
}

// Sysmon ProcessGuid: host tag, the process start time in seconds (low then high 16 bits), then a
// per-process sequence; the pid stands in for the sequence, which keeps GUIDs unique within a tree.
function formatProcessGuid(hostTag: string, startMs: number, pid: number): string {
  const seconds = Math.floor(startMs / 1000);
  return `{${hostTag}-${hex(seconds & 0xffff, 4)}-${hex(seconds >>> 16, 4)}-${hex(pid >>> 2, 4)}-${hex(pid, 8)}0000}`;
}

// Sysmon LogonGuid: host tag, logon time, then the logon id's bytes little-endian ({...-e703-000000000000}
// for 0x3e7).
function formatLogonGuid(hostTag: string, logonMs: number, logonId: number): string {
  const seconds = Math.floor(logonMs / 1000);
  const [b0, b1, b2, b3] = [0, 8, 16, 24].map((shift) => hex((logonId >>> shift) & 0xff, 2));
  return `{${hostTag}-${hex(seconds & 0xffff, 4)}-${hex(seconds >>> 16, 4)}-${b0}${b1}-${b2}${b3}00000000}`;
}

const FALLBACK_LAUNCHER: ProcessDraft = {
  entry: 'explorer.exe',
  installPath: 'C:\\Windows\\explorer.exe',
  image: 'C:\\Windows\\explorer.exe',
  commandLine: 'C:\\Windows\\Explorer.EXE',
};

interface TreeChoices {
  readonly computer: Computer;
  readonly account: AccountDraft;
  /** Which of the root entry's `runsAs` kinds, and which of its working directories (modulo their count). */
  readonly kindPick: number;
  readonly directoryPick: number;
  readonly pidStart: number;
  readonly startMs: number;
  readonly launcherAgeMs: number;
  readonly root: DraftNode;
}

function buildTree(choices: TreeChoices): ProcessTree {
  const host = choices.computer;
  const hostTag = computeHostTag(host.hostName);
  const rootDraft = choices.root.draft;
  const rootEntry = findEntry(rootDraft.entry);
  const kinds = rootEntry?.runsAs ?? ['user'];
  const kind = kinds[choices.kindPick % kinds.length] ?? 'user';
  const rootAccount = resolveAccount(kind, choices.account, host, rootDraft.installPath);
  const directories = rootEntry?.workingDirectories ?? [DEFAULT_DIRECTORY];
  const rootDirectory = directories[choices.directoryPick % directories.length] ?? DEFAULT_DIRECTORY;
  const launcherDraft = rootDraft.launcher ?? FALLBACK_LAUNCHER;
  const launcherIsSystem = findEntry(launcherDraft.entry)?.roles.includes('service-host') ?? false;
  const launcherAccount = launcherIsSystem ? SYSTEM : rootAccount;
  let cumulative = 0;
  const nextPid = (step: number) => {
    cumulative += step;
    return 4 * (2 + ((choices.pidStart + cumulative) % PID_SLOTS));
  };
  const launcherStart = choices.startMs - choices.launcherAgeMs;
  const launcherPid = nextPid(0);
  const launcher: ProcessInfo = {
    entry: launcherDraft.entry,
    installPath: launcherDraft.installPath,
    image: launcherDraft.image,
    commandLine: fillCommandLine(launcherDraft.commandLine, {
      pid: launcherPid,
      parentPid: 4,
      appPool: choices.account.pool,
      instance: extractSqlInstance(launcherDraft.installPath),
    }),
    pid: launcherPid,
    guid: formatProcessGuid(hostTag, launcherStart, launcherPid),
    startMs: launcherStart,
    account: launcherAccount,
    currentDirectory: DEFAULT_DIRECTORY,
  };
  let time = choices.startMs;
  const build = (
    node: DraftNode,
    parent: ProcessInfo,
    account: Account,
    directory: string,
    first: boolean,
  ): ProcessNode => {
    const pid = nextPid(node.pidStep);
    if (!first) time += node.timeStep;
    const startMs = time;
    const info: ProcessInfo = {
      entry: node.draft.entry,
      installPath: node.draft.installPath,
      image: node.draft.image,
      commandLine: fillCommandLine(node.draft.commandLine, {
        pid,
        parentPid: parent.pid,
        appPool: choices.account.pool,
        // The install folder names the instance; a short-name spelling of the image would hide it.
        instance: extractSqlInstance(node.draft.installPath),
      }),
      pid,
      guid: formatProcessGuid(hostTag, startMs, pid),
      startMs,
      account,
      currentDirectory: directory,
    };
    // Pre-order, so every process starts after its parent and after the subtrees of earlier siblings.
    const children = node.children.map((child) => build(child, info, account, directory, false));
    return { ...info, children };
  };
  const root = build(choices.root, launcher, rootAccount, rootDirectory, true);
  return { computer: host, launcher, root };
}

/**
 * Process trees of a shape, e.g. `processTree({ root: webServer(), children: shellOrRecon(), depth: 2 })`.
 * Everything shrinks towards a small tree of first catalogue entries at their canonical paths.
 */
export function processTree(shape: ProcessTreeShape): fc.Arbitrary<ProcessTree> {
  const depth = shape.children === undefined ? 0 : shape.depth ?? 1;
  const maxChildren = shape.maxChildren ?? 3;
  const minChildren = Math.min(shape.minChildren ?? 1, maxChildren);
  if (!Number.isInteger(depth) || depth < 0 || !Number.isInteger(maxChildren) || maxChildren < 0) {
    throw new Error(`processTree needs a whole depth and maxChildren, got ${depth} and ${maxChildren}`);
  }
  if (countMaxProcesses(depth, maxChildren) > MAX_TREE_SIZE) {
    throw new Error(
      `processTree of depth ${depth} with ${maxChildren} children each exceeds ${MAX_TREE_SIZE} processes`,
    );
  }
  const children =
    shape.children === undefined
      ? fc.constant([])
      : levelOf(shape.children, shape.descendants ?? shape.children, depth, minChildren, maxChildren);
  const root: fc.Arbitrary<DraftNode> = fc.record({
    draft: shape.root,
    pidStep: fc.integer({ min: 1, max: MAX_PID_STEP }),
    timeStep: fc.constant(0),
    children,
  });
  return fc
    .record({
      computer,
      account: accountDraft,
      kindPick: fc.nat({ max: 5 }),
      directoryPick: fc.nat({ max: 5 }),
      pidStart: fc.integer({ min: 0, max: PID_SLOTS - 1 }),
      startMs: fc.integer({ min: FIRST_TIME, max: LAST_TIME }),
      launcherAgeMs: fc.integer({ min: 1000, max: 86_400_000 }),
      root,
    })
    .map(buildTree);
}

/** A process-creation space of a scenario spec, as data: which processes sit where in the tree. */
export interface TreeSpec {
  /** The roots, e.g. `{ tags: ['web-server'] }`; each comes with its usual launcher. */
  readonly parents: Selector;
  /** The roots' children, e.g. `{ names: ['cmd.exe', 'whoami.exe'] }`; none when absent. */
  readonly children?: Selector;
  /** Below the children; default the same selection as children. */
  readonly descendants?: Selector;
  readonly depth?: number;
  readonly minChildren?: number;
  readonly maxChildren?: number;
  /** Which path spellings to use; default all. */
  readonly paths?: PathVariantOptions;
}

/** The trees of a spec space: `processTree` over `processOf` its selectors (selectors are checked, see `describeSelectorProblems`). */
export function treeFromSpec(spec: TreeSpec): fc.Arbitrary<ProcessTree> {
  const paths = spec.paths ?? {};
  return processTree({
    root: processOf(spec.parents, { ...paths, launcher: true }),
    ...(spec.children === undefined ? {} : { children: processOf(spec.children, paths) }),
    ...(spec.descendants === undefined ? {} : { descendants: processOf(spec.descendants, paths) }),
    ...(spec.depth === undefined ? {} : { depth: spec.depth }),
    ...(spec.minChildren === undefined ? {} : { minChildren: spec.minChildren }),
    ...(spec.maxChildren === undefined ? {} : { maxChildren: spec.maxChildren }),
  });
}

/** A process of a tree in pre-order with its parent and its depth (0 for the root). */
export interface ListedProcess {
  readonly process: ProcessNode;
  readonly parent: ProcessInfo;
  readonly depth: number;
}

/** The tree's processes in pre-order (which is start-time order), each with its parent. */
export function listProcesses(tree: ProcessTree): ListedProcess[] {
  const listed: ListedProcess[] = [];
  const visit = (process: ProcessNode, parent: ProcessInfo, depth: number) => {
    listed.push({ process, parent, depth });
    for (const child of process.children) visit(child, process, depth + 1);
  };
  visit(tree.root, tree.launcher, 0);
  return listed;
}

/** Sigma taxonomy fields of a process_creation event (Sysmon EventID 1 names), in Sysmon's order. */
export const PROCESS_CREATION_FIELDS = [
  'UtcTime',
  'ProcessGuid',
  'ProcessId',
  'Image',
  'FileVersion',
  'Description',
  'Product',
  'Company',
  'OriginalFileName',
  'CommandLine',
  'CurrentDirectory',
  'User',
  'LogonGuid',
  'LogonId',
  'TerminalSessionId',
  'IntegrityLevel',
  'Hashes',
  'ParentProcessGuid',
  'ParentProcessId',
  'ParentImage',
  'ParentCommandLine',
  'ParentUser',
  'Computer',
] as const;

/** A Sigma process_creation field name. */
export type ProcessCreationField = (typeof PROCESS_CREATION_FIELDS)[number];

/** What an event knows beyond its Sigma fields: the accounts behind them, the tree position, the catalogue names. */
export interface CreationContext {
  readonly timeMs: number;
  /** 0 for the root (started by the launcher), 1 for its children, and so on. */
  readonly depth: number;
  readonly entry: string;
  readonly parentEntry: string;
  readonly installPath: string;
  readonly account: Account;
  readonly parentAccount: Account;
  readonly computer: Computer;
}

/** One process-creation event in Sigma taxonomy names, plus the context renderers need. */
export type ProcessCreation = {
  readonly [K in ProcessCreationField]: K extends 'ProcessId' | 'ParentProcessId' | 'TerminalSessionId'
    ? number
    : string;
} & { readonly context: CreationContext };

const MICROSOFT_FILE_VERSION = '10.0.20348.1 (WinBuild.160101.0800)';

/** Sysmon's UtcTime: "2019-05-12 13:30:32.916". */
export function formatUtcTime(ms: number): string {
  return `${formatIsoSeconds(ms).replace('T', ' ')}.${String(millisecondsOf(ms)).padStart(3, '0')}`;
}

/** The process-creation events of a tree in start-time order: the root's (parent: the launcher), then every descendant's. */
export function processCreations(tree: ProcessTree): ProcessCreation[] {
  const computerName = formatComputerName(tree.computer);
  const hostTag = computeHostTag(tree.computer.hostName);
  // Logon sessions of services begin at boot, a while before the launcher; people's sessions likewise.
  const logonMs = tree.launcher.startMs - 3_600_000;
  return listProcesses(tree).map(({ process, parent, depth }) => {
    const entry = findEntry(process.entry);
    const pe = entry?.pe;
    const fileVersion = pe?.fileVersion ?? (pe?.company === 'Microsoft Corporation' ? MICROSOFT_FILE_VERSION : '-');
    return {
      UtcTime: formatUtcTime(process.startMs),
      ProcessGuid: process.guid,
      ProcessId: process.pid,
      Image: process.image,
      FileVersion: fileVersion,
      Description: pe?.description ?? '-',
      Product: pe?.product ?? '-',
      Company: pe?.company ?? '-',
      OriginalFileName: pe?.originalFileName ?? '-',
      CommandLine: process.commandLine,
      CurrentDirectory: process.currentDirectory,
      User: formatAccountName(process.account),
      LogonGuid: formatLogonGuid(hostTag, logonMs, process.account.logonId),
      LogonId: formatLogonId(process.account.logonId),
      TerminalSessionId: process.account.terminalSessionId,
      IntegrityLevel: process.account.integrityLevel,
      // The same file has the same hashes whichever spelling or name starts it.
      Hashes: describeHashes(entry, process.installPath),
      ParentProcessGuid: parent.guid,
      ParentProcessId: parent.pid,
      ParentImage: parent.image,
      ParentCommandLine: parent.commandLine,
      ParentUser: formatAccountName(parent.account),
      Computer: computerName,
      context: {
        timeMs: process.startMs,
        depth,
        entry: process.entry,
        parentEntry: parent.entry,
        installPath: process.installPath,
        account: process.account,
        parentAccount: parent.account,
        computer: tree.computer,
      },
    };
  });
}

/**
 * A process creation from Sigma taxonomy fields (a golden YAML event), for the renderers: what the
 * fields give is kept as written; what they leave out is filled as Windows would fill it (the version
 * resource and hashes of a catalogue program named by Image, the account behind User, stable ids and
 * times from the event's position). Image is required.
 */
export function describeTaxonomyCreation(fields: TaxonomyFields, index: number): ProcessCreation {
  const image = readText(fields, 'Image');
  if (image === undefined) throw new Error('a process creation needs an Image');
  const entry = findEntry(extractFileName(image));
  const pe = entry?.pe;
  const parentImage = readText(fields, 'ParentImage') ?? 'C:\\Windows\\explorer.exe';
  const computerName = readText(fields, 'Computer');
  const host = describeComputer(computerName);
  const user = readText(fields, 'User');
  const account = describeAccount(user, readNumber(fields, 'LogonId'));
  const parentAccount = describeAccount(readText(fields, 'ParentUser') ?? user, readNumber(fields, 'LogonId'));
  const timeMs = readTime(fields);
  const pid = readNumber(fields, 'ProcessId') ?? 4000 + index * 8;
  const parentPid = readNumber(fields, 'ParentProcessId') ?? 3000 + index * 8;
  const text = (name: ProcessCreationField, fallback: string): string => readText(fields, name) ?? fallback;
  const fileVersion = pe?.fileVersion ?? (pe?.company === 'Microsoft Corporation' ? MICROSOFT_FILE_VERSION : '-');
  return {
    UtcTime: formatUtcTime(timeMs),
    ProcessGuid: text('ProcessGuid', describeGuid(`process ${index} ${image}`)),
    ProcessId: pid,
    Image: image,
    FileVersion: text('FileVersion', fileVersion),
    Description: text('Description', pe?.description ?? '-'),
    Product: text('Product', pe?.product ?? '-'),
    Company: text('Company', pe?.company ?? '-'),
    OriginalFileName: text('OriginalFileName', pe?.originalFileName ?? '-'),
    CommandLine: text('CommandLine', /\s/.test(image) ? `"${image}"` : image),
    CurrentDirectory: text('CurrentDirectory', DEFAULT_DIRECTORY),
    User: formatAccountName(account),
    LogonGuid: text('LogonGuid', describeGuid(`logon ${account.sid}`)),
    LogonId: formatLogonId(account.logonId),
    TerminalSessionId: readNumber(fields, 'TerminalSessionId') ?? account.terminalSessionId,
    IntegrityLevel: text('IntegrityLevel', account.integrityLevel),
    Hashes: text('Hashes', entry === undefined ? '-' : describeHashes(entry, entry.paths[0] ?? image)),
    ParentProcessGuid: text('ParentProcessGuid', describeGuid(`parent ${index} ${parentImage}`)),
    ParentProcessId: parentPid,
    ParentImage: parentImage,
    ParentCommandLine: text('ParentCommandLine', /\s/.test(parentImage) ? `"${parentImage}"` : parentImage),
    ParentUser: formatAccountName(parentAccount),
    Computer: computerName ?? formatComputerName(host),
    context: {
      timeMs,
      depth: 1,
      entry: entry?.name ?? extractFileName(image).toLowerCase(),
      parentEntry: extractFileName(parentImage).toLowerCase(),
      installPath: image,
      account,
      parentAccount,
      computer: host,
    },
  };
}
