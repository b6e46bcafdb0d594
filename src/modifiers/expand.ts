import type { StringPart } from '../model/detection.js';
import { rejectKind, succeed, type ValueModifier } from './modifier.js';
import { withParts } from './sigma-string.js';

const PLACEHOLDER = /(?<!\\)%(\w+)%/g;

/**
 * Splits literal text into text and `%name%` placeholder parts; `\%` stands for a plain percent sign
 * (spec "Placeholders": `field|expand: \%plain%name%` has the plain value `%plain` and the placeholder `name`).
 */
export function splitPlaceholders(text: string): StringPart[] {
  const parts: StringPart[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    const before = text.slice(last, match.index).replaceAll('\\%', '%');
    if (before !== '') parts.push({ kind: 'text', text: before });
    parts.push({ kind: 'placeholder', name: match[1] as string });
    last = match.index + match[0].length;
  }
  const rest = text.slice(last).replaceAll('\\%', '%');
  if (rest !== '') parts.push({ kind: 'text', text: rest });
  return parts;
}

/**
 * `expand`: `%name%` in the value is a placeholder, replaced by the values configured for it
 * (spec "Placeholders"; config/placeholders.yml). Without `expand`, `%name%` is literal text.
 */
export const expand = {
  id: 'expand',
  scope: 'value',
  description: '%name% placeholders expand to their configured values',
  apply(value) {
    if (value.kind === 'regex') return succeed({ ...value, placeholders: true });
    if (value.kind !== 'string' || value.encoding !== 'text') return rejectKind('expand', value, 'a string or a regular expression');
    return succeed(withParts(value, value.parts.flatMap((part) => (part.kind === 'text' ? splitPlaceholders(part.text) : [part]))));
  },
} as const satisfies ValueModifier;
