/**
 * Judges mutants of one rule in this thread, without writing a file: each mutant's text is read back
 * and compiled, replayed over the rule's golden events, then run through the rule's properties (the
 * same checks `dac test` runs, with the mutant in the rule's place). The first failing test kills it;
 * a survivor gets a hint, an event that would kill it. Worker threads and the main thread share this
 * module, so a verdict never depends on where it was computed.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compileRule, type CompiledRule } from '../compile/compile-rule.js';
import type { EventRecord } from '../compile/event-record.js';
import { readEvents } from '../events/read-events.js';
import { findActivityOfLogSource } from '../harness/activities/registry.js';
import { findBlindSpot } from '../harness/golden.js';
import { buildTaxonomyEvent, readBackRenderings, readTaxonomyEvents } from '../harness/taxonomy-events.js';
import { parseYaml } from '../load/yaml.js';
import { loadMappings } from '../mapping/load-mappings.js';
import type { SourceBinding } from '../mapping/mapping.js';
import { resolveLogSource } from '../mapping/resolve-log-source.js';
import type { SigmaRule } from '../model/rule.js';
import { parseRule } from '../parse/parse-rule.js';
import type { RenderingChoice } from '../harness/config.js';
import { prepareProperties } from '../harness/properties.js';
import { planShards } from '../harness/property-shards.js';
import { loadRuleTestSpec, SPEC_FILE } from '../harness/rule-test-spec.js';
import { loadScenarioSpec, type ScenarioSpec } from '../harness/scenario-spec.js';
import type { Verdict } from '../harness/test-report.js';
import { findKillingEvent, type KillingEvent } from './find-killing-event.js';
import { readMutantRule } from './generate-mutants.js';
import type { TextEdit } from './mutant.js';
import { applyEdits } from './text-diff.js';

/** What every mutant evaluation of a run shares: where things are, and the property settings. */
export interface MutationSettings {
  readonly repoRoot: string;
  /** Absolute mapping folder. */
  readonly mappingsDir: string;
  /** The filters folder, relative to the repository root. */
  readonly filtersDir: string;
  readonly seed: number;
  readonly runs: number;
  readonly renderings: RenderingChoice;
  /** Trees searched for an event that kills a survivor. */
  readonly hintRuns: number;
}

/** A rule as plain data, so a worker thread can rebuild it. */
export interface RuleSource {
  readonly file: string;
  readonly text: string;
  /** The rule's document among the file's YAML documents. */
  readonly index: number;
  /** The rule's test folder, absolute. */
  readonly testFolder: string;
}

/** What became of a mutant. */
export type MutantOutcome =
  | { readonly status: 'killed'; readonly by: 'golden' | 'properties'; readonly test: string }
  | { readonly status: 'survived'; readonly hint?: KillingEvent; readonly searched: number; readonly noHint?: string }
  | { readonly status: 'invalid'; readonly problem: string };

/**
 * A golden event as `dac test` replays it: the record read (a capture, or one rendering of an event
 * written in taxonomy fields) and the verdict written for it. A taxonomy event keeps its fields: the
 * verdict a rendering is held to depends on the rule judged (a rendering that cannot show a field the
 * rule reads is expected quiet), so it is worked out again for each mutant.
 */
interface GoldenEvent {
  readonly record: EventRecord;
  readonly written: Verdict;
  readonly fields?: Readonly<Record<string, string | number>>;
  readonly label: string;
}

/** A rule ready for its mutants: compiled, its golden events read, its scenario spec loaded. */
export interface RuleUnderMutation {
  readonly source: RuleSource;
  readonly rule: SigmaRule;
  readonly compiled: CompiledRule;
  readonly bindings: readonly SourceBinding[];
  /** The golden events the rule itself gets right; only those can kill a mutant. */
  readonly golden: readonly GoldenEvent[];
  readonly spec?: ScenarioSpec;
}

/** The rule source of a parsed rule. */
export function describeRuleSource(rule: SigmaRule, testFolder: string): RuleSource {
  return { file: rule.file, text: rule.source.text, index: rule.source.index, testFolder };
}

const expectsMatch = (verdict: Verdict): boolean => verdict !== 'no-match';

/** Reads every golden event of a rule's rule-test.yml, as the golden replay of `dac test` reads them. */
async function readGoldenEvents(testFolder: string, repoRoot: string, rule: SigmaRule): Promise<GoldenEvent[]> {
  if (!existsSync(join(testFolder, SPEC_FILE))) return [];
  const { spec } = await loadRuleTestSpec(testFolder, repoRoot);
  const activity = findActivityOfLogSource(rule.logsource);
  const golden: GoldenEvent[] = [];
  for (const goldenCase of spec?.cases ?? []) {
    const verdictOf = (index: number): Verdict => (goldenCase.overrides.get(index) ?? goldenCase.expectation).verdict;
    if (goldenCase.taxonomy) {
      if (activity === undefined) continue;
      for (const event of (await readTaxonomyEvents(goldenCase.path, goldenCase.file)).events) {
        const built = buildTaxonomyEvent(activity, event.fields, event.index);
        if ('problem' in built) continue;
        for (const rendering of readBackRenderings(activity, built, goldenCase.file, event.index)) {
          if (rendering.record === undefined) continue;
          golden.push({ record: rendering.record, written: verdictOf(event.index), fields: built.fields, label: `${goldenCase.file} #${event.index} (${rendering.format})` });
        }
      }
      continue;
    }
    for await (const item of readEvents(goldenCase.path)) {
      if (item.kind === 'event') golden.push({ record: item.record, written: verdictOf(item.record.index), label: `${goldenCase.file} #${item.record.index}` });
    }
  }
  return golden;
}

/** Whether `compiled` must fire on a golden event: its written verdict, unless the rendering is blind to what the rule reads. */
function expectGolden(event: GoldenEvent, compiled: CompiledRule, bindings: readonly SourceBinding[]): boolean {
  if (!expectsMatch(event.written)) return false;
  return event.fields === undefined || findBlindSpot(compiled, event.record, bindings, event.fields) === undefined;
}

/** Rebuilds a rule from its source and reads what its mutants are judged by. */
export async function prepareRule(source: RuleSource, settings: MutationSettings): Promise<RuleUnderMutation> {
  const document = parseYaml(source.text, source.file).documents.find((candidate) => candidate.index === source.index);
  const rule = document === undefined ? undefined : parseRule(document, source.file).rule;
  if (rule === undefined) throw new Error(`document ${source.index} of ${source.file} is not a rule`);
  const { mappings, diagnostics } = await loadMappings(settings.mappingsDir);
  const broken = diagnostics.find((diagnostic) => diagnostic.severity === 'error');
  if (broken !== undefined) throw new Error(`the mapping cannot be loaded: ${broken.file}:${broken.line}: ${broken.message}`);
  const bindings = resolveLogSource(mappings, rule.logsource);
  const { compiled } = compileRule(rule, { bindings });
  if (compiled === undefined) throw new Error(`${source.file} does not compile`);
  const golden = (await readGoldenEvents(source.testFolder, settings.repoRoot, rule)).filter((event) => expectGolden(event, compiled, bindings) === compiled.matches(event.record));
  const { spec } = await loadScenarioSpec(source.testFolder, settings.repoRoot);
  return { source, rule, compiled, bindings, golden, ...(spec === undefined ? {} : { spec }) };
}

/** The first golden event the mutant gets wrong. */
function replayGolden(prepared: RuleUnderMutation, mutant: CompiledRule): string | undefined {
  for (const event of prepared.golden) {
    const expected = expectGolden(event, mutant, prepared.bindings);
    const fired = mutant.matches(event.record);
    if (fired !== expected) return `${event.label}: expected ${expected ? event.written : 'no-match'}, the mutant says ${fired ? 'match' : 'no-match'}`;
  }
  return undefined;
}

/** Trees per property of the first, quick pass over a mutant's properties. */
const QUICK_RUNS = 20;

/**
 * The first property the mutant fails, run exactly as `dac test` runs the rule's. A mutant is usually
 * caught by one property, often a late one: a quick pass of every property over its first trees says
 * which to run in full first. The verdict always comes from a full run, so it is `dac test`'s.
 */
async function runProperties(prepared: RuleUnderMutation, mutantRule: SigmaRule, mutant: CompiledRule, settings: MutationSettings): Promise<string | undefined> {
  const properties = await prepareProperties({
    rule: mutantRule,
    compiled: mutant,
    bindings: prepared.bindings,
    seed: settings.seed,
    runs: settings.runs,
    repoRoot: settings.repoRoot,
    testFolder: prepared.source.testFolder,
    filtersDir: settings.filtersDir,
    renderings: settings.renderings,
  });
  if (!('runShard' in properties)) return properties.failures[0]?.message;
  const shards = planShards(settings.seed, settings.runs);
  const runFully = (index: number): string | undefined => {
    for (const shard of shards) {
      const failure = properties.runShard(index, shard);
      if (failure !== undefined) return `property ${properties.names[index]}: ${failure.message}`;
    }
    return undefined;
  };
  const order = properties.names.map((_, index) => index);
  if (QUICK_RUNS < settings.runs) {
    const [quick] = planShards(settings.seed, QUICK_RUNS);
    const suspects = order.filter((index) => quick !== undefined && properties.runShard(index, quick) !== undefined);
    order.sort((a, b) => Number(suspects.includes(b)) - Number(suspects.includes(a)));
  }
  for (const index of order) {
    const failure = runFully(index);
    if (failure !== undefined) return failure;
  }
  return undefined;
}

/** Reads a mutant back and compiles it as its rule is compiled; the problem when it cannot be. */
function compileMutant(prepared: RuleUnderMutation, mutantText: string): { rule: SigmaRule; compiled: CompiledRule } | { problem: string } {
  const read = readMutantRule(mutantText, prepared.rule);
  if (read.rule === undefined) return { problem: read.problem ?? 'not a rule' };
  const { compiled } = compileRule(read.rule, { bindings: prepared.bindings });
  if (compiled === undefined) return { problem: 'the mutant does not compile' };
  return { rule: read.rule, compiled };
}

/** The golden replay alone: the mutant killed by a golden event, or invalid; undefined when it passes them all. */
export function judgeByGolden(prepared: RuleUnderMutation, mutantText: string): MutantOutcome | undefined {
  const built = compileMutant(prepared, mutantText);
  if ('problem' in built) return { status: 'invalid', problem: built.problem };
  const golden = replayGolden(prepared, built.compiled);
  return golden === undefined ? undefined : { status: 'killed', by: 'golden', test: golden };
}

/** Judges one mutant (its whole rule text): killed by golden replay or properties, or survived with a hint. */
export async function evaluateMutant(prepared: RuleUnderMutation, mutantText: string, settings: MutationSettings): Promise<MutantOutcome> {
  const built = compileMutant(prepared, mutantText);
  if ('problem' in built) return { status: 'invalid', problem: built.problem };
  const { rule, compiled } = built;
  const golden = replayGolden(prepared, compiled);
  if (golden !== undefined) return { status: 'killed', by: 'golden', test: golden };
  const property = await runProperties(prepared, rule, compiled, settings);
  if (property !== undefined) return { status: 'killed', by: 'properties', test: property };
  if (prepared.spec === undefined) return { status: 'survived', searched: 0, noHint: 'the rule has no scenarios.yml to generate events from' };
  const hint = findKillingEvent(prepared.spec, prepared.compiled, compiled, { seed: settings.seed, runs: settings.hintRuns });
  return hint === undefined ? { status: 'survived', searched: settings.hintRuns } : { status: 'survived', hint, searched: hint.samples };
}

/** Prepares each rule once and judges its mutants in turn: what a worker thread, or this thread, does. */
export class MutantJudge {
  private readonly rules = new Map<string, Promise<RuleUnderMutation>>();

  constructor(private readonly settings: MutationSettings) {}

  private prepare(source: RuleSource): Promise<RuleUnderMutation> {
    const key = `${source.file}\u0000${source.index}\u0000${source.text}`;
    let prepared = this.rules.get(key);
    if (prepared === undefined) {
      prepared = prepareRule(source, this.settings);
      this.rules.set(key, prepared);
    }
    return prepared;
  }

  /** The whole judgement of the mutant `edits` make of the rule: golden replay, properties, and a hint for a survivor. */
  async judge(source: RuleSource, edits: readonly TextEdit[]): Promise<MutantOutcome> {
    return evaluateMutant(await this.prepare(source), applyEdits(source.text, edits), this.settings);
  }

  /** The golden replay alone (milliseconds): the outcome when it decides, undefined when the properties must. */
  async judgeByGolden(source: RuleSource, edits: readonly TextEdit[]): Promise<MutantOutcome | undefined> {
    return judgeByGolden(await this.prepare(source), applyEdits(source.text, edits));
  }
}
