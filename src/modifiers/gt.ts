import { rejectKind, succeed, type ValueModifier } from './modifier.js';

/** `gt`: the field is greater than the number (spec appendix "Numeric Modifiers"). */
export const gt = {
  id: 'gt',
  scope: 'value',
  description: 'the field is > the number',
  apply(value) {
    if (value.kind !== 'number') return rejectKind('gt', value, 'a number');
    return succeed({ kind: 'compare', op: 'gt', value: value.value });
  },
} as const satisfies ValueModifier;
