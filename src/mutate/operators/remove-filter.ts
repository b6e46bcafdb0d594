import { listConditionSites, proposeCondition } from '../condition-sites.js';
import type { MutationOperator, ProposedMutant, UnwritableMutant } from '../mutant.js';

/**
 * `remove-filter`: forgets a filter, the `and not filter_*` part of a condition by which SigmaHQ rules
 * exclude known benign activity.
 */
export const removeFilter = {
  id: 'remove-filter',
  description: "removes a filter ('and not ...') from the condition",
  propose(target) {
    const proposals: (ProposedMutant | UnwritableMutant)[] = [];
    for (const site of listConditionSites(target)) {
      if (site.node.kind === 'not' && site.parent?.kind === 'and') proposals.push(...proposeCondition(target, site, site.remove()));
    }
    return proposals;
  },
} as const satisfies MutationOperator;
