/**
 * Real packs at speed: `dac scan` with SigmaHQ's rules over a generated Windows estate, against the
 * floor of reading and JSON.parse-ing the same lines, everything measured in one run, each in its own
 * process (bench/measure.ts):
 *
 *   process creation   1,000,000 Sysmon 1 / Security 4688 events (bench/estate-events.ts)
 *     (a) read + JSON.parse, no rule, one thread (the floor)
 *     (b) dac scan, the web-shell rule alone
 *     (c) dac scan, every windows/process_creation rule of SigmaHQ, on every core
 *     (d) the same in one thread (--threads 1)
 *   all Windows        1,000,000 events of Sysmon 1/3/7/11/12/13/22, Security 4624/4688, PowerShell 4104, System 7045
 *     (e) read + JSON.parse, no rule
 *     (f) dac scan, every windows/ rule of SigmaHQ
 *   start-up           dac scan of an empty file: every process_creation rule less the web-shell rule
 *                      alone (rule loading, compiling and indexing), with the rule cache cold and warm
 *
 * It prints times, CPU time, peak RSS (of the whole process, worker threads included), match counts and
 * the ratios. Rules come from ../shared/data/sigmahq (else the repository's copy in
 * tests/fixtures/sigmahq). The rule cache lives in a fresh temporary folder for the run; the bundled
 * worker (src/scan/worker-bundle.ts) is built there before the measured runs.
 *
 * Run: `npx tsx bench/sigmahq.ts [--events N] [--keep] [--rules DIR] [--process-creation FILE] [--windows FILE]`
 * (--keep reuses generated files; --process-creation and --windows measure your own NDJSON files instead,
 * e.g. from another generator, and Zircolite reads the same files with `-j`, its JSON-lines input).
 */
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ensureWorkerBundle } from '../src/scan/worker-bundle.js';
import { generateEstateEvents, type EstateKind } from './estate-events.js';
import { measure, measureBest, type Measured } from './measure.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'bench', 'out');
const DAC = path.join(ROOT, 'bin', 'dac.js');
const FLOOR = path.join(ROOT, 'bench', 'read-floor.ts');
const WEBSHELL_RULE = path.join(ROOT, 'rules', 'windows', 'process_creation', 'proc_creation_win_webshell_spawn.yml');
const SHARED_RULES = path.join(ROOT, '..', 'shared', 'data', 'sigmahq', 'rules');
const FIXTURE_RULES = path.join(ROOT, 'tests', 'fixtures', 'sigmahq', 'rules');

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    keep: { type: 'boolean', default: false },
    rules: { type: 'string' },
    'process-creation': { type: 'string' },
    windows: { type: 'string' },
  },
});
const eventCount = Number(values.events);
const rulesRoot = values.rules ?? (existsSync(SHARED_RULES) ? SHARED_RULES : FIXTURE_RULES);
const processCreationRules = path.join(rulesRoot, 'windows', 'process_creation');
const windowsRules = path.join(rulesRoot, 'windows');

async function prepare(kind: EstateKind): Promise<string> {
  const given = kind === 'process-creation' ? values['process-creation'] : values.windows;
  if (given !== undefined) return path.resolve(given);
  const file = path.join(OUT, `estate-${kind}-${eventCount}.ndjson`);
  if (!values.keep || !existsSync(file)) {
    const started = Date.now();
    const generated = await generateEstateEvents(kind, file, eventCount, 1);
    process.stdout.write(`generated ${file}: ${generated.events} events (${generated.attacks} from attack techniques), ${(statSync(file).size / 1e6).toFixed(0)} MB, in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  }
  return file;
}

const cacheDir = mkdtempSync(path.join(tmpdir(), 'dac-bench-cache-'));
// dac scan exits 1 when a rule of the pack is invalid (SigmaHQ has one that compares a number with contains); it scans with the others.
const scan = (rules: string, file: string, ...extra: string[]): Promise<Measured> => measure([DAC, 'scan', '--cache-dir', cacheDir, '--rules', rules, ...extra, file], process.env, [0, 1]);
const floor = (file: string): Promise<Measured> => measure(['--import', 'tsx', FLOOR, file]);
const rulesOf = (run: Measured): string => /dac scan: (\d+) rules?/.exec(run.stderrTail)?.[1] ?? '?';
const eventsOf = (run: Measured): string => /(\d+) events parsed/.exec(run.stderrTail)?.[1] ?? '?';

try {
  const pcFile = await prepare('process-creation');
  const windowsFile = await prepare('windows');
  const emptyFile = path.join(OUT, 'empty.ndjson');
  writeFileSync(emptyFile, '');
  process.stdout.write(`rules: ${rulesRoot}\n`);

  // The worker bundle is built once per version of the code (about a second); built here, not inside a measured run.
  const bundle = await ensureWorkerBundle(cacheDir);
  if ('problem' in bundle) process.stdout.write(`the bundled worker could not be built (${bundle.problem}); workers start through tsx\n`);
  // Start-up first, while the rule cache is cold.
  const cold = await scan(processCreationRules, emptyFile);
  const warm = await measureBest(3, [DAC, 'scan', '--cache-dir', cacheDir, '--rules', processCreationRules, emptyFile], process.env, [0, 1]);
  const single = await measureBest(3, [DAC, 'scan', '--cache-dir', cacheDir, '--rules', WEBSHELL_RULE, emptyFile]);

  const a = await floor(pcFile);
  const b = await scan(WEBSHELL_RULE, pcFile);
  const c = await scan(processCreationRules, pcFile);
  const d = await scan(processCreationRules, pcFile, '--threads', '1');
  const e = await floor(windowsFile);
  const f = await scan(windowsRules, windowsFile);

  const row = (name: string, m: Measured, extra = ''): string =>
    `${name.padEnd(44)} ${m.seconds.toFixed(2).padStart(7)} s ${m.cpuSeconds.toFixed(1).padStart(7)} s CPU ${m.peakRssMb.toFixed(0).padStart(5)} MB peak RSS  ${extra}`;
  const ratio = (x: Measured, y: Measured): string => (x.seconds / y.seconds).toFixed(2);
  process.stdout.write(
    [
      '',
      `process creation: ${path.basename(pcFile)}, ${eventsOf(c)} events, ${(statSync(pcFile).size / 1e6).toFixed(0)} MB`,
      row('(a) read + JSON.parse, no rule', a),
      row('(b) dac scan, web-shell rule', b, `${b.stdoutLines} matches`),
      row(`(c) dac scan, ${rulesOf(c)} process_creation rules`, c, `${c.stdoutLines} matches`),
      row(`(d) dac scan, ${rulesOf(d)} rules, --threads 1`, d, `${d.stdoutLines} matches`),
      `all Windows: ${path.basename(windowsFile)}, ${eventsOf(f)} events, ${(statSync(windowsFile).size / 1e6).toFixed(0)} MB`,
      row('(e) read + JSON.parse, no rule', e),
      row(`(f) dac scan, ${rulesOf(f)} Windows rules`, f, `${f.stdoutLines} matches`),
      'start-up (dac scan of an empty file)',
      row('    web-shell rule alone (best of 3)', single),
      row(`    ${rulesOf(warm)} rules, rule cache warm (best of 3)`, warm),
      row(`    ${rulesOf(cold)} rules, rule cache cold`, cold),
      '',
      `b/a = ${ratio(b, a)}  (web-shell rule against the floor; target <= 1)`,
      `c/a = ${ratio(c, a)}  (${rulesOf(c)} rules on every core; target <= 3)`,
      `d/a = ${ratio(d, a)}  (the same in one thread)`,
      `f/e = ${ratio(f, e)}  (${rulesOf(f)} Windows rules over a mix of log sources)`,
      `CPU time, whatever else the machine runs: c = ${(c.cpuSeconds / a.cpuSeconds).toFixed(2)} a, d = ${(d.cpuSeconds / a.cpuSeconds).toFixed(2)} a, f = ${(f.cpuSeconds / e.cpuSeconds).toFixed(2)} e; load average ${loadavg().map((load) => load.toFixed(1)).join(' ')}`,
      `start-up of ${rulesOf(warm)} rules: ${(warm.seconds - single.seconds).toFixed(2)} s warm, ${(cold.seconds - single.seconds).toFixed(2)} s cold (beyond the ${single.seconds.toFixed(2)} s of dac scan with one rule; target < 0.5 s)`,
      `peak RSS with ${rulesOf(c)} rules = ${c.peakRssMb.toFixed(0)} MB (target < 300 MB); with ${rulesOf(f)} rules = ${f.peakRssMb.toFixed(0)} MB`,
      c.stdoutLines === d.stdoutLines ? 'every core and one thread found the same number of matches' : `MISMATCH: ${c.stdoutLines} matches on every core, ${d.stdoutLines} in one thread`,
    ].join('\n') + '\n',
  );
} finally {
  rmSync(cacheDir, { recursive: true, force: true });
}
