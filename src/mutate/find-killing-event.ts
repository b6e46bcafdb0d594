/**
 * The hint for a surviving mutant: an event that would kill it. Samples are generated from the rule's
 * scenario spec (every space, fast-check), for whatever activity the spec describes (process trees,
 * connections, registry changes, file creations, image loads, script blocks, logons), each event judged
 * on its fields; the first event where the rule keeps the spec's contract and the mutant breaks it is
 * shrunk by fast-check, then rendered as a golden event (the activity's Event XML, or another of its
 * formats the verdicts survive) with the verdict the spec gives it. Added to the golden set, that event
 * kills the mutant.
 */
import fc from 'fast-check';
import type { CompiledRule } from '../compile/compile-rule.js';
import type { EventRecord } from '../compile/event-record.js';
import { FlatRecord } from '../events/flat-record.js';
import type { EventItem, TextEventParser } from '../events/event-item.js';
import { NdjsonParser } from '../events/read-ndjson.js';
import { XmlEventParser } from '../events/read-xml.js';
import type { ScenarioEvent, ScenarioSample } from '../harness/activities/activity.js';
import { resolveSpace, type ScenarioSpec } from '../harness/scenario-spec.js';
import { createClassifier, type EventClass } from '../harness/scenario-trees.js';
import type { Verdict } from '../harness/test-report.js';

/** An event that tells a mutant from its rule, as a golden event ready to add. */
export interface KillingEvent {
  /** The event's identity along each dimension of the activity: `parent, process`, `process, destination` ... */
  readonly identities: readonly string[];
  /** The spec's judgement: which space the event is in. */
  readonly space: string;
  readonly verdict: Verdict;
  readonly falsepositive?: number | string;
  /** What the rule and the mutant say on it. */
  readonly rule: 'match' | 'no-match';
  readonly mutant: 'match' | 'no-match';
  /** The activity's format it is rendered in (`sysmon-xml`, `security-xml`, `powershell-xml` ...). */
  readonly format: string;
  readonly extension: '.xml' | '.json';
  /** The golden event's text in that format. */
  readonly text: string;
  /** The search: its seed, samples generated until the event was found, and shrinks. */
  readonly seed: number;
  readonly samples: number;
  readonly shrinks: number;
}

/** The samples an event search draws: any space of the spec. */
export function specSamples(spec: ScenarioSpec): fc.Arbitrary<ScenarioSample> {
  return fc.oneof(...spec.spaces.map((space) => spec.activity.sample(resolveSpace(space, spec), space)));
}

/** Expected to fire: true and documented false positives; expected silent: the background. */
const expectsFiring = (verdictClass: EventClass): boolean => verdictClass.kind !== 'background';

/** The first event of a sample on which the rule keeps the spec's contract and the mutant does not. */
function findTellingEvent(
  sample: ScenarioSample,
  classify: (...identities: readonly string[]) => EventClass,
  rule: CompiledRule,
  mutant: CompiledRule,
): { event: ScenarioEvent; verdictClass: EventClass } | undefined {
  for (const [index, event] of sample.events.entries()) {
    const verdictClass = classify(...event.identities);
    const expected = expectsFiring(verdictClass);
    const record = new FlatRecord('generated/flat', index, event.event.fields);
    if (rule.matches(record) === expected && mutant.matches(record) !== expected) return { event, verdictClass };
  }
  return undefined;
}

/** Reads one rendering back through the real reader, as a golden file of it would be read. */
function readBack(text: string, extension: '.xml' | '.json'): EventRecord | undefined {
  const parser: TextEventParser = extension === '.xml' ? new XmlEventParser('generated/hint.xml') : new NdjsonParser('generated/hint.ndjson');
  const items: EventItem[] = [...parser.feed({ text: `${text}\n`, invalidOffsets: [] }), ...parser.end()];
  const first = items[0];
  return first?.kind === 'event' ? first.record : undefined;
}

/**
 * The formats to try, in order: the activity's own Event XML first (it carries every field of its
 * source), its other formats when a field the mutant needs is lost, flat JSON last.
 */
function orderFormats(formats: readonly string[]): string[] {
  const rank = (format: string): number => (format === 'flat-json' ? 2 : format === formats.find((candidate) => candidate.endsWith('-xml')) ? 0 : 1);
  return [...formats].sort((a, b) => rank(a) - rank(b));
}

/**
 * Searches `runs` generated samples from `seed` for an event that kills the mutant; undefined when none
 * tells the two apart (the mutant may then be equivalent, or the spec may not reach where it differs).
 */
export function findKillingEvent(spec: ScenarioSpec, rule: CompiledRule, mutant: CompiledRule, options: { seed: number; runs: number }): KillingEvent | undefined {
  if (options.runs === 0) return undefined;
  const classify = createClassifier(spec);
  const details = fc.check(
    fc.property(specSamples(spec), (sample) => findTellingEvent(sample, classify, rule, mutant) === undefined),
    { seed: options.seed, numRuns: options.runs },
  );
  const [sample] = details.counterexample ?? [];
  const found = details.failed && sample !== undefined ? findTellingEvent(sample, classify, rule, mutant) : undefined;
  if (found === undefined) return undefined;
  const expected = expectsFiring(found.verdictClass);
  for (const format of orderFormats(spec.activity.formats)) {
    const rendering = found.event.event.render(format);
    const record = readBack(rendering.text, rendering.extension);
    if (record === undefined || rule.matches(record) !== expected || mutant.matches(record) === expected) continue;
    const space = found.verdictClass.space;
    const verdict: Verdict = found.verdictClass.kind === 'true-positive' ? 'match' : found.verdictClass.kind === 'false-positive' ? 'false-positive' : 'no-match';
    return {
      identities: found.event.identities,
      space: space === undefined ? 'background: in no true- or false-positive space' : `${space.kind} space '${space.name}'`,
      verdict,
      ...(verdict === 'false-positive' && space?.falsepositive !== undefined ? { falsepositive: space.falsepositive } : {}),
      rule: expected ? 'match' : 'no-match',
      mutant: expected ? 'no-match' : 'match',
      format,
      extension: rendering.extension,
      text: rendering.text,
      seed: options.seed,
      samples: details.numRuns,
      shrinks: details.numShrinks,
    };
  }
  return undefined;
}
