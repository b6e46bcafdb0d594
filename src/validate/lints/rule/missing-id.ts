import { reportAt, type DocumentLint } from '../../lint.js';

/**
 * `rule/missing-id` (warning): a document without `id`. The specification makes the id optional, but in a rule
 * repository every rule is referred to by it (correlations, filters, scan output, changelogs, SIEM alerts), and
 * the duplicate-id check cannot protect a rule that has none (rules specification v2.1, "Identification").
 */
export const missingIdLint: DocumentLint = {
  scope: 'document',
  code: 'rule/missing-id',
  severity: 'warning',
  summary: 'A Sigma document has no id.',
  help: 'Add an id: a random UUID (version 4), for example from `uuidgen` or `node -e "console.log(crypto.randomUUID())"`.',
  check(document) {
    if ('id' in document.raw) return [];
    return [reportAt(this, document, [], "the document has no 'id'; give it a random UUID so other rules, tools and reports can refer to it")];
  },
};
