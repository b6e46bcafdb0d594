import { escapeControlCharacters } from '../text/control-characters.js';

// Escaping for every report format. Rule titles, messages and event values are user input, so
// nothing reaches a report without passing through one of these functions.

// XML 1.0 §2.2 (Char production): tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD and the supplementary
// planes. Anything else (C0 controls, lone surrogates, U+FFFE/U+FFFF) makes the document
// ill-formed, so it is replaced by U+FFFD rather than dropped, to show that something was there.
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

// Cheap screens (no `u` flag): most values are plain text, and these let them through untouched. A
// hit only means the careful path runs; surrogates trigger it even when they are well paired.
const MAY_NEED_SANITIZING = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
const MAY_NEED_TEXT_ESCAPE = /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ud800-\udfff\ufffe\uffff]/;
const MAY_NEED_ATTRIBUTE_ESCAPE = /[&<>"'\t\n\r\u0000-\u001f\ud800-\udfff\ufffe\uffff]/;

/** Replaces the characters XML 1.0 forbids (control characters, lone surrogates) with U+FFFD. */
export function sanitizeXmlChars(text: string): string {
  return MAY_NEED_SANITIZING.test(text) ? text.replace(NOT_XML_CHAR, '\uFFFD') : text;
}

/** Escapes text for an XML element's content. */
export function escapeXmlText(text: string): string {
  if (!MAY_NEED_TEXT_ESCAPE.test(text)) return text;
  // `>` is escaped too, so a `]]>` in the text cannot be read as the end of a CDATA section.
  // XML 1.0 §2.11: parsers turn a literal CR (or CR LF) into LF; a reference keeps it.
  return sanitizeXmlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;');
}

/** Escapes text for a double- or single-quoted XML attribute value, keeping tabs and line breaks. */
export function escapeXmlAttribute(text: string): string {
  if (!MAY_NEED_ATTRIBUTE_ESCAPE.test(text)) return text;
  // XML 1.0 §3.3.3: a parser normalizes literal tabs and line breaks in attribute values to
  // spaces, so they are written as character references to survive.
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;');
}

/** Escapes text for HTML content or a quoted HTML attribute value. */
export function escapeHtml(text: string): string {
  return sanitizeXmlChars(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

// CommonMark §2.4: any ASCII punctuation may be backslash-escaped. These are the ones that start
// emphasis, code, links, raw HTML, entities, strikethrough or a table cell boundary inside a line.
const MARKDOWN_INLINE = /[\\`*_[\]<>|~&]/g;

/**
 * Escapes text for one GitHub-flavoured Markdown table cell: one line, no markup, no `|`, and control
 * characters shown escaped (`\x1b`), since summary.md is read in terminals as well as on GitHub.
 */
export function escapeMarkdownCell(text: string): string {
  // GFM tables §4.10: a row is one line, and `|` splits cells even inside code spans unless escaped.
  return escapeControlCharacters(text.replace(/\r\n|\r|\n/g, ' '))
    .replace(MARKDOWN_INLINE, (c) => `\\${c}`)
    .trim();
}

/** Chooses a code fence longer than any backtick run in `text`, so the text cannot close it. */
export function chooseCodeFence(text: string): string {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** Shortens text to at most `maxChars` characters and `maxLines` lines, saying how much was cut. */
export function truncateText(text: string, maxChars: number, maxLines: number): string {
  const lines = text.split('\n');
  let kept = lines.slice(0, maxLines).join('\n');
  if (kept.length > maxChars) kept = sliceCodePoints(kept, maxChars);
  if (kept.length === text.length) return text;
  return `${kept}\n… (${text.length - kept.length} more characters cut)`;
}

// Slicing by UTF-16 units could split a surrogate pair and leave an ill-formed string.
function sliceCodePoints(text: string, maxUnits: number): string {
  let end = Math.min(maxUnits, text.length);
  const last = text.charCodeAt(end - 1);
  if (end > 0 && last >= 0xd800 && last <= 0xdbff) end -= 1;
  return text.slice(0, end);
}
