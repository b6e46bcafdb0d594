import { fc, test } from '@fast-check/vitest';
import { describe, expect } from 'vitest';
import {
  chooseCodeFence,
  escapeHtml,
  escapeMarkdownCell,
  escapeXmlAttribute,
  escapeXmlText,
  sanitizeXmlChars,
  truncateText,
} from '../../../src/report/escape.js';
import { parseXml } from './xml-tree.js';

// Any UTF-16 string: markup characters, controls, lone surrogates, CJK and astral characters.
const hostileText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('<', '>', '&', '"', "'", ']]>', '\r', '\n', '\t', '|', '`', '\\', '\u0000', '\u0007', '中', '😀', '\uD800', '\uDC00', '\uFFFE'),
    fc.integer({ min: 0, max: 0xffff }).map((n) => String.fromCharCode(n)),
  ),
  maxLength: 60,
});

describe('escaping, for any text', () => {
  test.prop([hostileText])('XML text round-trips through a parser as the sanitized text', (text) => {
    expect(parseXml(`<a>${escapeXmlText(text)}</a>`).text).toBe(sanitizeXmlChars(text));
  });

  test.prop([hostileText])('XML attributes round-trip through a parser as the sanitized text', (text) => {
    expect(parseXml(`<a v="${escapeXmlAttribute(text)}" w='${escapeXmlAttribute(text)}'/>`).attributes).toEqual({
      v: sanitizeXmlChars(text),
      w: sanitizeXmlChars(text),
    });
  });

  test.prop([hostileText])('sanitizing is idempotent and leaves only XML characters', (text) => {
    const clean = sanitizeXmlChars(text);
    expect(sanitizeXmlChars(clean)).toBe(clean);
    expect(clean).toMatch(/^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u);
  });

  test.prop([hostileText])('HTML escaping leaves no markup character', (text) => {
    const escaped = escapeHtml(text);
    expect(escaped).not.toMatch(/[<>"']/);
    expect(escaped.replace(/&(?:amp|lt|gt|quot|#39);/g, '')).not.toContain('&');
  });

  test.prop([hostileText])('a Markdown cell is one line and every pipe is escaped', (text) => {
    const cell = escapeMarkdownCell(text);
    expect(cell).not.toMatch(/[\r\n]/);
    // Every `|` is preceded by an odd number of backslashes.
    for (const m of cell.matchAll(/(\\*)\|/g)) expect((m[1] ?? '').length % 2).toBe(1);
  });

  test.prop([hostileText])('the chosen fence never occurs in the text', (text) => {
    expect(text).not.toContain(chooseCodeFence(text));
  });

  test.prop([hostileText, fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5 })])(
    'truncation keeps a prefix within the limits',
    (text, maxChars, maxLines) => {
      const out = truncateText(text, maxChars, maxLines);
      if (out === text) return;
      const kept = out.slice(0, out.lastIndexOf('\n… ('));
      expect(text.startsWith(kept)).toBe(true);
      expect(kept.length).toBeLessThanOrEqual(maxChars);
      expect(kept.split('\n').length).toBeLessThanOrEqual(maxLines);
    },
  );
});
