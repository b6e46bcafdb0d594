import { rejectKind, succeed, type ValueModifier } from './modifier.js';

/** `lte`: the field is less than or equal to the number (spec appendix "Numeric Modifiers"). */
export const lte = {
  id: 'lte',
  scope: 'value',
  description: 'the field is <= the number',
  apply(value) {
    if (value.kind !== 'number') return rejectKind('lte', value, 'a number');
    return succeed({ kind: 'compare', op: 'lte', value: value.value });
  },
} as const satisfies ValueModifier;
