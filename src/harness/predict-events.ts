/**
 * A rule's scenario spec applied to real events (`dac predict`): each process creation of the rule's
 * log sources is placed in the spec's spaces by identifying its process and parent (identify-process.ts),
 * and the rule must fire exactly on those the spec puts in a true-positive or documented false-positive
 * space, as the property check demands of generated events. Captured attack data and benign baselines
 * thereby test the spec as much as the rule: a firing the spec does not predict is either a false
 * positive to document or a gap in the spec.
 */
import type { CompiledRule } from '../compile/compile-rule.js';
import type { EventRecord, FieldValue } from '../compile/event-record.js';
import { bindEvent } from '../mapping/bind-event.js';
import type { SourceBinding } from '../mapping/mapping.js';
import type { ReplayedEvent } from './golden.js';
import { createIdentifier, type Identification } from './identify-process.js';
import type { ScenarioSpec } from './scenario-spec.js';
import { createClassifier, type EventClass } from './scenario-trees.js';
import type { Failure, Verdict } from './test-report.js';

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
  /** The event does not show what identifying its process or parent needs. */
  | 'unpredictable';

/** The spec's view of one process creation next to the rule's. */
export interface Prediction {
  readonly outcome: PredictionOutcome;
  readonly fired: boolean;
  readonly parent: Identification;
  readonly process: Identification;
  /** The spec's class, when both processes were identified. */
  readonly predicted?: EventClass;
  /** The fields the identification read, for the report. */
  readonly fields: Readonly<Record<'ParentImage' | 'Image' | 'CommandLine' | 'ParentCommandLine' | 'User', string | undefined>>;
}

/** `parent -> process` by identity, `?` for a process that could not be identified. */
export function describeIdentities(prediction: Pick<Prediction, 'parent' | 'process'>): string {
  const name = (found: Identification): string => ('identity' in found ? found.identity : '?');
  return `${name(prediction.parent)} -> ${name(prediction.process)}`;
}

const text = (value: FieldValue | undefined): string | undefined => {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : typeof first === 'number' ? String(first) : undefined;
};

/**
 * Builds the predictor of a rule and its scenario spec. It returns undefined only for an event that is
 * not of the rule's log sources (another channel or event id); a process creation without an image is
 * `unpredictable`, with the reason, never dropped.
 */
export function createPredictor(
  spec: ScenarioSpec,
  compiled: CompiledRule,
  bindings: readonly SourceBinding[],
): (record: EventRecord) => Prediction | undefined {
  const identify = createIdentifier(spec.variants);
  const classify = createClassifier(spec);
  return (record) => {
    const bound = bindEvent(record, bindings);
    if (bound === undefined) return undefined;
    const image = text(bound.get('Image'));
    const fields = {
      ParentImage: text(bound.get('ParentImage')),
      Image: image,
      CommandLine: text(bound.get('CommandLine')),
      ParentCommandLine: text(bound.get('ParentCommandLine')),
      User: text(bound.get('User')),
    };
    const fired = compiled.matches(record);
    const process = identify({ image, commandLine: fields.CommandLine, accounts: [fields.User] });
    // A process inherits its parent's account, so the child's User can name the parent's application pool.
    const parent = identify({ image: fields.ParentImage, commandLine: fields.ParentCommandLine, accounts: [text(bound.get('ParentUser')), fields.User] });
    if (!('identity' in parent) || !('identity' in process)) return { outcome: 'unpredictable', fired, parent, process, fields };
    const predicted = classify(parent.identity, process.identity);
    const expected = predicted.kind !== 'background';
    const outcome: PredictionOutcome = fired ? (expected ? 'predicted-firing' : 'unpredicted-firing') : expected ? 'missed' : 'predicted-silence';
    return { outcome, fired, parent, process, predicted, fields };
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
