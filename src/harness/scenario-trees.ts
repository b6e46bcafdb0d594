/**
 * Generated process trees for the spaces of a scenario spec, with the ground truth of every process:
 * its identity (a catalogue entry name, or a variant name when the spec turned the process into a
 * variant). Variants are applied to a tree the generators built from catalogue entries: a look-alike
 * file name, other arguments, or an IIS application pool (the pool's command line and account, which
 * the process's descendants inherit). Membership in a space is decided on these identities only.
 */
import fc from 'fast-check';
import { extractFileName } from '../../generators/paths.js';
import {
  processCreations,
  processOf,
  processTree,
  type ProcessCreation,
  type ProcessNode,
  type ProcessTree,
} from '../../generators/process-tree.js';
import { renderAs, type RenderingFormat } from '../../generators/render/renderings.js';
import { convertFlatJson } from '../../generators/render/flat-json.js';
import { createAppPoolAccount, type Account } from '../../generators/users.js';
import type { ActivityEvent, ResolvedSelection as ResolvedSelector, ScenarioEvent as ActivityScenarioEvent, ScenarioSample, SpaceSelections, SpaceShape } from './activities/activity.js';
import { ACTIVITIES } from './activities/registry.js';
import { listKeys, resolveSpace, type ScenarioSpace, type ScenarioSpec, type ScenarioVariant, type SpaceKind } from './scenario-spec.js';

/** A generated tree and the identity of each of its processes, by process id (ids are unique in a tree). */
export interface ScenarioTree {
  readonly tree: ProcessTree;
  readonly identities: ReadonlyMap<number, string>;
}

/** A process-creation event of a scenario tree with the identities of the process and its parent. */
export interface ScenarioEvent extends ActivityScenarioEvent {
  readonly creation: ProcessCreation;
  readonly identity: string;
  readonly parentIdentity: string;
}

/** A process creation as an activity event: its taxonomy fields and its 8 renderings. */
export function describeCreationEvent(creation: ProcessCreation): ActivityEvent {
  let fields: Readonly<Record<string, string | number>> | undefined;
  return {
    get fields() {
      return (fields ??= convertFlatJson(creation));
    },
    render: (format) => renderAs(creation, format as RenderingFormat),
  };
}

const DEFAULT_MAX_CHILDREN = 3;

function countMaxProcesses(depth: number, maxChildren: number): number {
  let total = 1;
  let width = 1;
  for (let level = 1; level <= depth; level++) {
    width *= maxChildren;
    total += width;
  }
  return total;
}

// The catalogue entries to generate a level from: the selected entries and the entries variants derive from.
function listGeneratedNames(resolved: ResolvedSelector): string[] {
  return [...new Set([...resolved.entries.map((entry) => entry.name), ...resolved.variants.map((variant) => variant.of.toLowerCase())])];
}

// What a process of catalogue entry `entry` can become on a level: itself when selected, or a variant of it.
function listOptions(entry: string, resolved: ResolvedSelector): (ScenarioVariant | undefined)[] {
  const options: (ScenarioVariant | undefined)[] = resolved.ids.has(entry) ? [undefined] : [];
  for (const variant of resolved.variants) if (variant.of.toLowerCase() === entry) options.push(variant);
  return options;
}

/** argv[0] of a command line: the quoted program, or everything up to the first blank. */
function extractArgv0(commandLine: string): string {
  if (commandLine.startsWith('"')) {
    const end = commandLine.indexOf('"', 1);
    return end === -1 ? commandLine : commandLine.slice(0, end + 1);
  }
  const blank = commandLine.search(/[ \t]/);
  return blank === -1 ? commandLine : commandLine.slice(0, blank);
}

function replaceLastSegment(path: string, name: string): string {
  return `${path.slice(0, path.lastIndexOf('\\') + 1)}${name}`;
}

function replaceIgnoringCase(text: string, search: string, replacement: string): string | undefined {
  const at = text.toLowerCase().lastIndexOf(search.toLowerCase());
  return at === -1 ? undefined : `${text.slice(0, at)}${replacement}${text.slice(at + search.length)}`;
}

// Renames the program in argv[0], whether it is written as a path, a file name or a bare name.
function renameArgv0(commandLine: string, oldName: string, newName: string): string {
  const argv0 = extractArgv0(commandLine);
  const rest = commandLine.slice(argv0.length);
  const stem = (name: string) => name.replace(/\.exe$/i, '');
  const renamed = replaceIgnoringCase(argv0, oldName, newName) ?? replaceIgnoringCase(argv0, stem(oldName), stem(newName)) ?? argv0;
  return `${renamed}${rest}`;
}

interface AccountSwap {
  readonly from: Account;
  readonly to: Account;
}

/** Turns one process into a variant; an application pool also changes the account its descendants inherit. */
function applyVariant(node: ProcessNode, variant: ScenarioVariant, pick: number): { node: ProcessNode; swap?: AccountSwap } {
  let changed: ProcessNode = node;
  if (variant.fileName !== undefined) {
    changed = {
      ...changed,
      // Another program: no catalogue entry, so no version strings of the original.
      entry: variant.name,
      image: replaceLastSegment(changed.image, variant.fileName),
      installPath: replaceLastSegment(changed.installPath, variant.fileName),
      commandLine: renameArgv0(changed.commandLine, extractFileName(changed.image), variant.fileName),
    };
  }
  if (variant.arguments !== undefined && variant.arguments.length > 0) {
    const args = variant.arguments[pick % variant.arguments.length] ?? '';
    const argv0 = extractArgv0(changed.commandLine);
    changed = { ...changed, commandLine: args === '' ? argv0 : `${argv0} ${args}` };
  }
  if (variant.appPool === undefined) return { node: changed };
  const pool = variant.appPool;
  // IIS starts w3wp.exe with -ap "<pool>" and the pool's config file; both name the pool.
  const current = /-ap "([^"]*)"/.exec(changed.commandLine)?.[1];
  const commandLine = current === undefined || current === '' ? changed.commandLine : changed.commandLine.split(current).join(pool);
  const logonId = node.account.kind === 'app-pool' ? node.account.logonId : 0x10000 + node.pid;
  const account = createAppPoolAccount(pool, logonId);
  return { node: { ...changed, commandLine, account }, swap: { from: node.account, to: account } };
}

/** Applies the variants a tree's levels select, in pre-order, with one pick per process. */
function applyVariants(tree: ProcessTree, picks: readonly number[], levels: readonly ResolvedSelector[]): ScenarioTree {
  const identities = new Map<number, string>([[tree.launcher.pid, tree.launcher.entry]]);
  let index = 0;
  const visit = (node: ProcessNode, level: number, inherited: AccountSwap | undefined): ProcessNode => {
    const pick = picks[index++] ?? 0;
    const resolved = levels[Math.min(level, levels.length - 1)];
    let current: ProcessNode = inherited !== undefined && node.account === inherited.from ? { ...node, account: inherited.to } : node;
    let swap = inherited;
    let identity = node.entry;
    const options = resolved === undefined ? [undefined] : listOptions(node.entry, resolved);
    const variant = options[pick % Math.max(options.length, 1)];
    if (variant !== undefined) {
      const applied = applyVariant(current, variant, Math.floor(pick / Math.max(options.length, 1)));
      current = applied.node;
      swap = applied.swap ?? swap;
      identity = variant.name;
    }
    identities.set(current.pid, identity);
    // Children inherit their parent's account object; a swapped pool account follows them down.
    const children = node.children.map((child) => visit(child, level + 1, swap));
    return { ...current, children };
  };
  const root = visit(tree.root, 0, undefined);
  return { tree: { ...tree, root }, identities };
}

/**
 * The trees of one space: roots from its parents, their children from its children, deeper processes
 * from its descendants (default: the children), each process turned into a selected variant or kept.
 * Shrinks like the generators' trees, and towards keeping catalogue processes as they are.
 */
export function scenarioTree(space: ScenarioSpace, variants: readonly ScenarioVariant[]): fc.Arbitrary<ScenarioTree> {
  return processScenarioTree(resolveSpace(space, { activity: ACTIVITIES.process_creation, variants }), space);
}

/** The trees of resolved selections (parents, children, descendants) of the given shape. */
export function processScenarioTree(selections: SpaceSelections, space: SpaceShape): fc.Arbitrary<ScenarioTree> {
  const parents = selections.parents;
  if (parents === undefined) throw new Error('a process tree needs parents');
  const children = selections.children;
  const descendants = selections.descendants ?? children;
  const depth = children === undefined ? 0 : space.depth ?? 1;
  const maxChildren = space.maxChildren ?? DEFAULT_MAX_CHILDREN;
  const levels = [parents, ...(children === undefined ? [] : [children]), ...(descendants === undefined ? [] : [descendants])];
  const trees = processTree({
    root: processOf({ names: listGeneratedNames(parents) }, { launcher: true }),
    ...(children === undefined ? {} : { children: processOf({ names: listGeneratedNames(children) }) }),
    ...(descendants === undefined || children === undefined ? {} : { descendants: processOf({ names: listGeneratedNames(descendants) }) }),
    depth,
    maxChildren,
    ...(space.minChildren === undefined ? {} : { minChildren: space.minChildren }),
  });
  const usesVariants = levels.some((level) => level.variants.length > 0);
  if (!usesVariants) return trees.map((tree) => applyVariants(tree, [], levels));
  const size = countMaxProcesses(depth, maxChildren);
  const picks = fc.array(fc.nat({ max: 63 }), { minLength: size, maxLength: size });
  return fc.tuple(trees, picks).map(([tree, chosen]) => applyVariants(tree, chosen, levels));
}

/** The tree's process-creation events in start order, each with its own and its parent's identity. */
export function listScenarioEvents(scenario: ScenarioTree): ScenarioEvent[] {
  return processCreations(scenario.tree).map((creation) => {
    const identity = scenario.identities.get(creation.ProcessId) ?? creation.context.entry;
    const parentIdentity = scenario.identities.get(creation.ParentProcessId) ?? creation.context.parentEntry;
    return { creation, identity, parentIdentity, identities: [parentIdentity, identity], event: describeCreationEvent(creation) };
  });
}

/** A scenario tree as a sample of the process_creation activity. */
export function sampleOfTree(scenario: ScenarioTree): ScenarioSample & { readonly tree: ScenarioTree; readonly events: readonly ScenarioEvent[] } {
  return { tree: scenario, events: listScenarioEvents(scenario) };
}

/** Which space an event belongs to; background when it is in no true- or false-positive space. */
export interface EventClass {
  readonly kind: SpaceKind;
  readonly space?: ScenarioSpace;
}

const BACKGROUND: EventClass = { kind: 'background' };

/**
 * Judges events by their identities (one per dimension of the spec's activity: for process creations
 * parent and process) against the spec's true- and false-positive spaces. A false-positive space wins
 * over a true-positive one (the spec check reports such overlaps).
 */
export function createClassifier(spec: ScenarioSpec): (...identities: readonly string[]) => EventClass {
  const classes = new Map<string, EventClass>();
  for (const kind of ['false-positive', 'true-positive'] as const) {
    for (const space of spec.spaces.filter((candidate) => candidate.kind === kind)) {
      for (const key of listKeys(space, spec)) if (!classes.has(key)) classes.set(key, { kind, space });
    }
  }
  return (...identities) => classes.get(identities.join('\u0000')) ?? BACKGROUND;
}
