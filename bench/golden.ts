/**
 * Golden replay speed: replays every rule's golden events through the real readers, mapping and engine
 * (what `dac test` does before properties), and prints the time, events per second, and the ratio to
 * merely reading the same events without any rule.
 *
 *   npx tsx bench/golden.ts [--repeat N]
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readEvents } from '../src/events/read-events.js';
import { runTests } from '../src/harness/run-tests.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const { values } = parseArgs({ options: { repeat: { type: 'string', default: '3' } } });
const repeat = Math.max(1, Number(values.repeat));

let best = Infinity;
let events = 0;
let files: string[] = [];
for (let i = 0; i < repeat; i += 1) {
  const started = performance.now();
  const { report } = await runTests({ repoRoot });
  best = Math.min(best, performance.now() - started);
  events = report.rules.reduce((sum, rule) => sum + rule.cases.length, 0);
  files = [...new Set(report.rules.flatMap((rule) => rule.cases.map((c) => c.file)))];
}

let readBest = Infinity;
for (let i = 0; i < repeat; i += 1) {
  const started = performance.now();
  for (const file of files) for await (const item of readEvents(`${repoRoot}${file}`)) void item;
  readBest = Math.min(readBest, performance.now() - started);
}

process.stdout.write(`golden replay: ${events} events in ${files.length} files\n`);
process.stdout.write(`  dac test without properties (validate, replay, policy, coverage): ${(best / 1000).toFixed(2)} s, ${Math.round(events / (best / 1000))} events/s\n`);
process.stdout.write(`  reading the same files, no rule: ${(readBest / 1000).toFixed(2)} s\n`);
process.stdout.write(`  ratio (whole check / reading alone): ${(best / readBest).toFixed(1)}\n`);
process.stdout.write(`  peak RSS: ${Math.round(process.resourceUsage().maxRSS / 1024)} MB\n`);
