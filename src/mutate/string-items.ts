/**
 * Which detection items hold Sigma string patterns (spec "String Wildcard") that the string operators
 * may change: values written as strings under no modifier but the string matchers, `cased`, `all` and
 * `windash`. Regular expressions, networks, encodings and field references are other languages.
 */
import type { DetectionItem } from '../model/detection.js';
import { splitKey } from './detection-sites.js';

/** The modifiers that decide how a string value matches: the mistakes `match-modifier` makes. */
export const STRING_MATCHERS = ['contains', 'startswith', 'endswith'] as const;

const PATTERN_MODIFIERS: ReadonlySet<string> = new Set([...STRING_MATCHERS, 'cased', 'all', 'windash']);

/** True when every value of the item is a string pattern the string operators can change. */
export function holdsStringPatterns(item: DetectionItem): boolean {
  return item.values.length > 0 && item.values.every((value) => value.kind === 'string') && splitKey(item).chain.every((id) => PATTERN_MODIFIERS.has(id));
}

/** True when case changes some character of the text (a letter with an upper and a lower form). */
export function hasCasedLetters(text: string): boolean {
  return text.toLowerCase() !== text.toUpperCase();
}
