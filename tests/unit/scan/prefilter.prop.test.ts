import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createLinePrefilter } from '../../../src/scan/prefilter.js';
import { RuleIndex } from '../../../src/scan/rule-index.js';
import type { FieldValue } from '../../../src/compile/event-record.js';
import { compileValid, createEvent } from '../compile/rule-fixture.js';

// Characters that stress the prefilter: JSON escapes (\ " /), windash dashes, case pairs, and non-ASCII
// letters whose case fold is ASCII (ſ → s, ı → i, Kelvin sign → k) or longer (ß → ss).
const char = fc.constantFrom('a', 'b', 'S', 's', 'K', 'k', 'i', 'f', 'I', '\\', '"', '/', '-', ' ', '.', '1', 'ſ', 'ß', 'ı', '\u212a', 'é', '\u2013', '\t');
const word = fc.string({ unit: char, minLength: 1, maxLength: 5 });
const quote = (value: string): string => JSON.stringify(value.replace(/[\\*?]/g, (c) => `\\${c}`));

const modifierChain = fc.constantFrom('', '|contains', '|startswith', '|endswith', '|contains|cased', '|windash|contains', '|contains|all');
const condition = fc.constantFrom('sel', 'sel and not other', 'sel or other', '1 of them', 'all of them');

const ruleArbitrary = fc.record({ field: fc.constantFrom('A', 'B'), chain: modifierChain, values: fc.array(word, { minLength: 1, maxLength: 3 }), other: word, condition, keyword: fc.boolean() }).map((spec) => {
  const values = spec.chain === '|contains|all' && spec.values.length < 2 ? [...spec.values, 'a'] : spec.values;
  const selection = spec.keyword
    ? `sel:\n  - ${values.map(quote).join('\n  - ')}`
    : `sel:\n  ${spec.field}${spec.chain}: [${values.map(quote).join(', ')}]`;
  return compileValid(`${selection}\nother:\n  B|contains: ${quote(spec.other)}\ncondition: ${spec.condition}`);
});

/** Writes JSON the way other producers might: some characters as \\uXXXX, slashes as \\/. */
function writeLine(fields: Record<string, FieldValue>, escapeUnicode: boolean, escapeSlash: boolean): string {
  let line = JSON.stringify(fields);
  if (escapeUnicode) line = line.replace(/[^\u0000-\u007f]|S/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (escapeSlash) line = line.replaceAll('/', '\\/');
  return line;
}

// Forty rules with distinct needles push the needle count past the regex limit, onto the automaton.
const fillers = Array.from({ length: 40 }, (_, index) => compileValid(`sel:\n  Z|contains: 'filler${index}'\ncondition: sel`));

describe('prefilter soundness (property)', () => {
  it('never skips a line when a rule matches the event, and the rule index finds exactly the matching rules', () => {
    const fields = fc.record({ A: fc.string({ unit: char, maxLength: 12 }), B: fc.string({ unit: char, maxLength: 12 }) });
    fc.assert(
      fc.property(fc.array(ruleArbitrary, { minLength: 8, maxLength: 10 }), fields, fc.boolean(), fc.boolean(), (rules, values, escapeUnicode, escapeSlash) => {
        const line = writeLine(values, escapeUnicode, escapeSlash);
        const event = createEvent(JSON.parse(line) as Record<string, FieldValue>);
        const prefilters = [createLinePrefilter(rules), createLinePrefilter([...rules, ...fillers])];
        const expected = rules.flatMap((rule, index) => (rule.matches(event) ? [index] : []));
        if (expected.length > 0) for (const prefilter of prefilters) if (prefilter) expect(prefilter(line)).toBe(true);
        // The index finds exactly the rules that match, whichever optimisations it uses.
        expect(new RuleIndex(rules).matchEvent(event)).toEqual(expected);
        expect(new RuleIndex(rules, { select: false }).matchEvent(event)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('holds when event values are built from the rule values (so matches are frequent)', () => {
    // Ways to write a needle that still match it: another case, or characters that fold to it.
    const spellings = fc.constantFrom(
      (text: string) => text,
      (text: string) => text.toUpperCase(),
      (text: string) => text.replaceAll('s', '\u017f').replaceAll('k', '\u212a').replaceAll('i', '\u0131'),
      (text: string) => text.replaceAll('ss', '\u00df').replaceAll('fi', '\ufb01'),
    );
    fc.assert(
      fc.property(fc.array(ruleArbitrary, { minLength: 1, maxLength: 3 }), word, word, fc.boolean(), fc.boolean(), spellings, (rules, prefix, suffix, escapeUnicode, escapeSlash, spell) => {
        for (const rule of rules) {
          for (const needle of rule.needles ?? ['x']) {
            const body = spell(needle);
            const values = { A: `${prefix}${body}${suffix}`, B: body };
            const line = writeLine(values, escapeUnicode, escapeSlash);
            const event = createEvent(JSON.parse(line) as Record<string, FieldValue>);
            for (const candidate of rules) {
              if (!candidate.matches(event)) continue;
              expect(createLinePrefilter(rules)?.(line) ?? true).toBe(true);
              expect(createLinePrefilter([...rules, ...fillers])?.(line) ?? true).toBe(true);
            }
            const all = [...rules, ...fillers];
            expect(new RuleIndex(all).matchEvent(event)).toEqual(all.flatMap((rule, index) => (rule.matches(event) ? [index] : [])));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});
