import type { CompiledRule } from '../compile/compile-rule.js';
import type { ItemExplanation, RuleExplanation } from '../compile/explanation.js';
import type { Position } from '../diagnostics/diagnostic.js';
import type { EventRecord, FieldValue } from '../compile/event-record.js';
import { InputAccountant, type InputAccount, type RecogniseRecord } from '../events/input-account.js';
import { readEvents } from '../events/read-events.js';
import { bindEvent, matchesSource } from '../mapping/bind-event.js';
import type { SourceBinding } from '../mapping/mapping.js';
import type { Expectation, GoldenCase, RuleTestSpec } from './rule-test-spec.js';
import type { CaseResult, Failure, Verdict } from './test-report.js';

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
    `event:    ${result.file} #${result.event} (${result.source})`,
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
 * Replays every golden event of a rule's spec through the real readers, mapping and engine, and
 * compares each verdict with its expectation.
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
  const { rule } = compiled;
  for (const goldenCase of spec.cases) {
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
      const expectation = goldenCase.overrides.get(record.index) ?? goldenCase.expectation;
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
      };
      events.push({ result, record, explanation, expectation, goldenCase });
      if (!result.passed) {
        const cause = locateCause(compiled, explanation, got);
        failures.push({
          check: 'golden',
          message: `${goldenCase.file} #${record.index}: expected ${expectation.verdict}, got ${got}`,
          details: formatDiff(result, explanation),
          file: rule.file,
          line: cause.line,
          column: cause.column,
        });
      }
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
