/**
 * What a detection matches, as text: its search identifiers and conditions without positions and
 * rule text, so two rules with equal signatures match exactly the same events. Mutants equal to the
 * rule, or to an earlier mutant, are recognised by it.
 */
import { createHash } from 'node:crypto';
import type { ConditionNode } from '../model/condition.js';
import type { Detection, DetectionNode } from '../model/detection.js';

// Where things are written and how, not what they match: positions, and the rule text (`originals`,
// `modifiers`) whose effect the values and flags already hold. Values carry no positions.
function stripNode(node: DetectionNode): unknown {
  if (node.kind === 'item') return { ...node, key: undefined, valueRefs: undefined, originals: undefined, modifiers: undefined };
  return { kind: node.kind, items: node.items.map(stripNode) };
}

function stripCondition(node: ConditionNode): unknown {
  switch (node.kind) {
    case 'not':
      return { kind: 'not', operand: stripCondition(node.operand) };
    case 'and':
    case 'or':
      return { kind: node.kind, operands: node.operands.map(stripCondition) };
    default:
      return { ...node, span: undefined };
  }
}

/** The detection's logic as canonical text. */
export function describeLogic(detection: Detection): string {
  return JSON.stringify({
    identifiers: [...detection.identifiers.values()].map((identifier) => [identifier.name, stripNode(identifier.body)]),
    conditions: detection.conditions.map((condition) => stripCondition(condition.ast)),
    timeframe: detection.timeframe ?? null,
  });
}

/** A short fingerprint of the detection's logic (SHA-256 of describeLogic), to compare many mutants without keeping their text. */
export function fingerprintLogic(detection: Detection): string {
  return createHash('sha256').update(describeLogic(detection)).digest('hex');
}
