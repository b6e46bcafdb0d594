import { encodeValueUtf16 } from './encoding.js';
import { rejectKind, succeed, type ValueModifier } from './modifier.js';

/** `utf16le`: the value encoded as UTF-16 little endian, e.g. `cmd` > `63 00 6d 00 64 00` (spec appendix). */
export const utf16le = {
  id: 'utf16le',
  scope: 'value',
  description: 'the value, encoded as UTF-16LE',
  apply(value) {
    if (value.kind !== 'string') return rejectKind('utf16le', value, 'a string');
    return succeed(encodeValueUtf16(value, 'le', ''));
  },
} as const satisfies ValueModifier;
