import type { CollectionLint } from '../../lint.js';
import { findDuplicates } from '../../find-duplicates.js';

/**
 * `rule/duplicate-name` (error): two documents share a `name`. Names are unique references that correlation
 * rules may use instead of ids (rules specification v2.1, "Name"), so a shared name makes references ambiguous.
 */
export const duplicateNameLint: CollectionLint = {
  scope: 'collection',
  code: 'rule/duplicate-name',
  severity: 'error',
  summary: 'Two Sigma documents share a name.',
  help: 'Names are references for correlation rules and must be unique: rename one of the documents.',
  check: (documents) => findDuplicates(duplicateNameLint, documents, 'name'),
};
