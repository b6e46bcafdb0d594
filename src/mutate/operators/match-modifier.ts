import { describePath, joinKey, listItems, splitKey } from '../detection-sites.js';
import type { MutationOperator, ProposedMutant, UnwritableMutant } from '../mutant.js';
import { holdsStringPatterns, STRING_MATCHERS } from '../string-items.js';
import { renameKey } from '../yaml-edits.js';

type Matcher = (typeof STRING_MATCHERS)[number] | 'equality';
const MATCHERS: readonly Matcher[] = [...STRING_MATCHERS, 'equality'];

/**
 * `match-modifier`: changes how a field's string values match, for the whole item: `endswith` into
 * `contains`, `startswith` or equality (no modifier), and each of those back (spec appendix "Generic
 * Modifiers"). Values that spell their wildcards out are `wildcard`'s business, value by value.
 */
export const matchModifier = {
  id: 'match-modifier',
  description: 'turns endswith into contains, startswith or equality, and each of them into the others',
  propose({ rule, document }) {
    const proposals: (ProposedMutant | UnwritableMutant)[] = [];
    for (const { item } of listItems(rule)) {
      if (item.field === undefined || !holdsStringPatterns(item)) continue;
      const { field, chain } = splitKey(item);
      const current: Matcher = STRING_MATCHERS.find((id) => chain.includes(id)) ?? 'equality';
      for (const matcher of MATCHERS) {
        if (matcher === current) continue;
        const others = chain.filter((id) => id !== current);
        const position = current === 'equality' ? chain.length : chain.indexOf(current);
        const changed = matcher === 'equality' ? others : [...others.slice(0, position), matcher, ...others.slice(position)];
        const target = describePath(item.key.path);
        const change = `${current} -> ${matcher}`;
        const result = renameKey(document, item.key.path, joinKey(field, changed));
        proposals.push('edit' in result ? { target, change, edits: [result.edit] } : { target, change, reason: result.reason });
      }
    }
    return proposals;
  },
} as const satisfies MutationOperator;
