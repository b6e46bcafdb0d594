import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { SigmaDocumentKind } from '../../../model/rule.js';
import { readMapping, reportAt, suggestClosest, type DocumentLint } from '../../lint.js';

// Top-level fields of each kind of document (rules specification v2.1 "File Structure"; correlation and
// filters specifications v2.1 "Components").
const COMMON = ['title', 'id', 'name', 'related', 'taxonomy', 'status', 'description', 'license', 'author',
  'references', 'date', 'modified', 'falsepositives', 'level', 'tags', 'scope'];
const FIELDS: Record<SigmaDocumentKind, readonly string[]> = {
  detection: [...COMMON, 'logsource', 'detection', 'fields'],
  correlation: [...COMMON, 'correlation', 'fields', 'generate'],
  filter: [...COMMON, 'logsource', 'filter'],
};
const LOGSOURCE_FIELDS = ['category', 'product', 'service', 'definition'];

function checkKeys(
  keys: readonly string[],
  known: readonly string[],
  report: (key: string, suggestion: string) => Diagnostic,
): Diagnostic[] {
  const knownSet = new Set(known);
  return keys.flatMap((key) => {
    if (knownSet.has(key)) return [];
    const suggestion = suggestClosest(key, known);
    return suggestion ? [report(key, suggestion)] : [];
  });
}

/**
 * `rule/misspelled-field` (warning): a top-level or logsource key that is not a Sigma field but is within a
 * typo (or a letter case) of one, such as `tag`, `Level` or `falsepositive`. The specification allows custom
 * fields, so such a key is silently ignored by every tool: the tags, level or false positives are lost.
 */
export const misspelledFieldLint: DocumentLint = {
  scope: 'document',
  code: 'rule/misspelled-field',
  severity: 'warning',
  summary: 'A key looks like a misspelled Sigma field.',
  help: 'Sigma keys are lower case and spelled as in the specification (tags, references, falsepositives, logsource...). Custom fields are allowed, but one that differs from a standard field by a typo is almost always a mistake.',
  check(document) {
    const topLevel = checkKeys(Object.keys(document.raw), FIELDS[document.kind], (key, suggestion) =>
      reportAt(this, document, [key], `'${key}' is not a Sigma field and is ignored; did you mean '${suggestion}'?`, 'key'),
    );
    const logsource = readMapping(document.raw.logsource);
    const inLogsource = logsource
      ? checkKeys(Object.keys(logsource), LOGSOURCE_FIELDS, (key, suggestion) =>
          reportAt(this, document, ['logsource', key], `'logsource.${key}' is not a log source field and is ignored; did you mean '${suggestion}'?`, 'key'),
        )
      : [];
    return [...topLevel, ...inLogsource];
  },
};
