/**
 * Writes a condition tree back as Sigma condition text (specification v2.1, "Condition"), with
 * parentheses only where the precedence not > and > or needs them, so parseCondition reads the text
 * back as the same tree up to flattening.
 */
import type { ConditionNode } from '../model/condition.js';

const PRECEDENCE: Readonly<Record<ConditionNode['kind'], number>> = { or: 1, and: 2, not: 3, identifier: 4, of: 4 };

/** Formats a condition tree as condition text. */
export function formatCondition(node: ConditionNode): string {
  const operand = (child: ConditionNode, parent: ConditionNode): string => {
    const text = formatCondition(child);
    // An operand binding less tightly than its operator needs parentheses; `not` takes an atom or another `not`.
    const weaker = PRECEDENCE[child.kind] < PRECEDENCE[parent.kind] || (parent.kind === 'not' && PRECEDENCE[child.kind] < PRECEDENCE.not);
    return weaker ? `(${text})` : text;
  };
  switch (node.kind) {
    case 'identifier':
      return node.name;
    case 'of':
      return `${node.quantifier} of ${node.target.kind === 'them' ? 'them' : node.target.pattern}`;
    case 'not':
      return `not ${operand(node.operand, node)}`;
    case 'and':
    case 'or':
      return node.operands.map((child) => operand(child, node)).join(` ${node.kind} `);
  }
}
