/**
 * The hint for a surviving mutant: an event that would kill it. Trees are generated from the rule's
 * scenario spec (every space, fast-check), each process creation judged on its fields; the first
 * event where the rule keeps its contract and the mutant breaks it is shrunk by fast-check, then
 * rendered as a golden event (Sysmon EID 1 XML, or another format the verdicts survive) with the
 * verdict the spec gives it. Added to the golden set, that event kills the mutant.
 */
import fc from 'fast-check';
import { convertFlatJson } from '../../generators/render/flat-json.js';
import { RENDERING_FORMATS, renderAs, type RenderingFormat } from '../../generators/render/renderings.js';
import type { CompiledRule } from '../compile/compile-rule.js';
import type { EventRecord } from '../compile/event-record.js';
import { FlatRecord } from '../events/flat-record.js';
import { NdjsonParser } from '../events/read-ndjson.js';
import { XmlEventParser } from '../events/read-xml.js';
import type { ScenarioSpec } from '../harness/scenario-spec.js';
import { createClassifier, listScenarioEvents, scenarioTree, type EventClass, type ScenarioEvent, type ScenarioTree } from '../harness/scenario-trees.js';
import type { Verdict } from '../harness/test-report.js';

/** An event that tells a mutant from its rule, as a golden event ready to add. */
export interface KillingEvent {
  readonly parentIdentity: string;
  readonly identity: string;
  /** The spec's judgement: which space the event is in. */
  readonly space: string;
  readonly verdict: Verdict;
  readonly falsepositive?: number | string;
  /** What the rule and the mutant say on it. */
  readonly rule: 'match' | 'no-match';
  readonly mutant: 'match' | 'no-match';
  readonly format: RenderingFormat;
  readonly extension: '.xml' | '.json';
  /** The golden event's text in that format. */
  readonly text: string;
  /** The search: its seed, trees generated until the event was found, and shrinks. */
  readonly seed: number;
  readonly trees: number;
  readonly shrinks: number;
}

/** The trees an event search draws: any space of the spec. */
export function specTrees(spec: ScenarioSpec): fc.Arbitrary<ScenarioTree> {
  return fc.oneof(...spec.spaces.map((space) => scenarioTree(space, spec.variants)));
}

/** Expected to fire: true and documented false positives; expected silent: the background. */
const expectsFiring = (verdictClass: EventClass): boolean => verdictClass.kind !== 'background';

/** The first event of a tree on which the rule keeps the spec's contract and the mutant does not. */
function findTellingEvent(
  scenario: ScenarioTree,
  classify: (parent: string, child: string) => EventClass,
  rule: CompiledRule,
  mutant: CompiledRule,
): { event: ScenarioEvent; verdictClass: EventClass; record: EventRecord } | undefined {
  const events = listScenarioEvents(scenario);
  for (let index = 0; index < events.length; index += 1) {
    const event = events[index] as ScenarioEvent;
    const verdictClass = classify(event.parentIdentity, event.identity);
    const expected = expectsFiring(verdictClass);
    const record = new FlatRecord('generated/flat', index, convertFlatJson(event.creation));
    if (rule.matches(record) === expected && mutant.matches(record) !== expected) return { event, verdictClass, record };
  }
  return undefined;
}

/** Reads one rendering back through the real reader, as a golden file of it would be read. */
function readBack(text: string, extension: '.xml' | '.json'): EventRecord | undefined {
  const parser = extension === '.xml' ? new XmlEventParser('generated/hint.xml') : new NdjsonParser('generated/hint.ndjson');
  const items = [...parser.feed({ text: `${text}\n`, invalidOffsets: [] }), ...parser.end()];
  const first = items[0];
  return first?.kind === 'event' ? first.record : undefined;
}

// Sysmon EID 1 carries every field; the other formats are tried in order when a field the mutant needs is lost.
const PREFERRED: readonly RenderingFormat[] = ['sysmon-xml', ...RENDERING_FORMATS.filter((format) => format !== 'sysmon-xml' && format !== 'flat-json'), 'flat-json'];

/**
 * Searches `runs` generated trees from `seed` for an event that kills the mutant; undefined when none
 * tells the two apart (the mutant may then be equivalent, or the spec may not reach where it differs).
 */
export function findKillingEvent(spec: ScenarioSpec, rule: CompiledRule, mutant: CompiledRule, options: { seed: number; runs: number }): KillingEvent | undefined {
  const classify = createClassifier(spec);
  const details = fc.check(
    fc.property(specTrees(spec), (scenario) => findTellingEvent(scenario, classify, rule, mutant) === undefined),
    { seed: options.seed, numRuns: options.runs },
  );
  const [scenario] = details.counterexample ?? [];
  const found = details.failed && scenario !== undefined ? findTellingEvent(scenario, classify, rule, mutant) : undefined;
  if (found === undefined) return undefined;
  const expected = expectsFiring(found.verdictClass);
  for (const format of PREFERRED) {
    const rendering = renderAs(found.event.creation, format);
    const record = readBack(rendering.text, rendering.extension);
    if (record === undefined || rule.matches(record) !== expected || mutant.matches(record) === expected) continue;
    const space = found.verdictClass.space;
    const verdict: Verdict = found.verdictClass.kind === 'true-positive' ? 'match' : found.verdictClass.kind === 'false-positive' ? 'false-positive' : 'no-match';
    return {
      parentIdentity: found.event.parentIdentity,
      identity: found.event.identity,
      space: space === undefined ? 'background: in no true- or false-positive space' : `${space.kind} space '${space.name}'`,
      verdict,
      ...(verdict === 'false-positive' && space?.falsepositive !== undefined ? { falsepositive: space.falsepositive } : {}),
      rule: expected ? 'match' : 'no-match',
      mutant: expected ? 'no-match' : 'match',
      format,
      extension: rendering.extension,
      text: rendering.text,
      seed: options.seed,
      trees: details.numRuns,
      shrinks: details.numShrinks,
    };
  }
  return undefined;
}
