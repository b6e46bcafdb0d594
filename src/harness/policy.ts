import type { Position } from '../diagnostics/diagnostic.js';
import type { SourceBinding } from '../mapping/mapping.js';
import type { SigmaRule } from '../model/rule.js';
import type { DacConfig } from './config.js';
import type { ReplayedEvent } from './golden.js';
import type { RuleTestSpec } from './rule-test-spec.js';
import type { Failure, Gap } from './test-report.js';

/** What the policy looks at for one rule. */
export interface PolicyInput {
  readonly rule: SigmaRule;
  readonly spec: RuleTestSpec | undefined;
  readonly events: readonly ReplayedEvent[];
  readonly bindings: readonly SourceBinding[];
  readonly policy: DacConfig['policy'];
  /** What the rule's tests lack; a gap the policy makes failing is a policy failure. */
  readonly gaps?: readonly Gap[];
}

function failAt(rule: SigmaRule, position: Position, message: string, details?: string): Failure {
  return { check: 'policy', message, ...(details ? { details } : {}), file: rule.file, line: position.line, column: position.column };
}

/** Index of the falsepositives entry a reference names (its index, or the start of its text). */
function resolveEntry(reference: number | string, entries: readonly string[]): number {
  if (typeof reference === 'number') return reference < entries.length ? reference : -1;
  return entries.findIndex((entry) => entry.startsWith(reference));
}

/**
 * The test policy of dac.config.yml: rules of the listed statuses show a true positive and a true
 * negative for every log source they claim, every falsepositives entry is documented by an event, and
 * every false-positive event names an entry that exists.
 */
export function checkPolicy({ rule, spec, events, bindings, policy, gaps = [] }: PolicyInput): Failure[] {
  const failures: Failure[] = [];
  const source = rule.source;
  const scenarioGap = gaps.find((gap) => gap.kind === 'no-scenario-spec');
  if (scenarioGap?.fails) {
    failures.push(failAt(rule, source.locate(['title']), `the rule has ${scenarioGap.message} (dac.config.yml: policy.require-scenarios)`));
  }
  if (!spec) {
    if (policy.requireTests) {
      failures.push(failAt(rule, source.locate(['title']), `the rule has no golden events: add tests/rules/<rule name>/rule-test.yml (dac.config.yml: policy.require-tests)`));
    }
    return failures;
  }

  if (spec.cases.length === 0 && policy.requireTests) {
    failures.push({
      check: 'policy',
      message: `${spec.file} lists no golden events yet: copy captures in with dac golden add, or write events in taxonomy fields (events/*.yml)`,
      file: spec.file,
      line: spec.ruleIdAt.line,
      column: spec.ruleIdAt.column,
    });
  }

  for (const event of events) {
    const reference = event.expectation.falsepositive;
    if (reference === undefined) continue;
    if (resolveEntry(reference, rule.falsepositives) === -1) {
      failures.push({
        check: 'policy',
        message: `${event.result.file} #${event.result.event} documents falsepositives entry ${JSON.stringify(reference)}, which the rule does not have`,
        file: spec.file,
        line: event.expectation.verdictAt.line,
        column: event.expectation.verdictAt.column,
      });
    }
  }

  if (policy.requireDocumentedFalsePositives) {
    rule.falsepositives.forEach((entry, index) => {
      const documented = events.some(
        (event) =>
          event.result.expected === 'false-positive' &&
          event.expectation.falsepositive !== undefined &&
          resolveEntry(event.expectation.falsepositive, rule.falsepositives) === index,
      );
      if (!documented && !/^(unknown|none|unlikely)\b/i.test(entry.trim())) {
        failures.push(
          failAt(rule, source.locate(['falsepositives', index]), `falsepositives entry ${index} has no golden event that documents it`, entry),
        );
      }
    });
  }

  if (rule.status !== undefined && policy.requireVerdictsPerLogSource.includes(rule.status)) {
    for (const binding of bindings) {
      const fromSource = events.filter((event) => event.result.source === binding.id);
      const hasPositive = fromSource.some((event) => event.result.expected !== 'no-match');
      const hasNegative = fromSource.some((event) => event.result.expected === 'no-match');
      const missing = [hasPositive ? '' : 'a true positive', hasNegative ? '' : 'a true negative'].filter(Boolean);
      if (missing.length) {
        failures.push(
          failAt(rule, source.locate(['logsource']), `status ${rule.status} needs ${missing.join(' and ')} from log source ${binding.id} (${binding.title})`),
        );
      }
    }
  }
  return failures;
}
