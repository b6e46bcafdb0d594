import { describe, expect, it } from 'vitest';
import {
  decodeAnsi,
  decodeUtf16,
  formatBinary,
  formatFiletime,
  formatGuid,
  formatHex32,
  formatHex64,
  formatReal,
  formatSid,
  formatSystemtime,
  measureSid,
  trimTrailingNuls,
} from '../../../../src/events/evtx/format-value.js';

function viewOf(bytes: number[]): DataView {
  return new DataView(Uint8Array.from(bytes).buffer);
}

describe('formatFiletime', () => {
  it('prints nine fractional digits as evtxexport does', () => {
    expect(formatFiletime(0x01d4dcfe7b245ce0n)).toBe('2019-03-17T20:17:44.637155200Z');
  });

  it('handles the epoch and dates before 1970', () => {
    expect(formatFiletime(0n)).toBe('1601-01-01T00:00:00.000000000Z');
    expect(formatFiletime(116444736000000000n - 1n)).toBe('1969-12-31T23:59:59.999999900Z');
  });

  it('handles the largest value without throwing', () => {
    expect(formatFiletime(0xffffffffffffffffn)).toMatch(/^\d{5}-\d\d-\d\dT/);
  });
});

describe('formatSystemtime', () => {
  it('reads year, month, day (skipping day of week), time and milliseconds', () => {
    const fields = [2020, 2, 6, 29, 23, 59, 58, 7];
    const bytes = fields.flatMap((f) => [f & 0xff, f >> 8]);
    expect(formatSystemtime(viewOf(bytes), 0)).toBe('2020-02-29T23:59:58.007000000Z');
  });
});

describe('formatGuid', () => {
  it('reads the first three groups little-endian and prints upper case in braces', () => {
    const bytes = [0x5f, 0x38, 0x70, 0x57, 0x2a, 0xc2, 0xe0, 0x43, 0xbf, 0x4c, 0x06, 0xf5, 0x69, 0x8f, 0xfb, 0xd9];
    expect(formatGuid(viewOf(bytes), 0)).toBe('{5770385F-C22A-43E0-BF4C-06F5698FFBD9}');
  });
});

describe('formatSid', () => {
  it('prints S-1-5-18', () => {
    const bytes = [1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0];
    expect(measureSid(viewOf(bytes), 0, bytes.length)).toBe(12);
    expect(formatSid(viewOf(bytes), 0)).toBe('S-1-5-18');
  });

  it('prints several sub-authorities and a large authority in hex', () => {
    const bytes = [1, 2, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 21, 0, 0, 0, 0xff, 0xff, 0xff, 0xff];
    expect(formatSid(viewOf(bytes), 0)).toBe('S-1-0x123456789ABC-21-4294967295');
  });

  it('measures -1 when the sub-authorities do not fit', () => {
    expect(measureSid(viewOf([1, 3, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0]), 0, 12)).toBe(-1);
    expect(measureSid(viewOf([1, 0, 0]), 0, 3)).toBe(-1);
  });
});

describe('hex, binary and real renderings', () => {
  it('pads hex integers with lower-case digits', () => {
    expect(formatHex32(0x1fc)).toBe('0x000001fc');
    expect(formatHex32(-1)).toBe('0xffffffff');
    expect(formatHex64(0x13a10n)).toBe('0x0000000000013a10');
    expect(formatHex64(0x8000000000000000n)).toBe('0x8000000000000000');
  });

  it('prints binary as upper-case base16', () => {
    expect(formatBinary(Uint8Array.of(0xd9, 0x06, 0x00, 0xab), 0, 4)).toBe('D90600AB');
    expect(formatBinary(Uint8Array.of(1, 2, 3), 1, 2)).toBe('02');
  });

  it('prints reals, with the Windows spellings for infinities and NaN', () => {
    expect(formatReal(1.5, false)).toBe('1.5');
    expect(formatReal(Math.fround(0.1), true)).toBe('0.1');
    expect(formatReal(Infinity, true)).toBe('1.#INF');
    expect(formatReal(-Infinity, false)).toBe('-1.#INF');
    expect(formatReal(NaN, false)).toBe('-1.#IND');
  });
});

describe('string decoding', () => {
  it('decodes UTF-16LE, pairing surrogates, short and long', () => {
    const text = 'Microsoft\u00ae \ud83d\ude00';
    const bytes = new Uint8Array(text.length * 2);
    for (let i = 0; i < text.length; i++) new DataView(bytes.buffer).setUint16(i * 2, text.charCodeAt(i), true);
    expect(decodeUtf16(bytes, 0, text.length)).toBe(text);
    const long = text.repeat(10);
    const longBytes = new Uint8Array(long.length * 2);
    for (let i = 0; i < long.length; i++) new DataView(longBytes.buffer).setUint16(i * 2, long.charCodeAt(i), true);
    expect(decodeUtf16(longBytes, 0, long.length)).toBe(long);
  });

  it('replaces unpaired surrogates with U+FFFD instead of failing', () => {
    const units = [0x41, 0xd800, 0x42, 0xdc00, 0xd83d];
    const bytes = new Uint8Array(units.length * 2);
    units.forEach((u, i) => new DataView(bytes.buffer).setUint16(i * 2, u, true));
    expect(decodeUtf16(bytes, 0, units.length)).toBe('A\ufffdB\ufffd\ufffd');
    const many = new Uint8Array(60).fill(0).map((_, i) => (i % 2 === 1 ? 0xd8 : 0x41));
    expect(decodeUtf16(many, 0, 30)).toBe('\ufffd'.repeat(30));
  });

  it('decodes ANSI strings as Windows-1252 and trims NUL terminators', () => {
    expect(decodeAnsi(Uint8Array.of(0x41, 0xae, 0x80), 0, 3)).toBe('A\u00ae\u20ac');
    expect(trimTrailingNuls('abc\0\0')).toBe('abc');
    expect(trimTrailingNuls('a\0b')).toBe('a\0b');
  });
});
