import { encodeValueUtf16 } from './encoding.js';
import { rejectKind, succeed, type ValueModifier } from './modifier.js';

/** `utf16be`: the value encoded as UTF-16 big endian, e.g. `cmd` > `00 63 00 6d 00 64` (spec appendix). */
export const utf16be = {
  id: 'utf16be',
  scope: 'value',
  description: 'the value, encoded as UTF-16BE',
  apply(value) {
    if (value.kind !== 'string') return rejectKind('utf16be', value, 'a string');
    return succeed(encodeValueUtf16(value, 'be', ''));
  },
} as const satisfies ValueModifier;
