import { reject, succeed, type ValueModifier } from './modifier.js';

/**
 * `exists`: the field must (true) or must not (false) be present, whatever its value, empty or null
 * (spec v2.1 appendix "Generic Modifiers"). As in pySigma it needs a field, a boolean, and no other
 * modifier before it.
 */
export const exists = {
  id: 'exists',
  scope: 'value',
  description: 'the field is present (true) or absent (false)',
  apply(value, context) {
    if (context.field === undefined) return reject('exists', 'needs a field; keyword lists cannot test existence');
    if (context.applied.length > 0) return reject('exists', `must be the first modifier, not after '${context.applied.join('|')}'`);
    if (value.kind !== 'boolean') return reject('exists', `expects true or false, got ${JSON.stringify(context.raw) ?? String(context.raw)}`);
    return succeed({ kind: 'exists', value: value.value });
  },
} as const satisfies ValueModifier;
