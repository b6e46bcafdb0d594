import type { CollectionLint } from '../../lint.js';
import { findDuplicates } from '../../find-duplicates.js';

/**
 * `rule/duplicate-id` (error): two documents (rules, correlations or filters) share an `id`. Sigma ids are
 * globally unique (rules specification v2.1, "Identification"): correlations, filters, SIEM alerts and
 * changelogs refer to rules by id, so a copied rule must get a new id. Both places are reported.
 */
export const duplicateIdLint: CollectionLint = {
  scope: 'collection',
  code: 'rule/duplicate-id',
  severity: 'error',
  summary: 'Two Sigma documents share an id.',
  help: 'Ids must be globally unique: give the copy a new random UUID (version 4), and link it to the original with related (type derived or similar) if needed.',
  check: (documents) => findDuplicates(duplicateIdLint, documents, 'id'),
};
