/**
 * Sigma string values: parsing the escape rules and small operations the modifiers share.
 */
import type { StringPart, StringValue } from '../model/detection.js';

/**
 * Parses rule text into string parts (Sigma specification v2.1, "String Wildcard" and "Escape
 * Character"): `*` and `?` are wildcards; a backslash escapes `*`, `?` and itself; a backslash before
 * any other character, or at the end, is a plain backslash.
 */
export function parseSigmaString(text: string): StringValue {
  const parts: StringPart[] = [];
  let literal = '';
  const flush = (): void => {
    if (literal !== '') parts.push({ kind: 'text', text: literal });
    literal = '';
  };
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index] as string;
    if (char === '\\') {
      const next = text[index + 1];
      if (next === '*' || next === '?' || next === '\\') {
        literal += next;
        index += 1;
      } else {
        literal += '\\';
      }
    } else if (char === '*') {
      flush();
      parts.push({ kind: 'any' });
    } else if (char === '?') {
      flush();
      parts.push({ kind: 'one' });
    } else {
      literal += char;
    }
  }
  flush();
  return { kind: 'string', parts, cased: false, encoding: 'text' };
}

/** A string value that is exactly `text`, no wildcards. */
export function createPlainString(text: string): StringValue {
  return { kind: 'string', parts: text === '' ? [] : [{ kind: 'text', text }], cased: false, encoding: 'text' };
}

/** Joins adjacent text parts so each literal run is one part. */
export function normalizeParts(parts: readonly StringPart[]): StringPart[] {
  const out: StringPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.kind === 'text') {
      if (part.text === '') continue;
      if (last?.kind === 'text') {
        out[out.length - 1] = { kind: 'text', text: last.text + part.text };
        continue;
      }
    }
    out.push(part);
  }
  return out;
}

/** True when the value has `*` or `?` wildcards. */
export function hasWildcards(value: StringValue): boolean {
  return value.parts.some((part) => part.kind === 'any' || part.kind === 'one');
}

/** True when the value has `%name%` placeholders left from `expand`. */
export function hasPlaceholders(value: StringValue): boolean {
  return value.parts.some((part) => part.kind === 'placeholder');
}

/** The literal text of a value made only of text parts, or undefined. */
export function plainTextOf(value: StringValue): string | undefined {
  let text = '';
  for (const part of value.parts) {
    if (part.kind !== 'text') return undefined;
    text += part.text;
  }
  return text;
}

/**
 * Expands `alternatives` parts (from windash) into one value per combination, as pySigma's expansion
 * does; undefined when there would be more than `limit` values.
 */
export function expandAlternatives(value: StringValue, limit: number): StringValue[] | undefined {
  let results: StringPart[][] = [[]];
  for (const part of value.parts) {
    if (part.kind !== 'alternatives') {
      for (const result of results) result.push(part);
      continue;
    }
    if (results.length * part.options.length > limit) return undefined;
    results = results.flatMap((result) => part.options.map((option) => [...result, { kind: 'text', text: option } as StringPart]));
  }
  return results.map((parts) => ({ ...value, parts: normalizeParts(parts) }));
}

/** Returns the value with its parts replaced (keeping case and encoding flags). */
export function withParts(value: StringValue, parts: readonly StringPart[]): StringValue {
  return { ...value, parts: normalizeParts(parts) };
}
