import type { StringPart } from '../model/detection.js';
import { rejectKind, succeed, type ValueModifier } from './modifier.js';
import { withParts } from './sigma-string.js';

/** The characters Windows accepts to introduce a command-line flag (spec v2.1 appendix, `windash`). */
export const WINDASH_CHARACTERS = ['-', '/', '\u2013', '\u2014', '\u2015'] as const;

const DASHES = new Set<string>(WINDASH_CHARACTERS);
const WORD = /[\p{L}\p{N}_]/u;

/**
 * `windash`: every flag dash may be any of `-`, `/`, en dash, em dash or horizontal bar. As pySigma does
 * (regex `\B[-/]\b`), only a dash that starts a word is a flag: it follows a non-word character (or the
 * start) and precedes a word character, so `-param-name` varies its first dash only.
 */
export const windash = {
  id: 'windash',
  scope: 'value',
  description: 'flag dashes match -, /, en dash, em dash and horizontal bar',
  apply(value) {
    if (value.kind !== 'string' || value.encoding !== 'text') return rejectKind('windash', value, 'a string');
    const parts: StringPart[] = [];
    for (const part of value.parts) {
      if (part.kind !== 'text') {
        parts.push(part);
        continue;
      }
      const text = part.text;
      let literal = '';
      for (let index = 0; index < text.length; index += 1) {
        const char = text[index] as string;
        const before = index === 0 ? '' : (text[index - 1] as string);
        const after = text[index + 1] ?? '';
        if (DASHES.has(char) && !WORD.test(before) && WORD.test(after)) {
          if (literal !== '') parts.push({ kind: 'text', text: literal });
          literal = '';
          parts.push({ kind: 'alternatives', options: [...WINDASH_CHARACTERS] });
        } else {
          literal += char;
        }
      }
      if (literal !== '') parts.push({ kind: 'text', text: literal });
    }
    return succeed(withParts(value, parts));
  },
} as const satisfies ValueModifier;
