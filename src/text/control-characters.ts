/**
 * Terminal safety: text from events, rules and file names is user input, and a control character in
 * it (ESC starting a sequence that renames the window or clears the screen, a C1 CSI, a bidirectional
 * override that reorders what a reviewer reads) must never reach a terminal raw. Every text output of
 * dac (console lines, `dac scan --format text`, `dac validate`, the Markdown summary) shows such
 * characters escaped through this one function; machine formats encode them instead (JSON `\u001b`).
 */

// C0 controls (U+0000–U+001F), DEL (U+007F), C1 controls (U+0080–U+009F, ECMA-48 §5.3: U+009B is a
// one-character CSI), the line and paragraph separators (U+2028, U+2029), and the bidirectional
// embeddings, overrides and isolates (Unicode TR9: U+202A–U+202E, U+2066–U+2069) plus the
// marks U+200E, U+200F, U+061C, which change the order in which a line is displayed.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const CONTROL_ALL = new RegExp(CONTROL.source, 'g');
const CONTROL_EXCEPT_LINE_BREAKS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NOT_ESCAPED_BY_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

const escapeOne = (char: string): string => {
  const named = NAMED[char];
  if (named !== undefined) return named;
  const code = char.charCodeAt(0);
  return code < 0x80 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
};

/** True when `text` holds a character that {@link escapeControlCharacters} would escape. */
export function hasControlCharacters(text: string): boolean {
  return CONTROL.test(text);
}

/**
 * Shows control characters escaped: `\n`, `\r`, `\t`, `\x1b` for C0 and DEL, `\u009b` for C1 and
 * the bidirectional and separator characters. With `keepLineBreaks`, line feeds and tabs stay as they
 * are (a block of lines whose structure dac wrote); otherwise the text stays on one line.
 */
export function escapeControlCharacters(text: string, options: { readonly keepLineBreaks?: boolean } = {}): string {
  if (!CONTROL.test(text)) return text;
  return text.replace(options.keepLineBreaks ? CONTROL_EXCEPT_LINE_BREAKS : CONTROL_ALL, escapeOne);
}

/**
 * Encodes the same characters as JSON `\uXXXX` escapes in JSON text: JSON.stringify already escapes
 * C0, and this adds DEL, C1 and the bidirectional characters, so NDJSON printed to a terminal is as
 * safe as text output and still parses to the same values.
 */
export function escapeJsonControlCharacters(json: string): string {
  if (!CONTROL.test(json)) return json;
  // JSON.stringify has escaped C0 inside strings already; outside them, line breaks are layout.
  return json.replace(NOT_ESCAPED_BY_JSON, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
