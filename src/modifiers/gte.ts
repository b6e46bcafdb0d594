import { rejectKind, succeed, type ValueModifier } from './modifier.js';

/** `gte`: the field is greater than or equal to the number (spec appendix "Numeric Modifiers"). */
export const gte = {
  id: 'gte',
  scope: 'value',
  description: 'the field is >= the number',
  apply(value) {
    if (value.kind !== 'number') return rejectKind('gte', value, 'a number');
    return succeed({ kind: 'compare', op: 'gte', value: value.value });
  },
} as const satisfies ValueModifier;
