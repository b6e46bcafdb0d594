import { encodeEach } from './base64.js';
import { bytesOf, encodeBase64, textForBase64 } from './encoding.js';
import { reject, rejectKind, succeed, type ValueModifier } from './modifier.js';
import { createPlainString } from './sigma-string.js';

/**
 * The three Base64 forms of some bytes when they start at offset 0, 1 or 2 of a longer encoded text:
 * characters that depend on the unknown neighbouring bytes are cut off at both ends (spec appendix
 * "Encoding": "except the first and last byte the encoded values have a static part in the middle").
 */
export function encodeBase64Offsets(bytes: Uint8Array): string[] {
  const variants: string[] = [];
  for (let shift = 0; shift < 3; shift += 1) {
    const shifted = new Uint8Array(shift + bytes.length);
    shifted.set(bytes, shift);
    const encoded = encodeBase64(shifted);
    // Leading characters mixing in the `shift` unknown bytes before the value.
    const start = [0, 2, 3][shift] as number;
    // Trailing characters mixing in unknown bytes after the value, plus padding.
    const tail = (bytes.length + shift) % 3;
    const end = tail === 0 ? encoded.length : encoded.length - (tail === 1 ? 3 : 2);
    variants.push(encoded.slice(start, end));
  }
  return variants;
}

/** `base64offset`: the value as it appears inside a Base64 text at any of the three offsets (spec appendix). */
export const base64offset = {
  id: 'base64offset',
  scope: 'value',
  description: 'the value, Base64-encoded at each of the three byte offsets',
  apply(value) {
    if (value.kind !== 'string') return rejectKind('base64offset', value, 'a string');
    return encodeEach('base64offset', value, (single) => {
      const { text, problem } = textForBase64(single);
      if (text === undefined) return reject('base64offset', problem ?? 'cannot encode');
      return succeed({ kind: 'expansion', values: encodeBase64Offsets(bytesOf(single, text)).map(createPlainString) });
    });
  },
} as const satisfies ValueModifier;
