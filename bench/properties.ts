/**
 * Property benchmark: generated trees per second for each property of a rule's scenario spec, run as
 * `dac test --runs N` runs it: every event of every tree judged on its fields, then read back through
 * the real readers in its rotating format and judged again, with the runs split into shards on worker
 * threads (one per core) past 12,500 runs. Target: 100,000 trees per property in under a minute. Run
 * with `npx tsx bench/properties.ts [trees] [rule file]` (default 100000 trees, the web-shell rule).
 *
 * All figures come from one run and are printed as ratios: each property's rate against the target
 * rate, and, for the first property in this thread alone, what each stage adds to bare generation.
 */
import { availableParallelism } from 'node:os';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { RENDERING_FORMATS, renderAs, renderings, type RenderingFormat } from '../generators/render/renderings.js';
import { compileRule } from '../src/compile/compile-rule.js';
import { chooseFormats, prepareProperties, propertyInput, runProperties, type PropertyContext, type PropertyInput } from '../src/harness/properties.js';
import { planShards, RUNS_PER_SHARD } from '../src/harness/property-shards.js';
import { loadScenarioSpec } from '../src/harness/scenario-spec.js';
import { listScenarioEvents, sampleOfTree, scenarioTree, type ScenarioTree } from '../src/harness/scenario-trees.js';
import { parseYaml } from '../src/load/yaml.js';
import { loadMappings } from '../src/mapping/load-mappings.js';
import { resolveLogSource } from '../src/mapping/resolve-log-source.js';
import { parseRule } from '../src/parse/parse-rule.js';

const TARGET_TREES = 100_000;
const TARGET_SECONDS = 60;
const TARGET_RATE = TARGET_TREES / TARGET_SECONDS;

const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const trees = Number(process.argv[2] ?? TARGET_TREES);
const ruleFile = process.argv[3] ?? 'rules/windows/process_creation/proc_creation_win_webshell_spawn.yml';
const testFolder = join(repoRoot, 'tests/rules', basename(ruleFile).replace(/\.ya?ml$/, ''));
const mappingsDir = join(repoRoot, 'mappings');

const { documents } = parseYaml(await readFile(join(repoRoot, ruleFile), 'utf8'), ruleFile);
const rule = parseRule(documents[0]!, ruleFile).rule!;
const { mappings } = await loadMappings(mappingsDir);
const bindings = resolveLogSource(mappings, rule.logsource);
const compiled = compileRule(rule, { bindings }).compiled!;
const { spec } = await loadScenarioSpec(testFolder, repoRoot);
if (spec === undefined) throw new Error(`${testFolder} has no usable scenarios.yml`);
const context: PropertyContext = { rule, compiled, bindings, seed: 1, runs: trees, repoRoot, testFolder, mappingsDir };

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Trees per second of `work` over `runs` trees of an arbitrary. */
function measure(arbitrary: fc.Arbitrary<PropertyInput>, runs: number, work: (input: PropertyInput) => void): number {
  const start = process.hrtime.bigint();
  fc.assert(fc.property(arbitrary, (input) => work(input)), { numRuns: runs, seed: 1 });
  return runs / seconds(start);
}

/** Trees per second of the first property's whole check in this thread, one shard of `runs` trees. */
async function measureCheck(runs: number, renderingsChoice: 'rotate' | 'all'): Promise<number> {
  const prepared = await prepareProperties({ ...context, renderings: renderingsChoice });
  if (!('runShard' in prepared)) throw new Error(`the properties could not be prepared: ${JSON.stringify(prepared)}`);
  const [shard] = planShards(1, runs, runs);
  const start = process.hrtime.bigint();
  prepared.runShard(0, shard!);
  return runs / seconds(start);
}

// Where the time of one property goes, in this thread: generation, events, renderings, the whole check.
const first = spec.spaces[0]!;
const firstTrees = propertyInput(scenarioTree(first, spec.variants).map(sampleOfTree), RENDERING_FORMATS.length);
const stageRuns = Math.max(1_000, Math.round(trees / 20));
measure(firstTrees, 500, () => undefined);
await measureCheck(500, 'rotate');
const generate = measure(firstTrees, stageRuns, () => undefined);
const treeOf = (input: PropertyInput): ScenarioTree => (input.scenario as ReturnType<typeof sampleOfTree>).tree;
const withEvents = measure(firstTrees, stageRuns, (input) => void listScenarioEvents(treeOf(input)));
const withRendering = measure(firstTrees, stageRuns, (input) =>
  void listScenarioEvents(treeOf(input)).flatMap((event, index) =>
    chooseFormats('rotate', RENDERING_FORMATS, input.renderingOffset, index).map((format) => renderAs(event.creation, format as RenderingFormat))));
const withEveryRendering = measure(firstTrees, stageRuns, (input) => void listScenarioEvents(treeOf(input)).map((event) => renderings(event.creation)));
const whole = await measureCheck(stageRuns, 'rotate');
const wholeAll = await measureCheck(stageRuns, 'all');
const stage = (label: string, rate: number): string => `  ${label.padEnd(40)} ${String(Math.round(rate)).padStart(6)} trees/s  ${(generate / rate).toFixed(2)}x the time`;
console.log(`stages of ${first.kind} '${first.name}' in one thread (${stageRuns} trees each, relative to generation alone):`);
console.log(stage('generate trees', generate));
console.log(stage('+ list events', withEvents));
console.log(stage('+ render each event in its one format', withRendering));
console.log(stage('(+ render each event in all 8 formats)', withEveryRendering));
console.log(stage('whole check (read back, judge)', whole));
console.log(stage('whole check, --renderings all', wholeAll));

// Each property as `dac test --runs N` runs it, worker start-up included.
const prepared = await prepareProperties(context);
if (!('runShard' in prepared)) throw new Error('the properties could not be prepared');
const shards = planShards(context.seed, trees).length;
const threads = shards > 1 ? Math.min(availableParallelism(), shards) : 1;
console.log(
  `\n${prepared.names.length} properties, ${trees} trees each, ${shards} shard${shards === 1 ? '' : 's'} (${RUNS_PER_SHARD} runs each at most) ` +
    `on ${threads} thread${threads === 1 ? '' : 's'} (target ${Math.round(TARGET_RATE)} trees/s: ${TARGET_TREES} in ${TARGET_SECONDS} s):`,
);
let slowest = Infinity;
let totalSeconds = 0;
for (const [index, name] of prepared.names.entries()) {
  const start = process.hrtime.bigint();
  const outcome = await runProperties(context, [index]);
  const took = seconds(start);
  totalSeconds += took;
  const rate = trees / took;
  slowest = Math.min(slowest, rate);
  const failed = outcome.failures.map((failure) => `  FAILED ${failure.message}`).join('');
  console.log(`  ${name}: ${Math.round(rate)} trees/s, ${(rate / TARGET_RATE).toFixed(2)}x target, ${(TARGET_TREES / rate).toFixed(1)} s per ${TARGET_TREES}${failed}`);
}
const overall = (trees * prepared.names.length) / totalSeconds;
console.log(`overall: ${Math.round(overall)} trees/s (${(overall / TARGET_RATE).toFixed(2)}x target); slowest property ${(slowest / TARGET_RATE).toFixed(2)}x target`);
