import { reject, rejectKind, succeed, type ValueModifier } from './modifier.js';
import { hasWildcards, plainTextOf } from './sigma-string.js';

/**
 * `fieldref`: the value names another field of the same event whose value is compared with this field
 * (spec appendix "Specific Modifiers"). pySigma refuses wildcards in the referenced name.
 */
export const fieldref = {
  id: 'fieldref',
  scope: 'value',
  description: "the field equals another field's value",
  apply(value) {
    if (value.kind !== 'string' || value.encoding !== 'text') return rejectKind('fieldref', value, 'a field name');
    if (hasWildcards(value)) return reject('fieldref', 'field references must not contain wildcards');
    const field = plainTextOf(value);
    if (field === undefined || field === '') return reject('fieldref', 'expects a field name');
    return succeed({ kind: 'fieldref', field, startsWith: false, endsWith: false, cased: false });
  },
} as const satisfies ValueModifier;
