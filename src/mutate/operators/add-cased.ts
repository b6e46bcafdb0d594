import { describePath, joinKey, listItems, splitKey } from '../detection-sites.js';
import type { MutationOperator, ProposedMutant, UnwritableMutant } from '../mutant.js';
import { hasCasedLetters, holdsStringPatterns } from '../string-items.js';
import { renameKey } from '../yaml-edits.js';

/**
 * `add-cased`: makes a field's string values match case-sensitively, where Sigma matches without
 * regard to case (spec appendix, `cased`). Items whose values have no letter with two cases are left
 * alone: there `cased` changes nothing.
 */
export const addCased = {
  id: 'add-cased',
  description: "adds 'cased' to a field's string values",
  propose({ rule, document }) {
    const proposals: (ProposedMutant | UnwritableMutant)[] = [];
    for (const { item } of listItems(rule)) {
      if (item.field === undefined || !holdsStringPatterns(item) || !item.originals.some(hasCasedLetters)) continue;
      const { field, chain } = splitKey(item);
      if (chain.includes('cased')) continue;
      const target = describePath(item.key.path);
      const result = renameKey(document, item.key.path, joinKey(field, [...chain, 'cased']));
      proposals.push('edit' in result ? { target, change: 'add cased', edits: [result.edit] } : { target, change: 'add cased', reason: result.reason });
    }
    return proposals;
  },
} as const satisfies MutationOperator;
