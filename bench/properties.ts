/**
 * Property benchmark: generated trees per second for each property of a rule's scenario spec, each
 * tree's events rendered in every format, read back through the real readers and judged against the
 * spec, as `dac test` does. Target: 100,000 trees per property in under a minute. Run with
 * `npx tsx bench/properties.ts [trees] [rule file]` (default 100000 trees, the web-shell rule).
 *
 * All figures come from one run and are printed as ratios: each property's rate against the target
 * rate, and, for the first property, what each stage adds to bare tree generation.
 */
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { renderings } from '../generators/render/renderings.js';
import { compileRule } from '../src/compile/compile-rule.js';
import { XmlEventParser } from '../src/events/read-xml.js';
import { NdjsonParser } from '../src/events/read-ndjson.js';
import { prepareProperties } from '../src/harness/properties.js';
import { loadScenarioSpec } from '../src/harness/scenario-spec.js';
import { listScenarioEvents, scenarioTree, type ScenarioTree } from '../src/harness/scenario-trees.js';
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

const { documents } = parseYaml(await readFile(join(repoRoot, ruleFile), 'utf8'), ruleFile);
const rule = parseRule(documents[0]!, ruleFile).rule!;
const { mappings } = await loadMappings(join(repoRoot, 'mappings'));
const bindings = resolveLogSource(mappings, rule.logsource);
const compiled = compileRule(rule, { bindings }).compiled!;
const { spec } = await loadScenarioSpec(testFolder, repoRoot);
if (spec === undefined) throw new Error(`${testFolder} has no usable scenarios.yml`);

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Trees per second of `work` over `runs` trees of an arbitrary. */
function measure(arbitrary: fc.Arbitrary<ScenarioTree>, runs: number, work: (tree: ScenarioTree) => void): number {
  const start = process.hrtime.bigint();
  fc.assert(fc.property(arbitrary, (tree) => work(tree)), { numRuns: runs, seed: 1 });
  return runs / seconds(start);
}

// Where the time of one property goes: generation, events, renderings, reading back.
const first = spec.spaces[0]!;
const firstTrees = scenarioTree(first, spec.variants);
const stageRuns = Math.max(1_000, Math.round(trees / 20));
measure(firstTrees, 500, () => undefined);
const generate = measure(firstTrees, stageRuns, () => undefined);
const withEvents = measure(firstTrees, stageRuns, (tree) => void listScenarioEvents(tree));
const withRenderings = measure(firstTrees, stageRuns, (tree) => void listScenarioEvents(tree).map((event) => renderings(event.creation)));
const withReaders = measure(firstTrees, stageRuns, (tree) => {
  const all = listScenarioEvents(tree).map((event) => renderings(event.creation));
  for (let format = 0; format < (all[0]?.length ?? 0); format++) {
    const first = all[0]![format]!;
    const parser = first.extension === '.xml' ? new XmlEventParser('bench.xml') : new NdjsonParser('bench.ndjson');
    const text = `${all.map((list) => list[format]!.text).join('\n')}\n`;
    for (const item of [...parser.feed({ text, invalidOffsets: [] }), ...parser.end()]) if (item.kind === 'event') compiled.matches(item.record);
  }
});
console.log(`stages of ${first.kind} '${first.name}' (${stageRuns} trees each, relative to generation alone):`);
console.log(`  generate trees:            ${Math.round(generate)} trees/s  1.00x`);
console.log(`  + list events:             ${Math.round(withEvents)} trees/s  ${(generate / withEvents).toFixed(2)}x the time`);
console.log(`  + render 8 formats:        ${Math.round(withRenderings)} trees/s  ${(generate / withRenderings).toFixed(2)}x the time`);
console.log(`  + read back and match:     ${Math.round(withReaders)} trees/s  ${(generate / withReaders).toFixed(2)}x the time`);

// Each property as dac test runs it (one property per space, then the filters over every space).
const prepared = await prepareProperties({ rule, compiled, bindings, seed: 1, runs: trees, repoRoot, testFolder });
if (!('run' in prepared)) throw new Error(`the properties could not be prepared: ${JSON.stringify(prepared)}`);
console.log(`\n${prepared.names.length} properties, ${trees} trees each (target ${Math.round(TARGET_RATE)} trees/s: ${TARGET_TREES} in ${TARGET_SECONDS} s):`);
let slowest = Infinity;
let totalSeconds = 0;
prepared.names.forEach((name, index) => {
  const start = process.hrtime.bigint();
  const failure = prepared.run(index, trees);
  const took = seconds(start);
  totalSeconds += took;
  const rate = trees / took;
  slowest = Math.min(slowest, rate);
  console.log(
    `  ${name}: ${Math.round(rate)} trees/s, ${(rate / TARGET_RATE).toFixed(2)}x target, ` +
      `${(TARGET_TREES / rate).toFixed(1)} s per ${TARGET_TREES}${failure === undefined ? '' : `  FAILED ${failure.message}`}`,
  );
});
const overall = (trees * prepared.names.length) / totalSeconds;
console.log(`overall: ${Math.round(overall)} trees/s (${(overall / TARGET_RATE).toFixed(2)}x target); slowest property ${(slowest / TARGET_RATE).toFixed(2)}x target`);
