import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StreamTextDecoder, type TextEncodingName } from '../../../src/events/decode-text.js';

function decodeAt(encoding: TextEncodingName, bytes: Uint8Array, cuts: readonly number[]): { text: string; invalid: number[] } {
  const decoder = new StreamTextDecoder(encoding);
  const sorted = [...cuts].sort((a, b) => a - b);
  let text = '';
  const invalid: number[] = [];
  let start = 0;
  for (const cut of [...sorted, bytes.length]) {
    const chunk = decoder.decode(bytes.subarray(start, cut));
    text += chunk.text;
    invalid.push(...chunk.invalidOffsets);
    start = cut;
  }
  const last = decoder.end();
  return { text: text + last.text, invalid: [...invalid, ...last.invalidOffsets] };
}

const cutsOf = (length: number): fc.Arbitrary<number[]> => fc.array(fc.integer({ min: 0, max: length }), { maxLength: 6 });

describe('StreamTextDecoder properties', () => {
  it('decodes valid UTF-8 exactly, wherever the chunks are cut', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }).chain((text) => fc.tuple(fc.constant(text), cutsOf(Buffer.byteLength(text)))),
        ([text, cuts]) => {
          expect(decodeAt('utf-8', new TextEncoder().encode(text), cuts)).toEqual({ text, invalid: [] });
        },
      ),
    );
  });

  it('on any bytes: output does not depend on the cuts, matches the WHATWG decoder, and flags every U+FFFD it adds', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 48 }).chain((bytes) => fc.tuple(fc.constant(bytes), cutsOf(bytes.length))),
        ([bytes, cuts]) => {
          const whole = decodeAt('utf-8', bytes, []);
          expect(decodeAt('utf-8', bytes, cuts)).toEqual(whole);
          const reference = new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
          expect(whole.text).toBe(reference);
          for (const offset of whole.invalid) expect(whole.text[offset]).toBe('\uFFFD');
          const strict = (() => {
            try {
              new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
              return true;
            } catch {
              return false;
            }
          })();
          expect(whole.invalid.length === 0).toBe(strict);
        },
      ),
    );
  });

  it('on any UTF-16LE bytes: output does not depend on the cuts and invalid means not well-formed', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }).chain((bytes) => fc.tuple(fc.constant(bytes), cutsOf(bytes.length))),
        ([bytes, cuts]) => {
          const whole = decodeAt('utf-16le', bytes, []);
          expect(decodeAt('utf-16le', bytes, cuts)).toEqual(whole);
          // WHATWG folds a final lone surrogate and a final odd byte into one U+FFFD; this decoder flags each.
          if (bytes.length % 2 === 0) expect(whole.text).toBe(new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes));
          const units = Buffer.from(bytes.subarray(0, bytes.length - (bytes.length % 2))).toString('utf16le');
          const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
          expect(whole.invalid.length === 0).toBe(!loneSurrogate.test(units) && bytes.length % 2 === 0);
        },
      ),
    );
  });
});
