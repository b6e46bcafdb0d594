/**
 * Every mutation operator, by its id, in the order mutants are generated and reported. The registry is
 * closed: the ids are the names mutants.yml and the reports use.
 */
import type { MutationOperator } from './mutant.js';
import { addCased } from './operators/add-cased.js';
import { addNot } from './operators/add-not.js';
import { dropField } from './operators/drop-field.js';
import { dropSelection } from './operators/drop-selection.js';
import { dropValue } from './operators/drop-value.js';
import { matchModifier } from './operators/match-modifier.js';
import { numberBound } from './operators/number-bound.js';
import { removeAll } from './operators/remove-all.js';
import { removeFilter } from './operators/remove-filter.js';
import { removeNot } from './operators/remove-not.js';
import { swapAndOr } from './operators/swap-and-or.js';
import { swapParentChild } from './operators/swap-parent-child.js';
import { wildcard } from './operators/wildcard.js';

/** The mutation operators, keyed by id. */
export const operatorRegistry = {
  'drop-value': dropValue,
  'drop-field': dropField,
  'drop-selection': dropSelection,
  'swap-and-or': swapAndOr,
  'remove-not': removeNot,
  'add-not': addNot,
  'remove-filter': removeFilter,
  'match-modifier': matchModifier,
  wildcard,
  'swap-parent-child': swapParentChild,
  'remove-all': removeAll,
  'add-cased': addCased,
  'number-bound': numberBound,
} as const satisfies Readonly<Record<string, MutationOperator>>;

/** A mutation operator's id. */
export type OperatorId = keyof typeof operatorRegistry;

// Each operator must be registered under its own id: this fails to type-check otherwise.
type MisnamedOperators = { [Id in OperatorId]: (typeof operatorRegistry)[Id]['id'] extends Id ? never : Id }[OperatorId];
const registryKeysAreIds: [MisnamedOperators] extends [never] ? true : never = true;
void registryKeysAreIds;

/** The operator ids in generation order. */
export const OPERATOR_IDS = Object.keys(operatorRegistry) as OperatorId[];

/** True when `id` names a mutation operator. */
export function isOperatorId(id: string): id is OperatorId {
  return Object.hasOwn(operatorRegistry, id);
}
