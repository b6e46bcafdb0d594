import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import type { AttackObject } from '../../../attack/catalog.js';
import { classifyAttackTag, readTags } from '../../../attack/tags.js';
import { reportAt, type DocumentLint } from '../../lint.js';

/**
 * `tag/deprecated-attack-id` (warning): an `attack.*` tag naming a technique, group or software that ATT&CK has
 * deprecated or revoked (per the project's ATT&CK copy). Navigator layers and coverage reports drop such ids, so
 * the rule silently disappears from ATT&CK coverage.
 */
export const deprecatedAttackIdLint: DocumentLint = {
  scope: 'document',
  code: 'tag/deprecated-attack-id',
  severity: 'warning',
  summary: 'An ATT&CK tag names a deprecated technique, group or software.',
  help: 'Look the id up on attack.mitre.org: deprecated techniques name the technique that replaces them; tag the rule with that one instead.',
  check(document, { attack }) {
    const diagnostics: Diagnostic[] = [];
    for (const { tag, index } of readTags(document.raw)) {
      const parsed = classifyAttackTag(tag);
      let entry: AttackObject | undefined;
      if (parsed?.kind === 'technique') entry = attack.technique(parsed.id);
      else if (parsed?.kind === 'group') entry = attack.group(parsed.id);
      else if (parsed?.kind === 'software') entry = attack.software(parsed.id);
      if (entry?.deprecated) {
        diagnostics.push(reportAt(this, document, ['tags', index], `'${tag}': ${entry.id} (${entry.name}) is deprecated in ${attack.release}`));
      }
    }
    return diagnostics;
  },
};
