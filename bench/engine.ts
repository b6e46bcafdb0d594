/**
 * Generated-rules benchmark (what it measures: the raw-text prefilter at its best, not a real pack).
 * Generates flat process-creation events as NDJSON (1,000,000 by default, about 1 GB) in bench/out/,
 * then times, in one run and each in its own process:
 *   (a) reading the file with readEvents (JSON.parse per line) and no rule,
 *   (b) `dac scan` with the web-shell rule,
 *   (c) `dac scan` with 1,000 generated rules, each naming a token that never occurs in the events: they
 *       never match and let the prefilter skip most lines, so (c) says little about real packs (see
 *       bench/sigmahq.ts for SigmaHQ's rules over an estate-like file),
 * and prints b/a, c/a and each run's peak RSS.
 *
 * Run: `npx tsx bench/engine.ts [--events N] [--rules N] [--keep]` (--keep reuses generated files).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generateEvents, generateRules } from './gen-events.js';
import { measure, type Measured } from './measure.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'bench', 'out');
const DAC = path.join(ROOT, 'bin', 'dac.js');
const WEBSHELL_RULE = path.join(ROOT, 'rules', 'windows', 'process_creation', 'proc_creation_win_webshell_spawn.yml');
const READ_FLOOR = path.join(ROOT, 'bench', 'read-floor.ts');

/** Runs the benchmark with command-line style arguments (see the file comment); prints the table. */
export async function runEngineBenchmark(args: readonly string[]): Promise<void> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      events: { type: 'string', default: '1000000' },
      rules: { type: 'string', default: '1000' },
      keep: { type: 'boolean', default: false },
    },
  });
  const eventCount = Number(values.events);
  const ruleCount = Number(values.rules);
  const eventsFile = path.join(OUT, `events-${eventCount}.ndjson`);
  const rulesDir = path.join(OUT, `rules-${ruleCount}`);
  if (!values.keep || !existsSync(eventsFile)) {
    const started = Date.now();
    const webShells = await generateEvents(eventsFile, eventCount, 1);
    process.stdout.write(`generated ${eventCount} events (${webShells} web-shell-like), ${(statSync(eventsFile).size / 1e6).toFixed(0)} MB, in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
  if (!values.keep || !existsSync(rulesDir)) await generateRules(rulesDir, ruleCount, 7);

  // (a) the floor as bench/sigmahq.ts measures it: read-floor.ts, through the tsx loader flags this process runs with.
  const baseline = await measure([...process.execArgv, READ_FLOOR, eventsFile]);
  const webshell = await measure([DAC, 'scan', '--no-cache', '--rules', WEBSHELL_RULE, eventsFile]);
  const many = await measure([DAC, 'scan', '--no-cache', '--rules', rulesDir, eventsFile]);

  const row = (name: string, m: Measured, extra: string): string =>
    `${name.padEnd(34)} ${m.seconds.toFixed(2).padStart(8)} s ${m.peakRssMb.toFixed(0).padStart(6)} MB peak RSS  ${extra}`;
  process.stdout.write(
    [
      `events: ${eventCount}, file: ${(statSync(eventsFile).size / 1e6).toFixed(0)} MB`,
      row('(a) read + JSON.parse, no rule', baseline, ''),
      row('(b) dac scan, web-shell rule', webshell, `${webshell.stdoutLines} matches`),
      row(`(c) dac scan, ${ruleCount} generated rules`, many, `${many.stdoutLines} matches`),
      `b/a = ${(webshell.seconds / baseline.seconds).toFixed(2)} (target <= 1.2)`,
      `c/a = ${(many.seconds / baseline.seconds).toFixed(2)} (target <= 3)`,
      `peak RSS = ${Math.max(baseline.peakRssMb, webshell.peakRssMb, many.peakRssMb).toFixed(0)} MB (target < 200)`,
    ].join('\n') + '\n',
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await runEngineBenchmark(process.argv.slice(2));
}
