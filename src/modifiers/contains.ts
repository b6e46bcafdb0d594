import type { StringValue } from '../model/detection.js';
import { rejectKind, succeed, type ValueModifier } from './modifier.js';
import { withParts } from './sigma-string.js';

/** Adds `*` on both ends of a string so it matches anywhere in the field (pySigma keeps existing ones). */
export function wrapContains(value: StringValue): StringValue {
  const parts = [...value.parts];
  if (parts[0]?.kind !== 'any') parts.unshift({ kind: 'any' });
  if (parts[parts.length - 1]?.kind !== 'any') parts.push({ kind: 'any' });
  return withParts(value, parts);
}

/** `contains`: puts `*` wildcards around the value (spec appendix "Generic Modifiers"). */
export const contains = {
  id: 'contains',
  scope: 'value',
  description: 'the value matches anywhere in the field',
  apply(value) {
    if (value.kind === 'string') return succeed(wrapContains(value));
    if (value.kind === 'fieldref') return succeed({ ...value, startsWith: true, endsWith: true });
    return rejectKind('contains', value, 'a string or a field reference');
  },
} as const satisfies ValueModifier;
