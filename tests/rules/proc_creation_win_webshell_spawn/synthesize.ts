/**
 * Writes the synthesized part of the web-shell rule's golden set: process trees as the web servers
 * really produce them (generators/ catalogue: real install paths, launchers, accounts, command lines),
 * rendered as Sysmon EID 1 and Security 4688 v2 Event XML, evtx_dump JSON, Winlogbeat ECS and flat
 * NDJSON, plus the rule-test.yml entries that say what each event must do.
 *
 * Expected verdicts come from the trees' ground truth, never from the rule: an event is a true positive
 * when its parent is a web server and the process is a shell or recon tool the rule promises to catch.
 *
 *   npx tsx tests/rules/proc_creation_win_webshell_spawn/synthesize.ts           # show what it would write
 *   npx tsx tests/rules/proc_creation_win_webshell_spawn/synthesize.ts --write   # write missing files only
 *   ... --write --force                                                          # overwrite them too
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import {
  findEntry,
  processCreations,
  renderSecurity4688Xml,
  renderSysmonEvtxJson,
  renderSysmonXml,
  renderWinlogbeatEcsJson,
  renderFlatJson,
  treeFromSpec,
  type ProcessCreation,
  type TreeSpec,
} from '../../../generators/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const SEED = 1505003;

/** The web servers whose children the rule watches, as real installations name them. */
export const PARENTS = ['w3wp.exe', 'httpd.exe', 'nginx.exe', 'php-cgi.exe', 'tomcat9.exe', 'sqlservr.exe'] as const;
/** The shells and recon tools the rule promises to catch (its Image list). */
export const CHILDREN = [
  'cmd.exe', 'sh.exe', 'bash.exe', 'powershell.exe', 'bitsadmin.exe', 'cscript.exe', 'wscript.exe',
  'net.exe', 'net1.exe', 'ping.exe', 'whoami.exe', 'ipconfig.exe', 'sc.exe',
] as const;

type Verdict = 'match' | 'no-match' | 'false-positive';
interface GoldenEvent {
  readonly event: ProcessCreation;
  readonly verdict: Verdict;
  readonly note: string;
}
interface GoldenFile {
  readonly name: string;
  readonly provenance: string;
  readonly events: readonly GoldenEvent[];
  readonly render: 'sysmon' | '4688' | 'evtx-json' | 'ecs' | 'flat';
}

const CANONICAL_PATHS = { casing: false, shortNames: false, prefixes: false } as const;

function sampleTree(spec: TreeSpec, salt: number) {
  const [tree] = fc.sample(treeFromSpec({ ...spec, paths: CANONICAL_PATHS }), { seed: SEED + salt, numRuns: 1 });
  if (!tree) throw new Error('fast-check gave no sample');
  return tree;
}

function requireEntries(names: readonly string[]): void {
  const missing = names.filter((name) => findEntry(name) === undefined);
  if (missing.length) throw new Error(`not in the generators' catalogue: ${missing.join(', ')}`);
}

/** Ground truth: the creation whose parent is the web server and whose image is a watched child. */
function classify(creation: ProcessCreation, fp = false): GoldenEvent {
  const isTarget = creation.context.depth === 1 && (CHILDREN as readonly string[]).includes(creation.context.entry);
  const verdict: Verdict = isTarget ? (fp ? 'false-positive' : 'match') : 'no-match';
  const note = `${creation.context.parentEntry} -> ${creation.context.entry}`;
  return { event: creation, verdict, note };
}

function truePositiveTrees(parent: string, salt: number): GoldenEvent[] {
  return CHILDREN.flatMap((child, index) => {
    const tree = sampleTree({ parents: { names: [parent] }, children: { names: [child] }, depth: 1, minChildren: 1, maxChildren: 1 }, salt * 100 + index);
    return processCreations(tree).map((creation) => classify(creation));
  });
}

function nearMisses(): GoldenEvent[] {
  const events: GoldenEvent[] = [];
  // A shell whose grandparent is w3wp: w3wp -> cmd -> whoami; only w3wp -> cmd is the rule's business.
  const deep = sampleTree({ parents: { names: ['w3wp.exe'] }, children: { names: ['cmd.exe'] }, descendants: { names: ['whoami.exe'] }, depth: 2, minChildren: 1, maxChildren: 1 }, 900);
  for (const creation of processCreations(deep)) events.push(classify(creation));
  const base = processCreations(sampleTree({ parents: { names: ['w3wp.exe'] }, children: { names: ['cmd.exe'] }, depth: 1, minChildren: 1, maxChildren: 1 }, 901))[1];
  if (!base) throw new Error('no w3wp -> cmd creation');
  const variant = (changes: Partial<ProcessCreation>, note: string): GoldenEvent => ({ event: { ...base, ...changes }, verdict: 'no-match', note });
  events.push(
    variant({ ParentImage: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe.bak' }, 'a renamed copy w3wp.exe.bak as the parent'),
    variant({ Image: 'C:\\inetpub\\wwwroot\\uploads\\notcmd.exe', CommandLine: 'notcmd.exe /c whoami' }, 'a child whose name only ends like cmd.exe'),
    variant({ Image: 'C:\\Tools\\mywhoami.exe', CommandLine: 'mywhoami.exe' }, 'a child whose name only ends like whoami.exe'),
    variant({ ParentImage: 'C:\\Windows\\System32\\cmd.exe', Image: 'C:\\Apache24\\bin\\httpd.exe', CommandLine: 'C:\\Apache24\\bin\\httpd.exe -k start', ParentCommandLine: 'cmd.exe' }, 'a web server as the child: an admin starts Apache from a console'),
  );
  return events;
}

function benignChildren(): GoldenEvent[] {
  const pairs: [string, string][] = [
    ['w3wp.exe', 'csc.exe'], ['w3wp.exe', 'cvtres.exe'], ['w3wp.exe', 'php-cgi.exe'], ['w3wp.exe', 'conhost.exe'],
    ['w3wp.exe', 'werfault.exe'], ['httpd.exe', 'rotatelogs.exe'], ['php-cgi.exe', 'php.exe'], ['sqlservr.exe', 'sqldumper.exe'],
  ];
  requireEntries(pairs.flat());
  return pairs.flatMap(([parent, child], index) =>
    processCreations(sampleTree({ parents: { names: [parent] }, children: { names: [child] }, depth: 1, minChildren: 1, maxChildren: 1 }, 950 + index))
      .map((creation) => classify(creation)),
  );
}

/** The documented false positive: a monitoring page of an IIS application runs whoami and ipconfig. */
function documentedFalsePositives(): GoldenEvent[] {
  return ['whoami.exe', 'ipconfig.exe'].flatMap((child, index) => {
    const tree = sampleTree({ parents: { names: ['w3wp.exe'] }, children: { names: [child] }, depth: 1, minChildren: 1, maxChildren: 1 }, 980 + index);
    return processCreations(tree).map((creation) => classify(creation, true));
  });
}

function render(file: GoldenFile): string {
  const one = (event: ProcessCreation, index: number): string => {
    const options = { recordId: 5000 + index };
    switch (file.render) {
      case 'sysmon':
        return renderSysmonXml(event, options);
      case '4688':
        return renderSecurity4688Xml(event, 2, options);
      case 'evtx-json':
        return renderSysmonEvtxJson(event, options).replace(/\n/g, ' ');
      case 'ecs':
        return renderWinlogbeatEcsJson(event, options).replace(/\n/g, ' ');
      case 'flat':
        return renderFlatJson(event).replace(/\n/g, ' ');
    }
  };
  const lines = file.events.map((golden, index) => one(golden.event, index));
  const xml = file.render === 'sysmon' || file.render === '4688';
  return xml ? `<Events>\n${lines.join('\n')}\n</Events>\n` : `${lines.join('\n')}\n`;
}

const extensionOf = (file: GoldenFile): string =>
  ({ sysmon: '.sysmon.xml', '4688': '.security-4688.xml', 'evtx-json': '.evtx-dump.ndjson', ecs: '.ecs.ndjson', flat: '.flat.ndjson' })[file.render];

function specEntry(file: GoldenFile): string {
  const lines = [`  - file: events/${file.name}${extensionOf(file)}`, '    verdict: no-match', `    provenance: >-\n      ${file.provenance}`];
  const overrides = file.events.map((golden, index) => ({ golden, index })).filter(({ golden }) => golden.verdict !== 'no-match');
  if (overrides.length) {
    lines.push('    overrides:');
    for (const { golden, index } of overrides) {
      const fp = golden.verdict === 'false-positive' ? ', falsepositive: 0' : '';
      lines.push(`      - { event: ${index}, verdict: ${golden.verdict}${fp}, note: "${golden.note}" }`);
    }
  }
  return lines.join('\n');
}

/** Every synthesized golden file. */
export function listGoldenFiles(): GoldenFile[] {
  requireEntries([...PARENTS, ...CHILDREN]);
  const synthesized = `synthesized by synthesize.ts (seed ${SEED}) from the generators' catalogue`;
  const files: GoldenFile[] = [];
  PARENTS.forEach((parent, salt) => {
    const events = truePositiveTrees(parent, salt);
    const family = parent.replace(/\.exe$/, '');
    for (const render of ['sysmon', '4688'] as const) {
      files.push({ name: `tp-${family}`, render, events, provenance: `${synthesized}: ${parent} started by its usual launcher, then starting each shell or recon tool the rule names; only the ${parent} -> child creations are true positives` });
    }
  });
  const w3wp = truePositiveTrees('w3wp.exe', 0).slice(0, 6);
  files.push(
    { name: 'tp-w3wp', render: 'evtx-json', events: w3wp, provenance: `${synthesized}: IIS trees as evtx_dump JSON (one record per line)` },
    { name: 'tp-sqlservr', render: 'ecs', events: truePositiveTrees('sqlservr.exe', 5).slice(0, 6), provenance: `${synthesized}: SQL Server xp_cmdshell trees as Winlogbeat ECS documents` },
    { name: 'tp-httpd', render: 'flat', events: truePositiveTrees('httpd.exe', 1).slice(0, 6), provenance: `${synthesized}: Apache trees as flat Sigma-taxonomy NDJSON` },
  );
  for (const render of ['sysmon', '4688'] as const) {
    files.push(
      { name: 'near-misses', render, events: nearMisses(), provenance: `${synthesized}, then edited: a shell whose grandparent is w3wp, a renamed w3wp.exe.bak, children whose names only end like watched ones, a web server as the child` },
      { name: 'benign-children', render, events: benignChildren(), provenance: `${synthesized}: what web servers legitimately start (ASP.NET compiling with csc and cvtres, FastCGI php-cgi, conhost, WerFault, Apache rotatelogs, php.exe, SQL Server's dump tool)` },
      { name: 'fp-iis-health-check', render, events: documentedFalsePositives(), provenance: `${synthesized}: an IIS application's health-check page runs whoami and ipconfig, the rule's documented false positive` },
    );
  }
  return files;
}

async function main(): Promise<void> {
  const write = process.argv.includes('--write');
  const force = process.argv.includes('--force');
  const files = listGoldenFiles();
  for (const file of files) {
    const path = join(here, 'events', `${file.name}${extensionOf(file)}`);
    const exists = existsSync(path);
    const action = !write ? 'would write' : exists && !force ? 'kept (exists; --force overwrites)' : 'wrote';
    if (write && (!exists || force)) {
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, render(file));
    }
    process.stdout.write(`${action} ${path} (${file.events.length} events)\n`);
  }
  process.stdout.write(`\n# rule-test.yml entries:\n${files.map(specEntry).join('\n')}\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
