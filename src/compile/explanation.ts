/**
 * Why a rule did or did not match an event: per search identifier, per detection item, per value.
 * Readable diffs in test reports and logic coverage are built from this.
 */
import type { SourceRef } from '../model/detection.js';

/** One value of an item and the fields it matched (the item's field, or for keywords every field that held it). */
export interface ValueExplanation {
  /** The value as the rule writes it. */
  readonly value: string;
  readonly matched: boolean;
  readonly fields: readonly string[];
  readonly source: SourceRef;
}

/** One detection item: its verdict after linking and negation, and its values. */
export interface ItemExplanation {
  readonly field: string | undefined;
  readonly modifiers: readonly string[];
  readonly linking: 'or' | 'and';
  readonly negated: boolean;
  readonly matched: boolean;
  readonly values: readonly ValueExplanation[];
  readonly source: SourceRef;
}

/** One search identifier: whether it matched, and its items in rule order. */
export interface IdentifierExplanation {
  readonly name: string;
  readonly matched: boolean;
  readonly items: readonly ItemExplanation[];
}

/** The whole verdict. `logsource` is false when the event is of another log source than the rule's. */
export interface RuleExplanation {
  readonly matched: boolean;
  readonly logsource: boolean;
  readonly identifiers: readonly IdentifierExplanation[];
}
