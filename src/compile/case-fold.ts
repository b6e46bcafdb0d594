/**
 * Case-insensitive comparison for Sigma values (spec "General": values are case-insensitive strings).
 */

const NON_ASCII = /[^\u0000-\u007f]/;

/**
 * Folds text so that strings differing only in case fold alike, Unicode included: upper- then
 * lower-casing maps `ß`/`SS`, `ſ`/`s`, `ı`/`I` and ligatures together, and final sigma is made a
 * plain sigma so the fold does not depend on where a word ends. ASCII text takes the fast path.
 */
export function foldCase(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase();
  return text.toUpperCase().toLowerCase().replaceAll('\u03c2', '\u03c3');
}
