import type { ListModifier } from './modifier.js';

/**
 * `neq`: the field differs from the values (spec v2.1 appendix "Generic Modifiers"). As pySigma's
 * SigmaNegateModifier, it negates the whole item, so a missing field counts as different.
 */
export const neq = {
  id: 'neq',
  scope: 'item',
  description: 'the field differs from the values',
  apply: (flags) => ({ ...flags, negated: true }),
} as const satisfies ListModifier;
