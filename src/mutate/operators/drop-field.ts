import { describePath, listGroups } from '../detection-sites.js';
import type { MutationOperator, ProposedMutant, UnwritableMutant } from '../mutant.js';
import { deleteMapEntry } from '../yaml-edits.js';

/** `drop-field`: forgets one field of a selection (spec "Maps": the fields of a map are AND-linked). */
export const dropField = {
  id: 'drop-field',
  description: 'drops one field from a selection',
  propose({ rule, document }) {
    const proposals: (ProposedMutant | UnwritableMutant)[] = [];
    for (const group of listGroups(rule)) {
      if (group.kind !== 'and') continue;
      const target = describePath(group.source.path);
      for (const item of group.items) {
        if (item.kind !== 'item') continue;
        const key = String(item.key.path[item.key.path.length - 1]);
        const change = `drop ${key}`;
        const result = deleteMapEntry(document, item.key.path);
        proposals.push('edit' in result ? { target, change, edits: [result.edit] } : { target, change, reason: result.reason });
      }
    }
    return proposals;
  },
} as const satisfies MutationOperator;
