import fc from 'fast-check';
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { foldCase } from '../../../src/compile/case-fold.js';
import { extractRegexLiterals } from '../../../src/compile/regex-literals.js';

// Characters that make literal extraction interesting: letters in both cases (and those RE2 folds to
// them under (?i): ſ, the Kelvin sign), punctuation that must be escaped, and a few others.
const letter = fc.constantFrom('a', 'b', 'k', 's', 'A', 'K', 'S', '-', '/', ' ', '1');
const escaped = fc.constantFrom('\\.', '\\$', '\\{', '\\}', '\\(', '\\\\', '\\+');
const atom: fc.Arbitrary<string> = fc.letrec<{ atom: string; pattern: string }>((tie) => ({
  atom: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    letter,
    escaped,
    fc.constantFrom('.', '\\s', '\\w', '\\d', '[a-k]', '[^s]', '\\b', '^', '$'),
    tie('pattern').map((pattern) => `(${pattern})`),
    tie('pattern').map((pattern) => `(?:${pattern})`),
  ),
  pattern: fc
    .array(fc.tuple(tie('atom'), fc.constantFrom('', '', '', '?', '*', '+', '{2}', '{0,2}', '{1,}')), { minLength: 1, maxLength: 5 })
    .chain((pieces) => fc.constantFrom(...[pieces.map(([a, q]) => `${a}${q}`).join('')]))
    .chain((concatenation) => fc.oneof(fc.constant(concatenation), fc.constant(`${concatenation}|k`), fc.constant(`(?i)${concatenation}`))),
})).pattern;
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'k', 's', 'A', 'K', 'S', 'ſ', '\u212a', '-', '/', ' ', '1', '.', '$', '{', '}', '(', '\\', '+', 'x'), maxLength: 16 });

describe('regex literals (property)', () => {
  let matched = 0;
  it('are a necessary condition: when RE2 finds the pattern in a text, every clause has a needle in the folded text', () => {
    fc.assert(
      fc.property(atom, text, text, fc.boolean(), (pattern, before, after, fromPattern) => {
        // Half the subjects are made of the pattern's own characters, so that it often matches.
        const subject = fromPattern ? `${before}${pattern.replace(/[\\()?*+{}[\]^$|:]/g, '')}${after}` : before;
        let program;
        try {
          program = RE2JS.compile(pattern);
        } catch {
          return;
        }
        if (!program.test(subject)) return;
        matched += 1;
        const folded = foldCase(subject);
        for (const clause of extractRegexLiterals(pattern)) {
          expect(clause.some((needle) => folded.includes(needle)), `${pattern} on ${JSON.stringify(subject)}: ${JSON.stringify(clause)}`).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
    // The property means something only if patterns with literals do match.
    expect(matched).toBeGreaterThan(300);
  });
});
