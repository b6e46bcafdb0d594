import { rejectKind, succeed, type ValueModifier } from './modifier.js';
import { withParts } from './sigma-string.js';

/** `startswith`: the value is expected at the beginning of the field, i.e. `value*` (spec appendix). */
export const startswith = {
  id: 'startswith',
  scope: 'value',
  description: 'the field starts with the value',
  apply(value) {
    if (value.kind === 'string') {
      const parts = [...value.parts];
      if (parts[parts.length - 1]?.kind !== 'any') parts.push({ kind: 'any' });
      return succeed(withParts(value, parts));
    }
    if (value.kind === 'fieldref') return succeed({ ...value, startsWith: true });
    return rejectKind('startswith', value, 'a string or a field reference');
  },
} as const satisfies ValueModifier;
