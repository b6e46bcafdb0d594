import { rejectKind, succeed, type ValueModifier } from './modifier.js';

/** `lt`: the field is less than the number (spec appendix "Numeric Modifiers"). */
export const lt = {
  id: 'lt',
  scope: 'value',
  description: 'the field is < the number',
  apply(value) {
    if (value.kind !== 'number') return rejectKind('lt', value, 'a number');
    return succeed({ kind: 'compare', op: 'lt', value: value.value });
  },
} as const satisfies ValueModifier;
