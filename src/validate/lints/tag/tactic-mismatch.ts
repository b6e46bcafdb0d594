import type { Diagnostic } from '../../../diagnostics/diagnostic.js';
import { classifyAttackTag, readTags } from '../../../attack/tags.js';
import { reportAt, type DocumentLint } from '../../lint.js';

/**
 * `tag/tactic-mismatch` (warning): tactic and technique tags that do not fit together, per the project's ATT&CK
 * copy. Two findings: a tactic tag that none of the rule's technique tags belongs to (checked only when the rule
 * has technique tags), and a technique tag none of whose tactics is tagged. Unknown ids are left to
 * `tag/unknown-attack-id`; underscore tactic names count as the tactic they spell. A rule with a technique
 * that a newer release moved out of a tactic it split (v19's defense-evasion, whose techniques went to
 * stealth, defense-impairment and others) is not judged: where the technique lives now is not in the data,
 * and a guess would warn on rules tagged the way ATT&CK has them today.
 */
export const tacticMismatchLint: DocumentLint = {
  scope: 'document',
  code: 'tag/tactic-mismatch',
  severity: 'warning',
  summary: 'ATT&CK tactic tags and technique tags do not match.',
  help: 'Tag each technique together with the tactic it serves in ATT&CK (attack.t1505.003 with attack.persistence), and drop tactic tags that none of the techniques belongs to.',
  check(document, { attack }) {
    const tactics: { tag: string; index: number; shortname: string }[] = [];
    const techniques: { tag: string; index: number; tactics: readonly string[] }[] = [];
    for (const { tag, index } of readTags(document.raw)) {
      const parsed = classifyAttackTag(tag);
      if (parsed?.kind === 'tactic' && attack.tactic(parsed.shortname)) tactics.push({ tag, index, shortname: parsed.shortname });
      if (parsed?.kind === 'technique') {
        const technique = attack.technique(parsed.id);
        if (technique?.movedIn !== undefined) return [];
        if (technique && technique.tactics.length > 0) techniques.push({ tag, index, tactics: technique.tactics });
      }
    }
    const diagnostics: Diagnostic[] = [];
    if (techniques.length > 0) {
      const served = new Set(techniques.flatMap((technique) => technique.tactics));
      for (const tactic of tactics) {
        if (served.has(tactic.shortname)) continue;
        diagnostics.push(reportAt(this, document, ['tags', tactic.index],
          `'${tactic.tag}': none of the rule's technique tags (${[...new Set(techniques.map((t) => t.tag))].join(', ')}) belongs to the tactic ${tactic.shortname}`));
      }
    }
    const tagged = new Set(tactics.map((tactic) => tactic.shortname));
    for (const technique of techniques) {
      if (technique.tactics.some((tactic) => tagged.has(tactic))) continue;
      const options = technique.tactics.map((tactic) => `attack.${tactic}`).join(' or ');
      diagnostics.push(reportAt(this, document, ['tags', technique.index],
        `'${technique.tag}' belongs to ${technique.tactics.join(', ')} in ATT&CK, but no such tactic is tagged; add ${options}`));
    }
    return diagnostics;
  },
};
