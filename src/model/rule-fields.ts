import type { DetectionNode } from './detection.js';
import type { SigmaRule } from './rule.js';

/**
 * The fields a rule's detection names, each once, in the order they first appear; with `fieldRefs`,
 * also the fields its `|fieldref` values compare with (every field the rule reads).
 */
export function detectionFields(rule: SigmaRule, options: { readonly fieldRefs?: boolean } = {}): string[] {
  const fields = new Set<string>();
  const visit = (node: DetectionNode): void => {
    if (node.kind !== 'item') {
      node.items.forEach(visit);
      return;
    }
    if (node.field !== undefined) fields.add(node.field);
    if (options.fieldRefs) for (const value of node.values) if (value.kind === 'fieldref') fields.add(value.field);
  };
  for (const identifier of rule.detection.identifiers.values()) visit(identifier.body);
  return [...fields];
}
