import { describePath, joinKey, listItems, splitKey } from '../detection-sites.js';
import type { MutationOperator, ProposedMutant, UnwritableMutant } from '../mutant.js';
import { renameKey, replaceNumber } from '../yaml-edits.js';

const FLIPPED: Readonly<Record<string, string>> = { gt: 'gte', gte: 'gt', lt: 'lte', lte: 'lt' };

/**
 * `number-bound`: moves the bound of a numeric comparison (`|gt`, `|gte`, `|lt`, `|lte`, spec appendix
 * "Numeric Modifiers") one up or down, or makes it inclusive where it was strict and back: the
 * off-by-one an author makes.
 */
export const numberBound = {
  id: 'number-bound',
  description: "changes a number comparison's bound: one up, one down, strict or inclusive",
  propose({ rule, document }) {
    const proposals: (ProposedMutant | UnwritableMutant)[] = [];
    for (const { item } of listItems(rule)) {
      const { field, chain } = splitKey(item);
      const target = describePath(item.key.path);
      item.values.forEach((value, index) => {
        const ref = item.valueRefs[index];
        if (value.kind !== 'compare' || ref === undefined) return;
        for (const bound of [value.value - 1, value.value + 1]) {
          const change = `${value.op} ${value.value} -> ${value.op} ${bound}`;
          const result = replaceNumber(document, ref.path, bound);
          proposals.push('edit' in result ? { target, change, edits: [result.edit] } : { target, change, reason: result.reason });
        }
      });
      const op = chain.find((id) => FLIPPED[id] !== undefined);
      if (op === undefined || item.field === undefined || !item.values.some((value) => value.kind === 'compare')) continue;
      const flipped = FLIPPED[op] as string;
      const result = renameKey(document, item.key.path, joinKey(field, chain.map((id) => (id === op ? flipped : id))));
      proposals.push('edit' in result ? { target, change: `${op} -> ${flipped}`, edits: [result.edit] } : { target, change: `${op} -> ${flipped}`, reason: result.reason });
    }
    return proposals;
  },
} as const satisfies MutationOperator;
