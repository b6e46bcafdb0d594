import { joinKey, listItems, splitKey, type ItemSite } from '../detection-sites.js';
import type { MutationOperator, ProposedMutant, TextEdit, UnwritableMutant } from '../mutant.js';
import { renameKey } from '../yaml-edits.js';

/** The process fields of Sigma's process_creation taxonomy and their parent's counterparts. */
export const PARENT_CHILD_FIELDS: readonly (readonly [string, string])[] = [
  ['Image', 'ParentImage'],
  ['CommandLine', 'ParentCommandLine'],
  ['ProcessId', 'ParentProcessId'],
  ['ProcessGuid', 'ParentProcessGuid'],
  ['User', 'ParentUser'],
];

/**
 * `swap-parent-child`: mistakes the process for its parent: every field of a pair (Image and
 * ParentImage, CommandLine and ParentCommandLine ...) is renamed to the other throughout the
 * detection, pair by pair, then all pairs at once.
 */
export const swapParentChild = {
  id: 'swap-parent-child',
  description: 'swaps the process and parent-process fields (Image and ParentImage, ...)',
  propose({ rule, document }) {
    const sites = listItems(rule).filter((site) => site.item.field !== undefined);
    const pairs = PARENT_CHILD_FIELDS.filter((pair) => sites.some((site) => pair.includes(site.item.field as string)));
    const swap = (chosen: readonly (readonly [string, string])[], change: string): ProposedMutant | UnwritableMutant => {
      const counterpart = new Map(chosen.flatMap(([child, parent]) => [[child, parent], [parent, child]] as const));
      const edits: TextEdit[] = [];
      for (const site of sites as ItemSite[]) {
        const other = counterpart.get(site.item.field as string);
        if (other === undefined) continue;
        const result = renameKey(document, site.item.key.path, joinKey(other, splitKey(site.item).chain));
        if (!('edit' in result)) return { target: 'detection', change, reason: result.reason };
        edits.push(result.edit);
      }
      return { target: 'detection', change, edits };
    };
    const proposals = pairs.map((pair) => swap([pair], `${pair[0]} <-> ${pair[1]}`));
    if (pairs.length > 1) proposals.push(swap(pairs, `${pairs.map((pair) => `${pair[0]} <-> ${pair[1]}`).join(', ')}`));
    return proposals;
  },
} as const satisfies MutationOperator;
