import type { Position } from '../diagnostics/diagnostic.js';
import type { ReplayedEvent } from './golden.js';
import type { RuleTestSpec } from './rule-test-spec.js';

/** One expectation `dac test --update` changed, or could not change by itself. */
export interface SpecChange {
  readonly file: string;
  readonly event: number;
  readonly from: string;
  readonly to: string;
  readonly applied: boolean;
  /** Why it was not applied, and what to write by hand. */
  readonly note?: string;
}

const VERDICT_WORD = /^(["']?)(match|no-match|false-positive)\1/;

function offsetOf(text: string, position: Position): number {
  let offset = 0;
  for (let line = 1; line < position.line; line += 1) offset = text.indexOf('\n', offset) + 1;
  return offset + position.column - 1;
}

/**
 * Rewrites the verdicts of failing golden events in a spec's text, in place: only the verdict word
 * changes, so comments and layout stay as the author wrote them. A wrong verdict inherited by one event
 * of a multi-event file cannot be fixed by changing the file's verdict (the others would change too):
 * it is reported with the override to add by hand.
 */
export function updateSpecText(spec: RuleTestSpec, events: readonly ReplayedEvent[]): { text: string; changes: SpecChange[] } {
  const edits = new Map<number, { from: string; to: string }>();
  const changes: SpecChange[] = [];
  for (const event of events) {
    if (event.result.passed) continue;
    const to = event.result.got;
    const { result, goldenCase, expectation } = event;
    const isOverride = goldenCase.overrides.has(result.event);
    const eventsInFile = events.filter((other) => other.goldenCase === goldenCase).length;
    if (!isOverride && eventsInFile > 1) {
      changes.push({
        file: result.file,
        event: result.event,
        from: result.expected,
        to,
        applied: false,
        note: `add under ${result.file} in ${spec.file}: overrides: [{ event: ${result.event}, verdict: ${to} }]`,
      });
      continue;
    }
    const offset = offsetOf(spec.text, expectation.verdictAt);
    const word = VERDICT_WORD.exec(spec.text.slice(offset));
    if (!word) continue;
    edits.set(offset, { from: word[0], to });
    changes.push({ file: result.file, event: result.event, from: result.expected, to, applied: true });
  }
  let text = spec.text;
  // Apply from the end so earlier offsets stay valid.
  for (const [offset, edit] of [...edits].sort((a, b) => b[0] - a[0])) {
    text = text.slice(0, offset) + edit.to + text.slice(offset + edit.from.length);
  }
  return { text, changes };
}
