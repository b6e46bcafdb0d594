/**
 * Byte-level helpers for the encoding modifiers. Encoded values hold one character per byte
 * (code points 0-255), so later modifiers and matchers can treat them as text.
 */
import type { StringPart, StringValue } from '../model/detection.js';
import { normalizeParts, plainTextOf } from './sigma-string.js';

/** The bytes a value stands for: UTF-8 for text, the characters themselves for encoded values. */
export function bytesOf(value: StringValue, text: string): Uint8Array {
  return value.encoding === 'bytes' ? Uint8Array.from(text, (char) => char.charCodeAt(0) & 0xff) : new TextEncoder().encode(text);
}

/** Bytes as a string of characters 0-255. */
export function bytesToChars(bytes: Uint8Array): string {
  let out = '';
  for (const byte of bytes) out += String.fromCharCode(byte);
  return out;
}

/** Standard Base64 (RFC 4648, with padding) of some bytes. */
export function encodeBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Encodes text as UTF-16 code units, little or big endian, one character per byte. */
export function encodeUtf16(text: string, endian: 'le' | 'be'): string {
  let out = '';
  for (let index = 0; index < text.length; index += 1) {
    const unit = text.charCodeAt(index);
    const low = String.fromCharCode(unit & 0xff);
    const high = String.fromCharCode(unit >> 8);
    out += endian === 'le' ? low + high : high + low;
  }
  return out;
}

/**
 * Applies a UTF-16 encoding to the literal parts of a value; wildcards stay wildcards, as pySigma
 * appends special characters unchanged.
 */
export function encodeValueUtf16(value: StringValue, endian: 'le' | 'be', prefix: string): StringValue {
  const parts: StringPart[] = prefix === '' ? [] : [{ kind: 'text', text: prefix }];
  for (const part of value.parts) {
    if (part.kind === 'text') parts.push({ kind: 'text', text: encodeUtf16(part.text, endian) });
    else if (part.kind === 'alternatives') parts.push({ kind: 'alternatives', options: part.options.map((option) => encodeUtf16(option, endian)) });
    else parts.push(part);
  }
  return { ...value, parts: normalizeParts(parts), encoding: 'bytes' };
}

/** The plain text of a value for Base64, or why there is none. */
export function textForBase64(value: StringValue): { text?: string; problem?: string } {
  if (value.parts.some((part) => part.kind === 'placeholder')) return { problem: 'cannot encode a value with %placeholders%' };
  const text = plainTextOf(value);
  if (text === undefined) return { problem: 'Base64 encoding of strings with wildcards is not allowed' };
  return { text };
}
