import type { CompiledRule } from '../compile/compile-rule.js';
import { FlatRecord } from '../events/flat-record.js';
import type { ItemExplanation, RuleExplanation } from '../compile/explanation.js';
import type { Position } from '../diagnostics/diagnostic.js';
import type { EventRecord, FieldValue } from '../compile/event-record.js';
import { InputAccountant, type InputAccount, type RecogniseRecord } from '../events/input-account.js';
import { readEvents } from '../events/read-events.js';
import { bindEvent, matchesSource } from '../mapping/bind-event.js';
import type { SourceBinding } from '../mapping/mapping.js';
import { findActivityOfLogSource } from './activities/registry.js';
import type { Expectation, GoldenCase, RuleTestSpec } from './rule-test-spec.js';
import { buildTaxonomyEvent, readBackRenderings, readTaxonomyEvents } from './taxonomy-events.js';
import type { CaseResult, Failure, Verdict } from './test-report.js';
import { detectionFields } from '../model/rule-fields.js';

/** A replayed golden event with the engine's explanation, for coverage and diffs. */
export interface ReplayedEvent {
  readonly result: CaseResult;
  /** The event as read, for checks that judge it again (the scenario spec's prediction). */
  readonly record: EventRecord;
  readonly explanation: RuleExplanation;
  /** Where the event's expectation is written in the spec. */
  readonly expectation: Expectation;
  readonly goldenCase: GoldenCase;
}

/** What replaying a rule's golden events found. */
export interface GoldenReplay {
  readonly events: readonly ReplayedEvent[];
  readonly failures: readonly Failure[];
  /** Per golden event file: every record read, recognised, not recognised or skipped. */
  readonly inputs: readonly InputAccount[];
}

/** The log source an event came from, named by the mapping binding it satisfies. */
export function nameSource(record: EventRecord, bindings: readonly SourceBinding[]): string {
  if (record.channel === undefined && record.eventId === undefined) return 'flat';
  const binding = bindings.find((candidate) => matchesSource(record, candidate));
  return binding ? binding.id : `${record.channel ?? '?'}/${record.eventId ?? '?'}`;
}

const expectsMatch = (verdict: Verdict): boolean => verdict !== 'no-match';

function showValue(value: FieldValue | undefined): string {
  if (value === undefined) return '(absent)';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

const flattenItems = (explanation: RuleExplanation): ItemExplanation[] =>
  explanation.identifiers.flatMap((identifier) => identifier.items);

/** How an item reads in a diff: `Field|mod1|mod2`, or `keywords`. */
const nameItem = (item: ItemExplanation): string => `${item.field ?? 'keywords'}${item.modifiers.map((m) => `|${m}`).join('')}`;

/**
 * Why an item matched or not, in words that agree with its verdict: the verdict is the item's own
 * (after `|all` linking and negation), and the values named are the ones that decided it.
 */
export function describeItemVerdict(item: ItemExplanation): string {
  const hits = item.values.filter((value) => value.matched).map((value) => value.value);
  const misses = item.values.filter((value) => !value.matched).map((value) => value.value);
  const name = nameItem(item);
  if (item.negated) {
    return item.matched
      ? `matched: no value of ${name} matched, and the item is negated`
      : `did not match: ${name} matched ${hits.join(', ')}, and the item is negated`;
  }
  if (item.matched) {
    return item.linking === 'and' ? `matched all of ${hits.join(', ')}` : `matched ${hits[0] ?? '(no value)'}`;
  }
  if (item.linking === 'and' && hits.length > 0) return `did not match: every value is needed; ${misses.join(', ')} did not match`;
  return `did not match: no value of ${name} matched`;
}

/**
 * The detection items of the rule with the event's values, each with its own verdict: what decided
 * the verdict. Items are keyed by identifier and field (`selection.Image`), so a field read by two
 * identifiers shows twice and never contradicts the identifiers line.
 */
export function collectDecidingFields(explanation: RuleExplanation, view: EventRecord | undefined): Record<string, string> {
  const fields: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const identifier of explanation.identifiers) {
    for (const item of identifier.items) {
      const base = `${identifier.name}.${nameItem(item)}`;
      let key = base;
      for (let n = 2; key in fields; n += 1) key = `${base} #${n}`;
      if (item.field === undefined) {
        const hit = item.values.find((value) => value.matched);
        fields[key] = `${hit ? `found in ${hit.fields.join(', ')}` : '(in no field)'}  (${describeItemVerdict(item)})`;
        continue;
      }
      fields[key] = `${showValue(view?.get(item.field))}  (${describeItemVerdict(item)})`;
    }
  }
  return fields;
}

/**
 * Where to annotate a wrong verdict in the rule: a missed detection points at the first detection item
 * that did not match (a removed value, a flipped modifier); a wrong firing at the condition.
 */
function locateCause(compiled: CompiledRule, explanation: RuleExplanation, got: 'match' | 'no-match'): Position {
  const detection = compiled.rule.detection;
  const condition = detection.conditions[0]?.source.position ?? detection.source.position;
  if (got === 'match' || !explanation.logsource) return condition;
  const failed = flattenItems(explanation).find((item) => !item.matched);
  return failed?.source.position ?? condition;
}

function formatDiff(result: CaseResult, explanation: RuleExplanation): string {
  const lines = [
    `event:    ${result.file} #${result.event} (${result.source}${result.rendering === undefined ? '' : `, rendered as ${result.rendering}`})`,
    `expected: ${result.expected}${result.falsepositive ? ` (documents: ${result.falsepositive})` : ''}`,
    `got:      ${result.got}${explanation.logsource ? '' : ' (the event is not of the rule\'s log source)'}`,
  ];
  const identifiers = explanation.identifiers.map((identifier) => `${identifier.name}=${identifier.matched}`).join(', ');
  if (identifiers) lines.push(`identifiers: ${identifiers}`);
  lines.push('deciding fields:');
  for (const [field, value] of Object.entries(result.decidingFields)) lines.push(`  ${field}: ${value}`);
  return lines.join('\n');
}

function resolveFalsePositive(reference: number | string | undefined, entries: readonly string[]): string | undefined {
  if (reference === undefined) return undefined;
  if (typeof reference === 'number') return entries[reference];
  return entries.find((entry) => entry.startsWith(reference));
}


/**
 * Why a rendering cannot show what the rule needs to fire on an event (its source's `unavailable`
 * fields the rule reads, without which the event's fields no longer match), or undefined.
 */
export function findBlindSpot(compiled: CompiledRule, record: EventRecord, bindings: readonly SourceBinding[], fields: Readonly<Record<string, string | number>>): string | undefined {
  const binding = bindings.find((candidate) => matchesSource(record, candidate));
  if (binding === undefined) return undefined;
  const ruleFields = new Set(detectionFields(compiled.rule));
  const missing = binding.unavailable.filter((entry) => ruleFields.has(entry.field) && (entry.versions === undefined || record.version === undefined || entry.versions.includes(record.version)));
  if (missing.length === 0 || !compiled.matches(new FlatRecord('golden/fields', 0, fields))) return undefined;
  const projected: Record<string, string | number> = { ...fields };
  for (const entry of missing) delete projected[entry.field];
  if (compiled.matches(new FlatRecord('golden/fields', 0, projected))) return undefined;
  return `${binding.title}${record.version === undefined ? '' : ` version ${record.version}`} cannot provide ${missing.map((entry) => `${entry.field} (${entry.reason})`).join('; ')}`;
}

/**
 * Replays the events of a golden file in Sigma taxonomy fields: each rendered into every shape of the
 * rule's activity and read back; a rendering whose source cannot show what the rule needs is expected
 * not to fire, and says why.
 */
async function replayTaxonomyCase(
  compiled: CompiledRule,
  goldenCase: GoldenCase,
  spec: RuleTestSpec,
  bindings: readonly SourceBinding[],
  events: ReplayedEvent[],
  failures: Failure[],
  accountant: InputAccountant,
): Promise<void> {
  const { rule } = compiled;
  const at = { file: spec.file, line: goldenCase.at.line, column: goldenCase.at.column };
  const activity = findActivityOfLogSource(rule.logsource);
  if (activity === undefined) {
    const source = [rule.logsource.category, rule.logsource.service].filter(Boolean).join('/') || '(none)';
    failures.push({ check: 'golden', message: `${goldenCase.file}: events in taxonomy fields need a log source the generators can render, and ${source} has none; store captured events instead`, ...at });
    return;
  }
  const read = await readTaxonomyEvents(goldenCase.path, goldenCase.file);
  for (const diagnostic of read.diagnostics) {
    failures.push({ check: 'golden', message: `${goldenCase.file}: ${diagnostic.message}`, details: `${diagnostic.code} at ${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`, ...at });
  }
  for (const taxonomyEvent of read.events) {
    const built = buildTaxonomyEvent(activity, taxonomyEvent.fields, taxonomyEvent.index);
    if ('problem' in built) {
      failures.push({ check: 'golden', message: `${goldenCase.file} #${taxonomyEvent.index}: cannot build a ${activity.title}: ${built.problem}`, file: goldenCase.file, line: taxonomyEvent.line, column: taxonomyEvent.column });
      continue;
    }
    for (const rendering of readBackRenderings(activity, built, goldenCase.file, taxonomyEvent.index)) {
      if (rendering.item !== undefined) accountant.count(rendering.item);
      if (rendering.record === undefined) {
        failures.push({ check: 'golden', message: `${goldenCase.file} #${taxonomyEvent.index}: its ${rendering.format} rendering could not be read back: ${rendering.problem ?? ''}`, ...at });
        continue;
      }
      const written = goldenCase.overrides.get(taxonomyEvent.index) ?? goldenCase.expectation;
      const blindSpot = written.verdict === 'no-match' ? undefined : findBlindSpot(compiled, rendering.record, bindings, built.fields);
      const expectation: Expectation = blindSpot === undefined ? written : { verdict: 'no-match', verdictAt: written.verdictAt };
      judge(compiled, rendering.record, expectation, goldenCase, bindings, events, failures, { rendering: rendering.format, ...(blindSpot === undefined ? {} : { blindSpot }) });
    }
  }
}

/** Judges one event read from a golden file against its expectation, recording the case and any failure. */
function judge(
  compiled: CompiledRule,
  record: EventRecord,
  expectation: Expectation,
  goldenCase: GoldenCase,
  bindings: readonly SourceBinding[],
  events: ReplayedEvent[],
  failures: Failure[],
  extra: Pick<CaseResult, 'rendering' | 'blindSpot'> = {},
): void {
  const { rule } = compiled;
  const explanation = compiled.explain(record);
  const got = explanation.matched ? 'match' : 'no-match';
  const falsepositive = resolveFalsePositive(expectation.falsepositive, rule.falsepositives);
  const result: CaseResult = {
    file: goldenCase.file,
    event: record.index,
    expected: expectation.verdict,
    got,
    passed: expectsMatch(expectation.verdict) === explanation.matched,
    source: nameSource(record, bindings),
    decidingFields: collectDecidingFields(explanation, bindEvent(record, bindings) ?? record),
    ...(falsepositive !== undefined ? { falsepositive } : {}),
    provenance: goldenCase.provenance,
    ...extra,
  };
  events.push({ result, record, explanation, expectation, goldenCase });
  if (!result.passed) {
    const cause = locateCause(compiled, explanation, got);
    const shape = extra.rendering === undefined ? '' : ` (${extra.rendering})`;
    failures.push({
      check: 'golden',
      message: `${goldenCase.file} #${record.index}${shape}: expected ${expectation.verdict}, got ${got}`,
      details: formatDiff(result, explanation),
      file: rule.file,
      line: cause.line,
      column: cause.column,
    });
  }
}

/**
 * Replays every golden event of a rule's spec through the real readers, mapping and engine, and
 * compares each verdict with its expectation. Events in taxonomy fields are replayed in every
 * rendering of the rule's activity.
 */
export async function replayGolden(
  compiled: CompiledRule,
  spec: RuleTestSpec,
  bindings: readonly SourceBinding[],
  recognise: RecogniseRecord,
): Promise<GoldenReplay> {
  const events: ReplayedEvent[] = [];
  const failures: Failure[] = [];
  const inputs: InputAccount[] = [];
  for (const goldenCase of spec.cases) {
    if (goldenCase.taxonomy) {
      // Each rendering read back is a record of the file: every one is counted, as for a capture.
      const accountant = new InputAccountant(goldenCase.file, recognise);
      await replayTaxonomyCase(compiled, goldenCase, spec, bindings, events, failures, accountant);
      inputs.push(accountant.finish());
      continue;
    }
    let seen = 0;
    const accountant = new InputAccountant(goldenCase.file, recognise);
    for await (const item of readEvents(goldenCase.path)) {
      accountant.count(item);
      if (item.kind === 'error') {
        failures.push({
          check: 'golden',
          message: `${goldenCase.file}: ${item.diagnostic.message}`,
          details: `${item.diagnostic.code} at ${item.diagnostic.file}:${item.diagnostic.line}:${item.diagnostic.column}`,
          file: spec.file,
          line: goldenCase.at.line,
          column: goldenCase.at.column,
        });
        continue;
      }
      seen += 1;
      const record = item.record;
      judge(compiled, record, goldenCase.overrides.get(record.index) ?? goldenCase.expectation, goldenCase, bindings, events, failures);
    }
    inputs.push(accountant.finish());
    if (seen === 0) {
      failures.push({
        check: 'golden',
        message: `${goldenCase.file}: no event could be read`,
        file: spec.file,
        line: goldenCase.at.line,
        column: goldenCase.at.column,
      });
    }
  }
  return { events, failures, inputs };
}
