import { encodeValueUtf16 } from './encoding.js';
import { rejectKind, succeed, type ValueModifier } from './modifier.js';

/** `utf16`: a byte order mark, then UTF-16LE, e.g. `cmd` > `FF FE 63 00 6d 00 64 00` (spec appendix). */
export const utf16 = {
  id: 'utf16',
  scope: 'value',
  description: 'the value, encoded as UTF-16 with a byte order mark',
  apply(value) {
    if (value.kind !== 'string') return rejectKind('utf16', value, 'a string');
    return succeed(encodeValueUtf16(value, 'le', '\xff\xfe'));
  },
} as const satisfies ValueModifier;
