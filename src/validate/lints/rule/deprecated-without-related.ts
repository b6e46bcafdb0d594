import { reportAt, type DocumentLint } from '../../lint.js';

/**
 * `rule/deprecated-without-related` (warning): `status: deprecated` with no `related` entry. A deprecated rule is
 * replaced or covered by another one, and "the link is established by the related field" (rules specification
 * v2.1, "Status"); without it users of the rule cannot find its successor.
 */
export const deprecatedWithoutRelatedLint: DocumentLint = {
  scope: 'document',
  code: 'rule/deprecated-without-related',
  severity: 'warning',
  summary: 'A deprecated rule does not say which rule replaces it.',
  help: 'Add a related entry pointing at the rule that replaces this one (for example type: obsolete on the new rule, or derived/similar here).',
  check(document) {
    if (document.raw.status !== 'deprecated') return [];
    const related = document.raw.related;
    if (Array.isArray(related) && related.length > 0) return [];
    return [reportAt(this, document, ['status'], "the rule is deprecated but has no 'related' entry naming the rule that replaces it")];
  },
};
