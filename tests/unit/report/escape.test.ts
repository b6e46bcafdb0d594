import { describe, expect, it } from 'vitest';
import {
  chooseCodeFence,
  escapeHtml,
  escapeMarkdownCell,
  escapeXmlAttribute,
  escapeXmlText,
  sanitizeXmlChars,
  truncateText,
} from '../../../src/report/escape.js';

describe('escaping', () => {
  it('replaces characters XML forbids, keeping tab, line breaks, CJK and astral characters', () => {
    expect(sanitizeXmlChars('a\u0000b\u0007c\td\ne\rf\uFFFEg\uD800h中😀')).toBe('a\uFFFDb\uFFFDc\td\ne\rf\uFFFDg\uFFFDh中😀');
  });

  it('escapes XML text and attributes', () => {
    expect(escapeXmlText('<a> & ]]> \r\n')).toBe('&lt;a&gt; &amp; ]]&gt; &#13;\n');
    expect(escapeXmlAttribute(`"x"\t'y'\nz`)).toBe('&quot;x&quot;&#9;&apos;y&apos;&#10;z');
  });

  it('escapes HTML for content and attributes', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')"> & 中`)).toBe('&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt; &amp; 中');
  });

  it('keeps a Markdown cell on one line with its pipes and markup escaped', () => {
    expect(escapeMarkdownCell(' a | b\n*c* `d` <e> [f](g) ~h~ & \\ _i_ ')).toBe('a \\| b \\*c\\* \\`d\\` \\<e\\> \\[f\\](g) \\~h\\~ \\& \\\\ \\_i\\_');
  });

  it('picks a fence longer than any backtick run', () => {
    expect(chooseCodeFence('plain')).toBe('```');
    expect(chooseCodeFence('a ``` b ````` c')).toBe('``````');
  });

  it('truncates by lines and characters, saying how much was cut', () => {
    expect(truncateText('a\nb\nc', 100, 2)).toBe('a\nb\n… (2 more characters cut)');
    expect(truncateText('abcdef', 3, 10)).toBe('abc\n… (3 more characters cut)');
    expect(truncateText('short', 10, 10)).toBe('short');
    // A surrogate pair is never split.
    expect(truncateText('ab😀cd', 3, 10)).toBe('ab\n… (4 more characters cut)');
  });
});
