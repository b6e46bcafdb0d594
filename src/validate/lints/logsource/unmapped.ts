import { describeLogSource, resolveLogSource } from '../../../mapping/resolve-log-source.js';
import { reportAt, type DocumentLint } from '../../lint.js';

/**
 * `logsource/unmapped` (warning): no mapping routes any event to the rule's log source, so the rule can
 * only ever see flat events (already in Sigma field names); on EVTX, Event XML or any log pipeline's
 * Windows events it never fires, however its detection is written. Runs when the caller gives the
 * mappings (`dac validate` and `dac test` do).
 */
export const unmappedLogSourceLint: DocumentLint = {
  scope: 'document',
  code: 'logsource/unmapped',
  severity: 'warning',
  summary: 'No log-source mapping routes any event to the rule.',
  help: 'Check the logsource for a typo, or add an entry for it under mappings/ (see mappings/README.md); until then the rule only sees flat events already written in Sigma field names.',
  check(document, context) {
    const { rule } = document;
    if (rule === undefined || context.mapping === undefined) return [];
    if (resolveLogSource(context.mapping, rule.logsource).length > 0) return [];
    return [
      reportAt(this, document, ['logsource'],
        `no mapping routes an event to logsource {${describeLogSource(rule.logsource)}}: the rule only sees flat events already in Sigma field names, never EVTX, Event XML or log pipeline records`),
    ];
  },
};
