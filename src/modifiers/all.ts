import type { ListModifier } from './modifier.js';

/** `all`: the item's values are AND-linked instead of OR-linked (spec appendix "Generic Modifiers"). */
export const all = {
  id: 'all',
  scope: 'item',
  description: 'every value must match, not just one',
  apply: (flags) => ({ ...flags, linking: 'and' }),
} as const satisfies ListModifier;
