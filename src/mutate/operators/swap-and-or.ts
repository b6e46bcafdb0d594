import { selectIdentifiers } from '../../parse/condition.js';
import { listConditionSites, proposeCondition } from '../condition-sites.js';
import type { MutationOperator, ProposedMutant, UnwritableMutant } from '../mutant.js';

/** `swap-and-or`: writes `and` for `or` and back in the condition, and `all of` for `1 of` and back. */
export const swapAndOr = {
  id: 'swap-and-or',
  description: "swaps 'and' and 'or' in the condition, and '1 of' and 'all of'",
  propose(target) {
    const names = [...target.rule.detection.identifiers.keys()];
    const proposals: (ProposedMutant | UnwritableMutant)[] = [];
    for (const site of listConditionSites(target)) {
      const { node } = site;
      if (node.kind === 'and' || node.kind === 'or') {
        proposals.push(...proposeCondition(target, site, site.replace({ ...node, kind: node.kind === 'and' ? 'or' : 'and' })));
      } else if (node.kind === 'of' && (node.quantifier === 1 || node.quantifier === 'all') && selectIdentifiers(node.target, names).length > 1) {
        proposals.push(...proposeCondition(target, site, site.replace({ ...node, quantifier: node.quantifier === 1 ? 'all' : 1 })));
      }
    }
    return proposals;
  },
} as const satisfies MutationOperator;
