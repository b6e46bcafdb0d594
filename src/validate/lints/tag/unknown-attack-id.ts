import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { classifyAttackTag, readTags } from '../../../attack/tags.js';
import { reportAt, suggestClosest, type DocumentLint } from '../../lint.js';

/**
 * `tag/unknown-attack-id` (warning): an `attack.*` tag naming a technique, group, software or tactic that the
 * harness's ATT&CK data (data/attack: Enterprise v18.1, and v19's new tactics and techniques) does not know.
 * A warning, not an error: a release newer still may have added the id. Data source, mitigation and asset ids (`attack.ds…`, `attack.m…`,
 * `attack.a…`) are not in the copy and are not checked; old underscore tactic names are `tag/old-tactic-name`'s.
 */
export const unknownAttackIdLint: DocumentLint = {
  scope: 'document',
  code: 'tag/unknown-attack-id',
  severity: 'warning',
  summary: 'An ATT&CK tag names a technique, tactic, group or software that ATT&CK does not know.',
  help: 'Check the id on attack.mitre.org; techniques are written attack.t1234 or attack.t1234.001, tactics by their shortname (attack.defense-evasion), groups attack.g1234, software attack.s1234.',
  check(document, { attack }) {
    const release = attack.release;
    const diagnostics: Diagnostic[] = [];
    for (const { tag, index } of readTags(document.raw)) {
      const parsed = classifyAttackTag(tag);
      if (!parsed) continue;
      const at = ['tags', index];
      switch (parsed.kind) {
        case 'technique':
          if (!attack.technique(parsed.id)) diagnostics.push(reportAt(this, document, at, `'${tag}': ${parsed.id} is not a technique of ${release}`));
          break;
        case 'group':
          if (!attack.group(parsed.id)) diagnostics.push(reportAt(this, document, at, `'${tag}': ${parsed.id} is not a group of ${release}`));
          break;
        case 'software':
          if (!attack.software(parsed.id)) diagnostics.push(reportAt(this, document, at, `'${tag}': ${parsed.id} is not a software entry of ${release}`));
          break;
        case 'tactic': {
          if (attack.tactic(parsed.shortname)) break;
          const names = attack.tactics.map((tactic) => tactic.shortname);
          const suggestion = suggestClosest(parsed.shortname, names);
          const hint = suggestion ? `did you mean 'attack.${suggestion}'?` : `tactics are ${names.join(', ')}`;
          diagnostics.push(reportAt(this, document, at, `'${tag}' is not a tactic, technique, group or software of ${release}; ${hint}`));
          break;
        }
        case 'other-object':
          break;
      }
    }
    return diagnostics;
  },
};
