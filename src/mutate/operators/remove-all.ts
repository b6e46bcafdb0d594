import { describePath, joinKey, listItems, splitKey } from '../detection-sites.js';
import type { MutationOperator, ProposedMutant, UnwritableMutant } from '../mutant.js';
import { renameKey } from '../yaml-edits.js';

/** `remove-all`: forgets `all`, so one value of the list is enough where every value was required. */
export const removeAll = {
  id: 'remove-all',
  description: "removes 'all' from a field, so any one of its values matches",
  propose({ rule, document }) {
    const proposals: (ProposedMutant | UnwritableMutant)[] = [];
    for (const { item } of listItems(rule)) {
      if (item.field === undefined) continue;
      const { field, chain } = splitKey(item);
      if (!chain.includes('all')) continue;
      const target = describePath(item.key.path);
      const result = renameKey(document, item.key.path, joinKey(field, chain.filter((id) => id !== 'all')));
      proposals.push('edit' in result ? { target, change: 'remove all', edits: [result.edit] } : { target, change: 'remove all', reason: result.reason });
    }
    return proposals;
  },
} as const satisfies MutationOperator;
