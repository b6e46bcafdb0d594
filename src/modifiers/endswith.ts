import { rejectKind, succeed, type ValueModifier } from './modifier.js';
import { withParts } from './sigma-string.js';

/** `endswith`: the value is expected at the end of the field, i.e. `*value` (spec appendix). */
export const endswith = {
  id: 'endswith',
  scope: 'value',
  description: 'the field ends with the value',
  apply(value) {
    if (value.kind === 'string') {
      const parts = [...value.parts];
      if (parts[0]?.kind !== 'any') parts.unshift({ kind: 'any' });
      return succeed(withParts(value, parts));
    }
    if (value.kind === 'fieldref') return succeed({ ...value, endsWith: true });
    return rejectKind('endswith', value, 'a string or a field reference');
  },
} as const satisfies ValueModifier;
