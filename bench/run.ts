/**
 * `npm run bench`: runs every benchmark, one after another so they do not share the two cores, each
 * printing its own ratios measured in the same run. Name some to run only those:
 *
 *   npm run bench                      # all
 *   npm run bench -- engine golden     # just these
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const benchmarks = {
  validate: 'validating 3,000 generated rules: total time and per-rule cost',
  golden: 'replaying every golden event of the repository',
  pack: 'dac test on the whole pack against the one-minute budget, and each rule alone',
  readers: 'XML and NDJSON events/s against the JSON.parse floor; memory as files double',
  evtx: 'EVTX records/s and memory as files grow',
  generators: 'generated process trees per second',
  properties: 'property runs: trees per second per property',
  mutate: 'dac mutate over the pack on 1 and every core, and the operators over SigmaHQ: mutants per second',
  engine: 'dac scan with 1,000 generated rules that never match (the raw-text prefilter at its best) over 1,000,000 events: b/a and c/a against JSON.parse, peak RSS',
  sigmahq: 'dac scan with SigmaHQ rules over 1,000,000 estate-like events: process_creation and all Windows rules against the JSON.parse floor, matches, start-up, peak RSS',
  backtest: 'dac backtest (DuckDB) beside dac scan on the same 1,000,000 events: throughput, identical verdicts',
  report: 'report.html for SigmaHQ and 1,000 synthetic rules: bytes a rule; Chromium load, filter and sort times',
  faults: 'kills of test --update, lock and pack (hundreds each); scan output memory with a slow reader; a full disk',
} as const;

const chosen = process.argv.slice(2);
const unknown = chosen.filter((name) => !Object.hasOwn(benchmarks, name));
if (unknown.length) {
  process.stderr.write(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${Object.keys(benchmarks).join(', ')}\n`);
  process.exit(2);
}
let failed = 0;
for (const [name, what] of Object.entries(benchmarks)) {
  if (chosen.length && !chosen.includes(name)) continue;
  process.stdout.write(`\n=== ${name}: ${what}\n`);
  const script = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const result = spawnSync(process.execPath, ['--import', 'tsx', script], { stdio: 'inherit' });
  if (result.status !== 0) failed += 1;
}
process.exit(failed ? 1 : 0);
