/**
 * The nodes of a rule's conditions, each with a way to rebuild its condition with that node replaced
 * or removed, and the proposal that writes a rebuilt condition into the rule text.
 */
import type { ConditionNode } from '../model/condition.js';
import type { ConditionEntry } from '../model/detection.js';
import { formatCondition } from './format-condition.js';
import type { MutationTarget, ProposedMutant, UnwritableMutant } from './mutant.js';
import { replaceScalar } from './yaml-edits.js';

/** One node of a condition tree and how to rebuild the tree around a change of it. */
export interface ConditionSite {
  readonly entry: ConditionEntry;
  /** The entry's position among the rule's conditions (a list of conditions is OR). */
  readonly entryIndex: number;
  readonly node: ConditionNode;
  readonly parent?: ConditionNode;
  /** The whole condition with this node replaced. */
  replace(replacement: ConditionNode): ConditionNode;
  /** The whole condition without this node (an and/or of one operand collapses), or undefined when nothing is left. */
  remove(): ConditionNode | undefined;
}

function visit(
  node: ConditionNode,
  parent: ConditionNode | undefined,
  rebuild: (replacement: ConditionNode | undefined) => ConditionNode | undefined,
  out: Omit<ConditionSite, 'entry' | 'entryIndex'>[],
): void {
  out.push({
    node,
    ...(parent === undefined ? {} : { parent }),
    replace: (replacement) => rebuild(replacement) as ConditionNode,
    remove: () => rebuild(undefined),
  });
  if (node.kind === 'not') {
    visit(node.operand, node, (replacement) => rebuild(replacement === undefined ? undefined : { ...node, operand: replacement }), out);
  } else if (node.kind === 'and' || node.kind === 'or') {
    node.operands.forEach((operand, index) => {
      visit(operand, node, (replacement) => {
        const operands = node.operands.flatMap((other, at) => (at !== index ? [other] : replacement === undefined ? [] : [replacement]));
        if (operands.length === 0) return rebuild(undefined);
        return rebuild(operands.length === 1 ? operands[0] : { ...node, operands });
      }, out);
    });
  }
}

/** Every node of every condition of the rule, outermost first. */
export function listConditionSites(target: MutationTarget): ConditionSite[] {
  return target.rule.detection.conditions.flatMap((entry, entryIndex) => {
    const sites: Omit<ConditionSite, 'entry' | 'entryIndex'>[] = [];
    visit(entry.ast, undefined, (replacement) => replacement, sites);
    return sites.map((site) => ({ ...site, entry, entryIndex }));
  });
}

/** Proposes the rule with condition `entryIndex` rewritten as `ast`; nothing when the text would not change. */
export function proposeCondition(target: MutationTarget, site: ConditionSite, ast: ConditionNode | undefined): (ProposedMutant | UnwritableMutant)[] {
  if (ast === undefined) return [];
  const text = formatCondition(ast);
  if (text === site.entry.text.trim()) return [];
  const where = target.rule.detection.conditions.length > 1 ? `condition/${site.entryIndex}` : 'condition';
  const change = `'${site.entry.text.trim()}' -> '${text}'`;
  const result = replaceScalar(target.document, site.entry.source.path, text);
  return ['edit' in result ? { target: where, change, edits: [result.edit] } : { target: where, change, reason: result.reason }];
}
