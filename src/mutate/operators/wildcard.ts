import { parseSigmaString } from '../../modifiers/sigma-string.js';
import { describePath, listItems, showOriginal, splitKey } from '../detection-sites.js';
import type { MutationOperator, ProposedMutant, UnwritableMutant } from '../mutant.js';
import { holdsStringPatterns } from '../string-items.js';
import { replaceScalar } from '../yaml-edits.js';

/** Offsets of the unescaped `*` and `?` of a Sigma string (spec "Escape Character": `\` escapes `*`, `?` and itself). */
function findWildcards(text: string): number[] {
  const found: number[] = [];
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index];
    if (char === '\\' && (text[index + 1] === '*' || text[index + 1] === '?' || text[index + 1] === '\\')) index += 1;
    else if (char === '*' || char === '?') found.push(index);
  }
  return found;
}

/** Appends a `*` that stays a wildcard: a trailing lone backslash is written `\\` first, or it would escape the `*`. */
function appendAny(text: string): string {
  const plain = `${text}*`;
  return parseSigmaString(plain).parts.at(-1)?.kind === 'any' ? plain : `${text}\\*`;
}

/**
 * `wildcard`: drops a `*` or `?` written in a value, or adds a `*` at its start or end; for values
 * written with wildcards that is endswith turned into equality or contains, and back.
 */
export const wildcard = {
  id: 'wildcard',
  description: "drops a wildcard written in a value, or adds '*' at its start or end",
  propose({ rule, document }) {
    const proposals: (ProposedMutant | UnwritableMutant)[] = [];
    for (const { item } of listItems(rule)) {
      if (!holdsStringPatterns(item)) continue;
      const target = describePath(item.key.path);
      // A `*` the key's modifier already puts at that end changes nothing: not proposed.
      const { chain } = splitKey(item);
      const anyAtStart = chain.includes('endswith') || chain.includes('contains');
      const anyAtEnd = chain.includes('startswith') || chain.includes('contains');
      item.originals.forEach((original, index) => {
        const ref = item.valueRefs[index];
        if (ref === undefined) return;
        const parts = parseSigmaString(original).parts;
        const changed = findWildcards(original).map((at) => original.slice(0, at) + original.slice(at + 1));
        if (parts[0]?.kind !== 'any' && !anyAtStart) changed.push(`*${original}`);
        if (parts.at(-1)?.kind !== 'any' && !anyAtEnd) changed.push(appendAny(original));
        for (const text of changed) {
          const change = `${showOriginal(original)} -> ${showOriginal(text)}`;
          const result = replaceScalar(document, ref.path, text);
          proposals.push('edit' in result ? { target, change, edits: [result.edit] } : { target, change, reason: result.reason });
        }
      });
    }
    return proposals;
  },
} as const satisfies MutationOperator;
