import type { SigmaValue, StringValue } from '../model/detection.js';
import { bytesOf, encodeBase64, textForBase64 } from './encoding.js';
import { reject, rejectKind, succeed, type ModifierResult, type ValueModifier } from './modifier.js';
import { createPlainString, expandAlternatives } from './sigma-string.js';

/** Most values one windash value may expand into before an encoding modifier refuses it. */
export const MAX_EXPANSION = 4096;

/**
 * Runs an encoder over a string value, first expanding windash alternatives into separate values
 * (Base64 cannot encode "one of these characters"), which then form an OR-linked expansion.
 */
export function encodeEach(id: string, value: StringValue, encode: (single: StringValue) => ModifierResult): ModifierResult {
  if (!value.parts.some((part) => part.kind === 'alternatives')) return encode(value);
  const variants = expandAlternatives(value, MAX_EXPANSION);
  if (!variants) return reject(id, `the value expands into more than ${MAX_EXPANSION} variants`);
  const values: SigmaValue[] = [];
  for (const variant of variants) {
    const result = encode(variant);
    if (!result.ok) return result;
    values.push(result.value);
  }
  return succeed({ kind: 'expansion', values });
}

/** `base64`: the value is encoded with Base64 (spec appendix "Encoding"). */
export const base64 = {
  id: 'base64',
  scope: 'value',
  description: 'the value, Base64-encoded',
  apply(value) {
    if (value.kind !== 'string') return rejectKind('base64', value, 'a string');
    return encodeEach('base64', value, (single) => {
      const { text, problem } = textForBase64(single);
      if (text === undefined) return reject('base64', problem ?? 'cannot encode');
      return succeed(createPlainString(encodeBase64(bytesOf(single, text))));
    });
  },
} as const satisfies ValueModifier;
