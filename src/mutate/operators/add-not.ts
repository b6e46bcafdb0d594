import { listConditionSites, proposeCondition } from '../condition-sites.js';
import type { MutationOperator, ProposedMutant, UnwritableMutant } from '../mutant.js';

/** `add-not`: negates one search identifier (or `x of`) of the condition that was not negated. */
export const addNot = {
  id: 'add-not',
  description: "adds a 'not' in front of a search identifier of the condition",
  propose(target) {
    const proposals: (ProposedMutant | UnwritableMutant)[] = [];
    for (const site of listConditionSites(target)) {
      const { node, parent } = site;
      if ((node.kind !== 'identifier' && node.kind !== 'of') || parent?.kind === 'not') continue;
      proposals.push(...proposeCondition(target, site, site.replace({ kind: 'not', operand: node, span: node.span })));
    }
    return proposals;
  },
} as const satisfies MutationOperator;
