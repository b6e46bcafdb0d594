import type { CollectionLint } from '../../lint.js';
import { findUnknownReferences } from '../../rule-references.js';

/**
 * `filter/unknown-rule` (warning): a Sigma filter names in `filter.rules` a rule that no validated document has
 * as id or name (filters specification v2.1, "Relative rules"), so the filter silently applies to nothing.
 * `rules: any` (every rule) is accepted.
 */
export const unknownFilterRuleLint: CollectionLint = {
  scope: 'collection',
  code: 'filter/unknown-rule',
  severity: 'warning',
  summary: 'A filter refers to a rule that was not found.',
  help: 'Filters name the rules they apply to by id or name; check the spelling, or validate the folder that holds the rule too.',
  check(documents) {
    return findUnknownReferences(this, documents, 'filter', () => [], 'any');
  },
};
