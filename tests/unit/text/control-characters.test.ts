import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeControlCharacters, escapeJsonControlCharacters, hasControlCharacters } from '../../../src/text/control-characters.js';

const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

describe('escapeControlCharacters', () => {
  it('shows C0, DEL, C1, separators and bidirectional controls escaped, and leaves other text alone', () => {
    expect(escapeControlCharacters('a\u001b]0;pwned\u0007b\u001b[2J')).toBe('a\\x1b]0;pwned\\x07b\\x1b[2J');
    expect(escapeControlCharacters('line\nbreak\ttab\r')).toBe('line\\nbreak\\ttab\\r');
    expect(escapeControlCharacters('del\u007f csi\u009b2J nel\u0085')).toBe('del\\x7f csi\\u009b2J nel\\u0085');
    expect(escapeControlCharacters('rlo\u202eexe.txt \u2066iso\u2069 \u2028')).toBe('rlo\\u202eexe.txt \\u2066iso\\u2069 \\u2028');
    expect(escapeControlCharacters('C:\\Windows\\cmd.exe — 中文 ✓')).toBe('C:\\Windows\\cmd.exe — 中文 ✓');
  });

  it('keeps line feeds and tabs when asked (a block of lines dac wrote), escaping the rest', () => {
    expect(escapeControlCharacters('one\n\ttwo\u001b[31m\r', { keepLineBreaks: true })).toBe('one\n\ttwo\\x1b[31m\\r');
  });

  it('never lets a control character through, whatever the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
        const escaped = escapeControlCharacters(text);
        expect(UNSAFE.test(escaped)).toBe(false);
        expect(hasControlCharacters(text)).toBe(escaped !== text);
        expect(escapeControlCharacters(escaped)).toBe(escaped);
      }),
      { seed: 13, numRuns: 300 },
    );
  });
});

describe('escapeJsonControlCharacters', () => {
  it('encodes what JSON.stringify leaves raw, and the JSON still reads back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary', maxLength: 40 }), (value, text) => {
        const json = escapeJsonControlCharacters(JSON.stringify({ value, text }, null, 2));
        expect(UNSAFE.test(json.replace(/\n/g, ''))).toBe(false);
        expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify({ value, text })));
      }),
      { seed: 13, numRuns: 300 },
    );
  });
});
