/**
 * What a detection matches, as text: its search identifiers and conditions without positions and
 * rule text, so two rules with equal signatures match exactly the same events. Mutants equal to the
 * rule, or to an earlier mutant, are recognised by it.
 */
import type { Detection } from '../model/detection.js';

// Where things are written and how, not what they match: `originals` and `modifiers` are the rule text,
// whose effect the values and flags already hold.
const WRITTEN_ONLY = new Set(['source', 'key', 'valueRefs', 'originals', 'modifiers', 'span']);

/** The detection's logic as canonical text. */
export function describeLogic(detection: Detection): string {
  const logic = {
    identifiers: [...detection.identifiers.values()].map((identifier) => [identifier.name, identifier.body]),
    conditions: detection.conditions.map((condition) => condition.ast),
    timeframe: detection.timeframe ?? null,
  };
  return JSON.stringify(logic, (key, value: unknown) => (WRITTEN_ONLY.has(key) ? undefined : value));
}
