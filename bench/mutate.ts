/**
 * Mutation benchmark: what `dac mutate` costs on real work, measured in one run.
 *
 *  1. The whole pack (12 rules over 7 log sources) as `dac mutate` runs it on every core: the rules'
 *     own tests, the golden replay of every mutant (this thread), then, on worker threads, the
 *     properties of the mutants the golden events leave (those the properties kill, and those
 *     mutants.yml marks equivalent, which must pass every property and then a hint search of 10,000
 *     generated samples that holds the mark to account). Mutants per second of each stage.
 *  2. The same run on 1 thread: the ratio is what the workers buy.
 *  3. The same run without hint searches (`--hint-runs 0`): the share of the time that holds the
 *     equivalence marks to generated events.
 *  4. The operators over every SigmaHQ rule (../shared/data/sigmahq, else the copy in tests/fixtures):
 *     mutants generated and read back through the parser per second.
 *
 * Each run prints its wall-clock time and the CPU time of the process (every thread): on a machine
 * other jobs share, the CPU time is the figure the load does not change. Run with `npx tsx bench/mutate.ts`.
 */
import { availableParallelism } from 'node:os';
import { readdir, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadYamlFile } from '../src/load/yaml.js';
import { generateMutants } from '../src/mutate/generate-mutants.js';
import { runMutation, type MutationRun } from '../src/mutate/run-mutation.js';
import { parseRule } from '../src/parse/parse-rule.js';

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const cores = availableParallelism();

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Runs `dac mutate` over a pack and prints where the time went; returns the whole run's seconds. */
async function measure(label: string, root: string, threads: number, hintRuns?: number): Promise<MutationRun & { total: number; cpu: number }> {
  const start = process.hrtime.bigint();
  const cpuStart = process.cpuUsage();
  const run = await runMutation({ repoRoot: root, threads, ...(hintRuns === undefined ? {} : { hintRuns }) });
  const total = seconds(start);
  const used = process.cpuUsage(cpuStart);
  const cpu = (used.user + used.system) / 1e6;
  const sum = (pick: (result: NonNullable<MutationRun['mutations'][number]['result']>) => number): number =>
    run.mutations.reduce((acc, mutation) => acc + (mutation.result === undefined ? 0 : pick(mutation.result)), 0);
  const mutants = sum((result) => result.mutants);
  const { tests, golden, further } = run.stages.seconds;
  process.stdout.write(
    `${label}: ${run.report.rules.length} rule(s), ${mutants} mutants (killed by golden ${sum((r) => r.killedBy.golden)}, by properties ${sum((r) => r.killedBy.properties)}, ` +
      `survived ${sum((r) => r.survived)}, equivalent ${sum((r) => r.equivalent)}) in ${total.toFixed(1)} s (CPU ${cpu.toFixed(1)} s): ${(mutants / total).toFixed(1)} mutants/s overall\n` +
      `  the rules' own tests ${tests.toFixed(1)} s; golden stage ${run.stages.byGoldenHere} mutants in ${golden.toFixed(2)} s (${(run.stages.byGoldenHere / Math.max(golden, 1e-9)).toFixed(0)} mutants/s, this thread); ` +
      `properties stage ${run.stages.further} mutants in ${further.toFixed(1)} s (${run.stages.workers > 0 ? `${run.stages.workers} worker threads` : 'this thread'})\n`,
  );
  return { ...run, total, cpu };
}

// A small run first, so that modules and the JIT are warm for the measured ones.
await runMutation({ repoRoot, threads: 1, operators: ['add-not'], onlyFiles: new Set(['rules/windows/registry/registry_set/registry_set_rdp_enabled.yml']) });

// 1.-3. The pack as it is: on every core, on 1 thread, and without hint searches.
const all = await measure(`pack, up to ${cores} threads`, repoRoot, cores);
const one = await measure('pack, 1 thread', repoRoot, 1);
process.stdout.write(`  ${cores} threads against 1: properties stage ${(one.stages.seconds.further / all.stages.seconds.further).toFixed(2)}x faster, whole run ${(one.total / all.total).toFixed(2)}x, for ${(all.cpu / one.cpu).toFixed(2)}x the CPU time (workers start and warm up)\n`);
const noHints = await measure(`pack, up to ${cores} threads, no hint search`, repoRoot, cores, 0);
process.stdout.write(`  the hint searches that hold the equivalence marks to generated events: ${(all.stages.seconds.further - noHints.stages.seconds.further).toFixed(1)} s of the properties stage's ${all.stages.seconds.further.toFixed(1)} s\n`);

// 4. Operators over the SigmaHQ corpus.
const shared = join(repoRoot, '../shared/data/sigmahq/rules');
const corpus = existsSync(shared) ? shared : join(repoRoot, 'tests/fixtures/sigmahq/rules');
async function listYaml(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const name of await readdir(folder)) {
    const path = join(folder, name);
    if ((await stat(path)).isDirectory()) found.push(...(await listYaml(path)));
    else if (/\.ya?ml$/.test(name)) found.push(path);
  }
  return found;
}
const files = await listYaml(corpus);
let rules = 0;
let mutants = 0;
let leftOut = 0;
const perRule: [string, number, number][] = [];
const start = process.hrtime.bigint();
for (const file of files) {
  const loaded = await loadYamlFile(file, file);
  for (const document of loaded.documents) {
    const rule = parseRule(document, file).rule;
    if (rule === undefined) continue;
    rules += 1;
    const ruleStart = process.hrtime.bigint();
    const set = generateMutants(rule);
    perRule.push([file, seconds(ruleStart), set.mutants.length]);
    mutants += set.mutants.length;
    leftOut += set.dropped.length;
  }
}
const generation = seconds(start);
const slowest = [...perRule].sort((a, b) => b[1] - a[1])[0];
process.stdout.write(`operators over ${corpus.replace(repoRoot, '')}: ${rules} rules, ${mutants} mutants (${leftOut} proposals left out) generated and read back in ${generation.toFixed(1)} s: ${(mutants / generation).toFixed(0)} mutants/s, ${((generation / rules) * 1000).toFixed(1)} ms per rule; the slowest, ${slowest?.[0].replace(corpus, '')} (${slowest?.[2]} mutants), ${slowest?.[1].toFixed(1)} s\n`);
