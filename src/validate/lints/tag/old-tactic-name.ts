import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { classifyAttackTag, readTags } from '../../../attack/tags.js';
import { reportAt, type DocumentLint } from '../../lint.js';

/**
 * `tag/old-tactic-name` (warning): an ATT&CK tactic written the Sigma v1 way, with underscores
 * (`attack.privilege_escalation`). Since Sigma v2 tactic tags use ATT&CK's shortnames with hyphens (tags
 * appendix v2.1, namespace `attack`: `attack.privilege-escalation`); tools matching tags exactly miss the old form.
 */
export const oldTacticNameLint: DocumentLint = {
  scope: 'document',
  code: 'tag/old-tactic-name',
  severity: 'warning',
  summary: 'An ATT&CK tactic tag uses the old underscore spelling.',
  help: 'Write tactic tags with hyphens, as ATT&CK shortnames are: attack.privilege-escalation, attack.defense-evasion, attack.command-and-control.',
  check(document, { attack }) {
    const diagnostics: Diagnostic[] = [];
    for (const { tag, index } of readTags(document.raw)) {
      const parsed = classifyAttackTag(tag);
      if (parsed?.kind !== 'tactic' || !parsed.written.includes('_') || !attack.tactic(parsed.shortname)) continue;
      diagnostics.push(reportAt(this, document, ['tags', index], `'${tag}' uses the old underscore spelling; write 'attack.${parsed.shortname}'`));
    }
    return diagnostics;
  },
};
