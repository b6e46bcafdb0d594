import { describePath, isWrittenAsList, listGroups, listItems, showOriginal } from '../detection-sites.js';
import type { MutationOperator, ProposedMutant, UnwritableMutant } from '../mutant.js';
import { deleteListElement, type EditResult } from '../yaml-edits.js';

const toProposal = (target: string, change: string, result: EditResult): ProposedMutant | UnwritableMutant =>
  'edit' in result ? { target, change, edits: [result.edit] } : { target, change, reason: result.reason };

/**
 * `drop-value`: forgets one value of a list of values (spec "Lists": values are OR-linked, or
 * AND-linked under `all`), or one alternative of a list of selections.
 */
export const dropValue = {
  id: 'drop-value',
  description: 'drops one value from a list of values, or one alternative from a list of selections',
  propose({ rule, document }) {
    const proposals: (ProposedMutant | UnwritableMutant)[] = [];
    for (const { item } of listItems(rule)) {
      if (item.values.length < 2 || !isWrittenAsList(item)) continue;
      const target = describePath(item.key.path);
      item.valueRefs.forEach((ref, index) => {
        proposals.push(toProposal(target, `drop ${showOriginal(item.originals[index] ?? '')}`, deleteListElement(document, ref.path)));
      });
    }
    for (const group of listGroups(rule)) {
      if (group.kind !== 'or') continue;
      const target = describePath(group.source.path);
      group.items.forEach((_, index) => {
        proposals.push(toProposal(target, `drop alternative ${index + 1} of ${group.items.length}`, deleteListElement(document, [...group.source.path, index])));
      });
    }
    return proposals;
  },
} as const satisfies MutationOperator;
