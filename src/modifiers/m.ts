import { rejectKind, succeed, type ValueModifier } from './modifier.js';

/** `m`: `re` sub-modifier, (multi line) `^` and `$` match the start and end of each line (spec appendix "Regular Expression"). */
export const m = {
  id: 'm',
  scope: 'value',
  description: '^ and $ match at line breaks',
  apply(value) {
    if (value.kind !== 'regex') return rejectKind('m', value, "a regular expression (put it after 're')");
    return succeed({ ...value, flags: { ...value.flags, m: true } });
  },
} as const satisfies ValueModifier;
