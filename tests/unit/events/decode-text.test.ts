import { describe, expect, it } from 'vitest';
import { detectEncoding, StreamTextDecoder } from '../../../src/events/decode-text.js';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const utf16le = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf16le'));

/** Decodes bytes cut into the given pieces; returns the text and every invalid offset. */
function decodeInPieces(decoder: StreamTextDecoder, bytes: Uint8Array, cuts: readonly number[]): { text: string; invalid: number[] } {
  let text = '';
  const invalid: number[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    const chunk = decoder.decode(bytes.subarray(start, Math.max(start, cut)));
    text += chunk.text;
    invalid.push(...chunk.invalidOffsets);
    start = Math.max(start, cut);
  }
  const last = decoder.end();
  return { text: text + last.text, invalid: [...invalid, ...last.invalidOffsets] };
}

describe('detectEncoding', () => {
  it('reads byte-order marks and the zero bytes of UTF-16 without one', () => {
    expect(detectEncoding(Uint8Array.of(0xef, 0xbb, 0xbf, 0x3c))).toEqual({ encoding: 'utf-8', bomLength: 3 });
    expect(detectEncoding(Uint8Array.of(0xff, 0xfe, 0x3c, 0))).toEqual({ encoding: 'utf-16le', bomLength: 2 });
    expect(detectEncoding(Uint8Array.of(0xfe, 0xff, 0, 0x3c))).toEqual({ encoding: 'utf-16be', bomLength: 2 });
    expect(detectEncoding(Uint8Array.of(0x3c, 0, 0x45, 0))).toEqual({ encoding: 'utf-16le', bomLength: 0 });
    expect(detectEncoding(Uint8Array.of(0, 0x3c, 0, 0x45))).toEqual({ encoding: 'utf-16be', bomLength: 0 });
    expect(detectEncoding(utf8('<Event>'))).toEqual({ encoding: 'utf-8', bomLength: 0 });
    expect(detectEncoding(Uint8Array.of())).toEqual({ encoding: 'utf-8', bomLength: 0 });
  });
});

describe('StreamTextDecoder', () => {
  it('joins a UTF-8 sequence cut by a chunk boundary', () => {
    const bytes = utf8('a€b😀c');
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      expect(decodeInPieces(new StreamTextDecoder('utf-8'), bytes, [cut])).toEqual({ text: 'a€b😀c', invalid: [] });
    }
  });

  it('replaces invalid UTF-8 and reports where, in text offsets', () => {
    // "ab", a lone continuation byte, "c", an overlong "/", "d", a truncated 3-byte sequence at the end.
    const bytes = Uint8Array.of(0x61, 0x62, 0x80, 0x63, 0xc0, 0xaf, 0x64, 0xe2, 0x82);
    const { text, invalid } = decodeInPieces(new StreamTextDecoder('utf-8'), bytes, [3]);
    expect(text).toBe('ab\uFFFDc\uFFFD\uFFFDd\uFFFD');
    expect(invalid).toEqual([2, 4, 5, 7]);
  });

  it('keeps a genuine U+FFFD apart from a replaced byte', () => {
    const { text, invalid } = decodeInPieces(new StreamTextDecoder('utf-8'), Uint8Array.of(...utf8('x\uFFFDy'), 0xff), []);
    expect(text).toBe('x\uFFFDy\uFFFD');
    expect(invalid).toEqual([3]);
  });

  it('rejects UTF-8-encoded surrogates (ED A0 80)', () => {
    const { invalid } = decodeInPieces(new StreamTextDecoder('utf-8'), Uint8Array.of(0x41, 0xed, 0xa0, 0x80, 0x42), []);
    expect(invalid.length).toBeGreaterThan(0);
    expect(invalid[0]).toBe(1);
  });

  it('decodes UTF-16LE across odd cuts, including surrogate pairs', () => {
    const bytes = utf16le('<E>😀é');
    for (let cut = 0; cut <= bytes.length; cut += 1) {
      expect(decodeInPieces(new StreamTextDecoder('utf-16le'), bytes, [cut])).toEqual({ text: '<E>😀é', invalid: [] });
    }
  });

  it('reports unpaired surrogates and an odd final byte in UTF-16', () => {
    const lone = Uint8Array.of(0x41, 0, 0x00, 0xd8, 0x42, 0, 0x00, 0xdc, 0x43);
    const { text, invalid } = decodeInPieces(new StreamTextDecoder('utf-16le'), lone, [4]);
    expect(text).toBe('A\uFFFDB\uFFFD\uFFFD');
    expect(invalid).toEqual([1, 3, 4]);
  });

  it('decodes UTF-16BE', () => {
    const bytes = Buffer.from(utf16le('{"a":"ü"}')).swap16();
    expect(decodeInPieces(new StreamTextDecoder('utf-16be'), bytes, [3, 7])).toEqual({ text: '{"a":"ü"}', invalid: [] });
  });
});
