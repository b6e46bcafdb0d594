import { encodeValueUtf16 } from './encoding.js';
import { rejectKind, succeed, type ValueModifier } from './modifier.js';

/** `wide`: an alias for `utf16le` (spec appendix "Encoding"). */
export const wide = {
  id: 'wide',
  scope: 'value',
  description: 'the value, encoded as UTF-16LE (alias of utf16le)',
  apply(value) {
    if (value.kind !== 'string') return rejectKind('wide', value, 'a string');
    return succeed(encodeValueUtf16(value, 'le', ''));
  },
} as const satisfies ValueModifier;
