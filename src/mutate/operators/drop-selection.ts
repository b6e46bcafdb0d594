import type { ConditionNode } from '../../model/condition.js';
import { selectIdentifiers } from '../../parse/condition.js';
import { listConditionSites, proposeCondition } from '../condition-sites.js';
import type { MutationOperator, ProposedMutant, UnwritableMutant } from '../mutant.js';

const identifier = (name: string): ConditionNode => ({ kind: 'identifier', name, span: { start: 0, end: 0 } });

/**
 * `drop-selection`: forgets one search identifier in the condition: an operand of an and/or, or one of
 * the identifiers an `x of` pattern selects (the rest written out, since a pattern cannot leave one out).
 * Dropping a negated operand of an `and` is `remove-filter`'s mistake, not this one.
 */
export const dropSelection = {
  id: 'drop-selection',
  description: 'drops one search identifier from the condition',
  propose(target) {
    const names = [...target.rule.detection.identifiers.keys()];
    const proposals: (ProposedMutant | UnwritableMutant)[] = [];
    for (const site of listConditionSites(target)) {
      const { node, parent } = site;
      if (parent?.kind === 'or' || (parent?.kind === 'and' && node.kind !== 'not')) proposals.push(...proposeCondition(target, site, site.remove()));
      if (node.kind !== 'of') continue;
      const selected = selectIdentifiers(node.target, names);
      if (selected.length < 2) continue;
      for (const dropped of selected) {
        const rest = selected.filter((name) => name !== dropped).map(identifier);
        if (node.quantifier !== 1 && node.quantifier !== 'all') {
          proposals.push({ target: target.rule.detection.conditions.length > 1 ? `condition/${site.entryIndex}` : 'condition', change: `'${site.entry.text.trim()}' without ${dropped}`, reason: `'${node.quantifier} of' over the other identifiers cannot be written as one condition` });
          continue;
        }
        const replacement: ConditionNode = rest.length === 1 ? (rest[0] as ConditionNode) : { kind: node.quantifier === 'all' ? 'and' : 'or', operands: rest, span: node.span };
        proposals.push(...proposeCondition(target, site, site.replace(replacement)));
      }
    }
    return proposals;
  },
} as const satisfies MutationOperator;
