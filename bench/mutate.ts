/**
 * Mutation benchmark: what `dac mutate` costs on real work. Three measurements, one run:
 *
 *  1. the whole pack (every rule of rules/, today the web-shell rule) as `dac mutate` runs it: the rules'
 *     own tests, then every mutant judged by golden replay and properties, on 1 worker and on every core;
 *  2. the same pack with the golden look-alikes removed, so the properties, not the golden events,
 *     must kill those mutants (the slow path: each is run through the rule's property checks);
 *  3. the operators over every SigmaHQ rule (../shared/data/sigmahq, else the copy under tests/fixtures):
 *     mutants generated and read back through the parser per second.
 *
 * Run with `npx tsx bench/mutate.ts`. Figures are printed with their ratios (cores against one core).
 */
import { availableParallelism } from 'node:os';
import { cp, mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
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

/** Times `dac mutate` over a pack, with its tests' share measured apart from the judging. */
async function timeMutation(root: string, threads: number): Promise<{ seconds: number; run: MutationRun }> {
  const start = process.hrtime.bigint();
  const run = await runMutation({ repoRoot: root, threads });
  return { seconds: seconds(start), run };
}

function describeRun(label: string, { seconds: taken, run }: { seconds: number; run: MutationRun }): number {
  const mutants = run.mutations.reduce((sum, mutation) => sum + (mutation.result?.mutants ?? 0), 0);
  const killedBy = run.mutations.reduce((sum, mutation) => ({ golden: sum.golden + (mutation.result?.killedBy.golden ?? 0), properties: sum.properties + (mutation.result?.killedBy.properties ?? 0) }), { golden: 0, properties: 0 });
  const survived = run.mutations.reduce((sum, mutation) => sum + (mutation.result?.survived ?? 0), 0);
  process.stdout.write(`${label}: ${run.report.rules.length} rule(s), ${mutants} mutants (killed by golden ${killedBy.golden}, by properties ${killedBy.properties}, survived ${survived}) in ${taken.toFixed(1)} s: ${(mutants / taken).toFixed(1)} mutants/s\n`);
  return taken;
}

// 1. The pack as it is.
await timeMutation(repoRoot, 1); // warm-up: module loading and JIT
const one = describeRun('pack, 1 thread', await timeMutation(repoRoot, 1));
const all = describeRun(`pack, ${cores} threads`, await timeMutation(repoRoot, cores));
process.stdout.write(`  ${cores} threads / 1 thread: ${(one / all).toFixed(2)}x faster\n`);

// 2. Without the golden look-alikes: the properties must kill what those events killed.
const copy = await mkdtemp(join(tmpdir(), 'dac-bench-mutate-'));
for (const part of ['rules', 'filters', 'mappings', 'config', 'tests/rules', 'tests/fixtures/evtx', 'dac.config.yml', 'package.json', 'rules.lock.json']) {
  await cp(join(repoRoot, part), join(copy, part), { recursive: true });
}
const spec = join(copy, 'tests/rules/proc_creation_win_webshell_spawn/rule-test.yml');
const text = await readFile(spec, 'utf8');
await writeFile(spec, text.replace(/ {2}- file: events\/look-alikes\.sysmon\.xml\n(?: {4}.*\n| {6}.*\n)*/, ''));
const slow = describeRun(`pack without the golden look-alikes, ${cores} threads`, await timeMutation(copy, cores));
process.stdout.write(`  against the pack: ${(slow / all).toFixed(2)}x the time\n`);

// 3. Operators over the SigmaHQ corpus.
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
let dropped = 0;
const start = process.hrtime.bigint();
for (const file of files) {
  const loaded = await loadYamlFile(file, file);
  for (const document of loaded.documents) {
    const rule = parseRule(document, file).rule;
    if (rule === undefined) continue;
    rules += 1;
    const set = generateMutants(rule);
    mutants += set.mutants.length;
    dropped += set.dropped.length;
  }
}
const generation = seconds(start);
process.stdout.write(`operators over ${corpus.replace(repoRoot, '')}: ${rules} rules, ${mutants} mutants (${dropped} proposals left out) generated and read back in ${generation.toFixed(1)} s: ${(mutants / generation).toFixed(0)} mutants/s, ${((generation / rules) * 1000).toFixed(1)} ms per rule\n`);
