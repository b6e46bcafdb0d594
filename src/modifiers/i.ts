import { rejectKind, succeed, type ValueModifier } from './modifier.js';

/** `i`: `re` sub-modifier, (insensitive) enables case-insensitive matching (spec appendix "Regular Expression"). */
export const i = {
  id: 'i',
  scope: 'value',
  description: 'case-insensitive matching',
  apply(value) {
    if (value.kind !== 'regex') return rejectKind('i', value, "a regular expression (put it after 're')");
    return succeed({ ...value, flags: { ...value.flags, i: true } });
  },
} as const satisfies ValueModifier;
