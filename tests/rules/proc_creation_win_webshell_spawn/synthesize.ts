/**
 * Writes the synthesized part of the web-shell rule's golden set: process trees as the web servers
 * really produce them (generators/ catalogue: real install paths, launchers, accounts, command lines),
 * rendered as Sysmon EID 1 and Security 4688 v2 Event XML, evtx_dump JSON, Winlogbeat ECS and flat
 * NDJSON, plus the rule-test.yml entries that say what each event must do.
 *
 * Expected verdicts come from the rule's contract, never from the rule: scenarios.yml's classifier
 * judges each event by the ground-truth identities of its process and parent (true-positive space:
 * match; documented false-positive space: false-positive; anything else: no-match).
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
  renderSecurity4688Xml,
  renderSysmonEvtxJson,
  renderSysmonXml,
  renderWinlogbeatEcsJson,
  renderFlatJson,
  type ProcessCreation,
} from '../../../generators/index.js';
import { loadScenarioSpec, resolveSelector, type ScenarioSpace, type ScenarioSpec } from '../../../src/harness/scenario-spec.js';
import { createClassifier, listScenarioEvents, scenarioTree } from '../../../src/harness/scenario-trees.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '../../..');
const SEED = 1505003;

type Verdict = 'match' | 'no-match' | 'false-positive';
interface GoldenEvent {
  readonly event: ProcessCreation;
  readonly verdict: Verdict;
  readonly note: string;
  readonly falsepositive?: number | string;
}
interface GoldenFile {
  readonly name: string;
  readonly provenance: string;
  readonly events: readonly GoldenEvent[];
  readonly render: 'sysmon' | '4688' | 'evtx-json' | 'ecs' | 'flat';
}

/** Golden trees of one parent and one child identity (catalogue names or the spec's variants). */
function makeTrees(spec: ScenarioSpec, pairs: readonly (readonly [string, string])[], salt: number): GoldenEvent[] {
  const classify = createClassifier(spec);
  return pairs.flatMap(([parent, child], index) => {
    const space: ScenarioSpace = {
      kind: 'background', name: 'golden', selectors: { parents: { names: [parent] }, children: { names: [child] } },
      depth: 1, minChildren: 1, maxChildren: 1, at: { line: 1, column: 1 }, path: [],
    };
    const [tree] = fc.sample(scenarioTree(space, spec.variants), { seed: SEED + salt * 1000 + index, numRuns: 1 });
    if (!tree) throw new Error('fast-check gave no sample');
    return listScenarioEvents(tree).map((scenario): GoldenEvent => {
      const judged = classify(scenario.parentIdentity, scenario.identity);
      const verdict: Verdict = judged.kind === 'true-positive' ? 'match' : judged.kind === 'false-positive' ? 'false-positive' : 'no-match';
      return {
        event: scenario.creation,
        verdict,
        note: `${scenario.parentIdentity} -> ${scenario.identity}`,
        ...(judged.space?.falsepositive !== undefined ? { falsepositive: judged.space.falsepositive } : {}),
      };
    });
  });
}

const idsOf = (spec: ScenarioSpec, space: ScenarioSpace, level: 'parents' | 'children'): string[] =>
  [...resolveSelector(space.selectors[level] ?? {}, spec.variants).ids].sort();

/** Edited copies of a generated w3wp -> cmd creation: what no generator produces on purpose. */
function handEdited(spec: ScenarioSpec): GoldenEvent[] {
  const base = makeTrees(spec, [['w3wp.exe', 'cmd.exe']], 90)[1]?.event;
  if (!base) throw new Error('no w3wp -> cmd creation');
  const edit = (changes: Partial<ProcessCreation>, note: string): GoldenEvent => ({ event: { ...base, ...changes }, verdict: 'no-match', note });
  return [
    edit({ ParentImage: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe.bak' }, 'a renamed copy w3wp.exe.bak as the parent'),
    edit({ Image: 'C:\\inetpub\\wwwroot\\uploads\\notcmd.exe', CommandLine: 'notcmd.exe /c whoami' }, 'a child whose name only ends like cmd.exe'),
    edit({ Image: 'C:\\Tools\\mywhoami.exe', CommandLine: 'mywhoami.exe' }, 'a child whose name only ends like whoami.exe'),
    edit({ ParentImage: 'C:\\Windows\\explorer.exe', ParentCommandLine: 'C:\\Windows\\Explorer.EXE' }, 'an administrator opens a console from Explorer'),
    edit(
      { ParentImage: 'C:\\Windows\\System32\\cmd.exe', ParentCommandLine: 'cmd /c ""C:\\Program Files\\Apache Software Foundation\\Tomcat 9.0\\bin\\catalina.bat" start"' },
      'a console running catalina.bat (not java.exe) starts a shell',
    ),
    edit({ ParentImage: 'C:\\Windows\\System32\\cmd.exe', Image: 'C:\\Apache24\\bin\\httpd.exe', CommandLine: 'C:\\Apache24\\bin\\httpd.exe -k start', ParentCommandLine: 'cmd.exe' }, 'a web server as the child: an admin starts Apache from a console'),
  ];
}

/** Every synthesized golden file. */
export async function listGoldenFiles(): Promise<GoldenFile[]> {
  const { spec, diagnostics } = await loadScenarioSpec(here, repoRoot);
  if (!spec) throw new Error(`scenarios.yml: ${diagnostics.map((d) => d.message).join('; ')}`);
  const truePositives = spec.spaces.find((space) => space.kind === 'true-positive');
  const falsePositives = spec.spaces.find((space) => space.kind === 'false-positive');
  if (!truePositives || !falsePositives) throw new Error('scenarios.yml needs a true-positive and a false-positive space');
  const parents = idsOf(spec, truePositives, 'parents');
  const children = idsOf(spec, truePositives, 'children');
  // Security 4688 has no parent command line, so Tomcat run by java.exe is invisible there (a blind spot
  // `dac test` reports); its trees are rendered for Sysmon only.
  const seenBy4688 = (pair: readonly [string, string]) => pair[0] !== 'java.exe';
  const serverPairs = parents.flatMap((parent) => [[parent, 'cmd.exe'], [parent, 'whoami.exe']] as const);
  const childPairs = children.map((child) => ['w3wp.exe', child] as const);
  const nearPairs = [['w3wp.exe', 'notcmd.exe'], ['jenkins-java', 'cmd.exe'], ['tomcat9w.exe', 'powershell.exe'], ['w3wp.exe.bak', 'cmd.exe'], ['explorer.exe', 'cmd.exe'], ['services.exe', 'ping.exe']] as const;
  const benignPairs = [
    ['w3wp.exe', 'csc.exe'], ['w3wp.exe', 'cvtres.exe'], ['w3wp.exe', 'php-cgi.exe'], ['w3wp.exe', 'conhost.exe'],
    ['w3wp.exe', 'werfault.exe'], ['httpd.exe', 'rotatelogs.exe'], ['php-cgi.exe', 'php.exe'], ['sqlservr.exe', 'sqldumper.exe'],
  ] as const;
  const fpPairs = idsOf(spec, falsePositives, 'parents').flatMap((parent) => idsOf(spec, falsePositives, 'children').map((child) => [parent, child] as const));
  // Renamed copies (<name>.bak, the spec's variants) of every server and tool the rule names: what tells
  // the rule from one whose names match anywhere in the path (dac mutate's wildcard and match-modifier mutants).
  const renamed = (ids: readonly string[]): string[] => ids.map((id) => `${id}.bak`).filter((name) => spec.variants.some((variant) => variant.name === name));
  const lookAlikePairs = [...renamed(parents).map((parent) => [parent, 'cmd.exe'] as const), ...renamed(children).map((child) => ['w3wp.exe', child] as const)];
  const synthesized = `synthesized by synthesize.ts (seed ${SEED}) from the generators' catalogue, verdicts from scenarios.yml`;
  const files: GoldenFile[] = [];
  for (const render of ['sysmon', '4688'] as const) {
    const keep = render === '4688' ? seenBy4688 : () => true;
    files.push(
      { name: 'tp-web-servers', render, events: makeTrees(spec, serverPairs.filter(keep), 1), provenance: `${synthesized}: every web server the rule watches, started by its usual launcher, starting cmd.exe and whoami.exe${render === '4688' ? ' (Tomcat run by java.exe left out: 4688 has no parent command line)' : ''}` },
      { name: 'tp-children', render, events: makeTrees(spec, childPairs, 2), provenance: `${synthesized}: IIS w3wp.exe starting every shell and tool the rule names` },
      { name: 'near-misses', render, events: [...makeTrees(spec, nearPairs, 3), ...handEdited(spec)], provenance: `${synthesized}, some edited by hand: look-alike names, java.exe running Jenkins, Tomcat's monitor, a renamed w3wp, shells outside web servers, a web server as the child` },
      { name: 'benign-children', render, events: makeTrees(spec, benignPairs, 4), provenance: `${synthesized}: what web servers legitimately start (ASP.NET compiling with csc and cvtres, FastCGI php-cgi, conhost, WerFault, Apache rotatelogs, php.exe, SQL Server's dump tool)` },
      { name: 'fp-iis-health-check', render, events: makeTrees(spec, fpPairs, 5), provenance: `${synthesized}: the HealthCheck application pool's page runs whoami and ipconfig, the rule's documented false positive (filters/mf_webshell_spawn_iis_health_check.yml suppresses it)` },
    );
  }
  files.push(
    { name: 'look-alikes', render: 'sysmon', events: makeTrees(spec, lookAlikePairs, 9), provenance: `${synthesized}: renamed copies (.bak) of every server and tool the rule names, as the parent and as the child; none is the program it is named after` },
    { name: 'tp-w3wp', render: 'evtx-json', events: makeTrees(spec, childPairs.slice(0, 3), 6), provenance: `${synthesized}: IIS trees as evtx_dump JSON (one record per line)` },
    { name: 'tp-sqlservr', render: 'ecs', events: makeTrees(spec, [['sqlservr.exe', 'cmd.exe'], ['sqlservr.exe', 'whoami.exe']], 7), provenance: `${synthesized}: SQL Server xp_cmdshell trees as Winlogbeat ECS documents` },
    { name: 'tp-httpd', render: 'flat', events: makeTrees(spec, [['httpd.exe', 'cmd.exe'], ['httpd.exe', 'powershell.exe']], 8), provenance: `${synthesized}: Apache trees as flat Sigma-taxonomy NDJSON` },
  );
  return files;
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
      const fp = golden.falsepositive !== undefined ? `, falsepositive: ${JSON.stringify(golden.falsepositive)}` : '';
      lines.push(`      - { event: ${index}, verdict: ${golden.verdict}${fp}, note: "${golden.note}" }`);
    }
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const write = process.argv.includes('--write');
  const force = process.argv.includes('--force');
  const files = await listGoldenFiles();
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
