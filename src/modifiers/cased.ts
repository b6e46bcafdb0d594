import { rejectKind, succeed, type ValueModifier } from './modifier.js';

/** `cased`: the value matches case-sensitively; Sigma's default is case-insensitive (spec appendix). */
export const cased = {
  id: 'cased',
  scope: 'value',
  description: 'the value matches case-sensitively',
  apply(value) {
    if (value.kind !== 'string') return rejectKind('cased', value, 'a string');
    return succeed({ ...value, cased: true });
  },
} as const satisfies ValueModifier;
