import { rejectKind, succeed, type ValueModifier } from './modifier.js';

/** `s`: `re` sub-modifier, (single line) `.` matches every character, the newline included (spec appendix "Regular Expression"). */
export const s = {
  id: 's',
  scope: 'value',
  description: '. also matches line breaks',
  apply(value) {
    if (value.kind !== 'regex') return rejectKind('s', value, "a regular expression (put it after 're')");
    return succeed({ ...value, flags: { ...value.flags, s: true } });
  },
} as const satisfies ValueModifier;
