/**
 * A rule's scenario spec applied to real events (`dac predict`): each event of the spec's activity in
 * the rule's log sources is placed in the spec's spaces by identifying what each dimension names (for a
 * process creation its process and parent, identify-process.ts; for a registry change its process and
 * the change),
 * and the rule must fire exactly on those the spec puts in a true-positive or documented false-positive
 * space, as the property check demands of generated events. Captured attack data and benign baselines
 * thereby test the spec as much as the rule: a firing the spec does not predict is either a false
 * positive to document or a gap in the spec.
 */
import type { CompiledRule } from '../compile/compile-rule.js';
import type { EventRecord, FieldValue } from '../compile/event-record.js';
import { bindEvent } from '../mapping/bind-event.js';
import type { SourceBinding } from '../mapping/mapping.js';
import type { Identification } from './activities/activity.js';
import type { ReplayedEvent } from './golden.js';
import type { ScenarioSpec } from './scenario-spec.js';
import { createClassifier, type EventClass } from './scenario-trees.js';
import type { Failure, Verdict } from './test-report.js';

export type { Identification } from './activities/activity.js';

/** How the rule's verdict on one event compares with the spec's prediction. */
export type PredictionOutcome =
  /** The rule fired and the spec puts the event in a true-positive or false-positive space. */
  | 'predicted-firing'
  /** The rule stayed quiet on an event the spec puts in no such space. */
  | 'predicted-silence'
  /** The rule fired on an event the spec puts in no true- or false-positive space. */
  | 'unpredicted-firing'
  /** The rule stayed quiet on an event the spec puts in a true- or false-positive space. */
  | 'missed'
  /** The event does not show what identifying one of its entries needs. */
  | 'unpredictable';

/** The spec's view of one event next to the rule's. */
export interface Prediction {
  readonly outcome: PredictionOutcome;
  readonly fired: boolean;
  /** One identification per dimension of the spec's activity (process creations: parent, process). */
  readonly identities: readonly Identification[];
  /** The spec's class, when every entry was identified. */
  readonly predicted?: EventClass;
  /** The fields the identification read, for the report. */
  readonly fields: Readonly<Record<string, string | undefined>>;
}

/** `parent -> process` (or `process -> destination` ...) by identity, `?` for an entry that could not be identified. */
export function describeIdentities(prediction: Pick<Prediction, 'identities'>): string {
  return prediction.identities.map((found) => ('identity' in found ? found.identity : '?')).join(' -> ');
}

const text = (value: FieldValue | undefined): string | undefined => {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : typeof first === 'number' ? String(first) : undefined;
};

/**
 * Builds the predictor of a rule and its scenario spec. It returns undefined only for an event that is
 * not of the spec's activity in the rule's log sources (another channel or event id, a Security event
 * that is no logon); an event of the activity missing what identification needs (a process creation
 * without an image) is `unpredictable`, with the reason, never dropped.
 */
export function createPredictor(
  spec: ScenarioSpec,
  compiled: CompiledRule,
  bindings: readonly SourceBinding[],
): (record: EventRecord) => Prediction | undefined {
  const identify = spec.activity.createIdentifier(spec.variants);
  const classify = createClassifier(spec);
  return (record) => {
    const bound = bindEvent(record, bindings);
    const identities = bound === undefined ? undefined : identify(bound);
    if (bound === undefined || identities === undefined) return undefined;
    const fields = Object.fromEntries(spec.activity.keyFields.map((field) => [field, text(bound.get(field))]));
    const fired = compiled.matches(record);
    const known = identities.flatMap((found) => ('identity' in found ? [found.identity] : []));
    if (known.length < identities.length) return { outcome: 'unpredictable', fired, identities, fields };
    const predicted = classify(...known);
    const expected = predicted.kind !== 'background';
    const outcome: PredictionOutcome = fired ? (expected ? 'predicted-firing' : 'unpredicted-firing') : expected ? 'missed' : 'predicted-silence';
    return { outcome, fired, identities, predicted, fields };
  };
}

const VERDICT_OF: Readonly<Record<EventClass['kind'], Verdict>> = {
  'true-positive': 'match',
  'false-positive': 'false-positive',
  background: 'no-match',
};

/**
 * Holds a rule's golden expectations to its scenario spec: every golden event the spec can place must
 * expect what the spec predicts (a true-positive space: match; a false-positive space: false-positive;
 * anywhere else: no-match). Failures point at the verdict in rule-test.yml (`specFile`).
 */
export function checkGoldenPredictions(
  spec: ScenarioSpec,
  compiled: CompiledRule,
  bindings: readonly SourceBinding[],
  events: readonly ReplayedEvent[],
  specFile: string,
): Failure[] {
  const predict = createPredictor(spec, compiled, bindings);
  const failures: Failure[] = [];
  for (const { record, expectation, result } of events) {
    // A rendering that cannot show what the rule needs is expected quiet whatever the spec says.
    if (result.blindSpot !== undefined) continue;
    const prediction = predict(record);
    if (prediction?.predicted === undefined) continue;
    const predicted = VERDICT_OF[prediction.predicted.kind];
    if (predicted === expectation.verdict) continue;
    const space = prediction.predicted.space;
    failures.push({
      check: 'properties',
      message: `${result.file} #${result.event}: rule-test.yml expects ${expectation.verdict}, but the scenario spec predicts ${predicted} for ${describeIdentities(prediction)}` +
        ` (${space === undefined ? 'in no true- or false-positive space' : `${space.kind} space '${space.name}'`})`,
      file: specFile,
      line: expectation.verdictAt.line,
      column: expectation.verdictAt.column,
    });
  }
  return failures;
}
