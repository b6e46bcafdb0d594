/**
 * The main job on the whole pack: `dac test` as `npm run check` runs it (validation, golden replay,
 * policy, coverage, properties at the configured 200 runs, version check) over every rule of the
 * repository, timed whole, then each rule alone (`--changed-since`-style, one rule at a time) to show
 * where the time goes. Prints the whole run against the one-minute budget the pack must stay well under,
 * and each rule's share, all measured in this run.
 *
 *   npx tsx bench/pack.ts
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { propertyCheck } from '../src/harness/properties.js';
import { runTests } from '../src/harness/run-tests.js';

const BUDGET_SECONDS = 60;
const repoRoot = fileURLToPath(new URL('../', import.meta.url));

const cpuBefore = process.cpuUsage();
const started = performance.now();
const { report } = await runTests({ repoRoot, extraChecks: [propertyCheck] });
const whole = (performance.now() - started) / 1000;
const cpu = process.cpuUsage(cpuBefore);
const sources = new Set(report.rules.map((rule) => rule.logsource));
const properties = report.rules.reduce((sum, rule) => sum + (rule.properties?.properties ?? 0), 0);
console.log(`whole pack: ${report.rules.length} rules over ${sources.size} log sources, ${properties} properties, ${report.rules.reduce((sum, rule) => sum + rule.cases.length, 0)} golden cases, passed: ${report.passed}`);
console.log(`  ${whole.toFixed(1)} s wall (${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU in this thread), ${(whole / BUDGET_SECONDS).toFixed(2)}x the ${BUDGET_SECONDS} s budget`);

const alone: [string, number][] = [];
for (const rule of report.rules) {
  const start = performance.now();
  await runTests({ repoRoot, extraChecks: [propertyCheck], onlyFiles: new Set([rule.file]) });
  alone.push([rule.file, (performance.now() - start) / 1000]);
}
const sum = alone.reduce((total, [, seconds]) => total + seconds, 0);
console.log('each rule alone (validation of the pack included in each):');
for (const [file, seconds] of alone.sort((a, b) => b[1] - a[1])) console.log(`  ${seconds.toFixed(2).padStart(6)} s  ${((seconds / sum) * 100).toFixed(0).padStart(3)} %  ${file}`);
