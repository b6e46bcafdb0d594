import { listConditionSites, proposeCondition } from '../condition-sites.js';
import type { MutationOperator, ProposedMutant, UnwritableMutant } from '../mutant.js';

/** `remove-not`: forgets a `not` in the condition, so what it excluded is required instead. */
export const removeNot = {
  id: 'remove-not',
  description: "removes a 'not' from the condition",
  propose(target) {
    const proposals: (ProposedMutant | UnwritableMutant)[] = [];
    for (const site of listConditionSites(target)) {
      if (site.node.kind === 'not') proposals.push(...proposeCondition(target, site, site.replace(site.node.operand)));
    }
    return proposals;
  },
} as const satisfies MutationOperator;
