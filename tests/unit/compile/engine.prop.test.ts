import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileValid, createEvent, selection } from './rule-fixture.js';

// Small alphabets make matches likely, so the properties are exercised on both verdicts.
const word = fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'B', 'x', '.', '\\'), minLength: 1, maxLength: 4 });
const text = fc.string({ unit: fc.constantFrom('a', 'b', 'A', 'B', 'x', '.', '\\', ' '), maxLength: 10 });
const quote = (value: string): string => `'${value.replaceAll("'", "''")}'`;
// Rule text for a literal value: escape Sigma's wildcard and escape characters.
const literal = (value: string): string => quote(value.replace(/[\\*?]/g, (c) => `\\${c}`));

const twoSelections = (condition: string, a: string, b: string): string =>
  `sel_a:\n  F|contains: ${literal(a)}\nsel_b:\n  G|contains: ${literal(b)}\ncondition: ${condition}`;

/** True when two conditions over the same selections agree on an event. */
function agree(left: string, right: string, a: string, b: string, f: string, g: string): boolean {
  const event = createEvent({ F: f, G: g });
  return compileValid(twoSelections(left, a, b)).matches(event) === compileValid(twoSelections(right, a, b)).matches(event);
}

describe('engine algebra (properties)', () => {
  it('not not a ≡ a', () => {
    fc.assert(fc.property(word, word, text, text, (a, b, f, g) => agree('not not sel_a', 'sel_a', a, b, f, g)));
  });

  it('De Morgan: not (a or b) ≡ not a and not b; not (a and b) ≡ not a or not b', () => {
    fc.assert(
      fc.property(word, word, text, text, (a, b, f, g) =>
        agree('not (sel_a or sel_b)', 'not sel_a and not sel_b', a, b, f, g) &&
        agree('not (sel_a and sel_b)', 'not sel_a or not sel_b', a, b, f, g)),
    );
  });

  it('1 of ≡ or; all of ≡ and', () => {
    fc.assert(
      fc.property(word, word, text, text, (a, b, f, g) =>
        agree('1 of sel_*', 'sel_a or sel_b', a, b, f, g) && agree('all of sel_*', 'sel_a and sel_b', a, b, f, g)),
    );
  });

  it('case variants of a value match alike unless cased', () => {
    fc.assert(
      fc.property(word, fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), (value, flips) => {
        const variant = [...value].map((c, i) => (flips[i % 4] ? c.toUpperCase() : c.toLowerCase())).join('');
        const plain = compileValid(selection('F', literal(value)));
        const cased = compileValid(selection('F|cased', literal(value)));
        expect(plain.matches(createEvent({ F: variant }))).toBe(true);
        expect(cased.matches(createEvent({ F: variant }))).toBe(variant === value);
      }),
    );
  });

  it('endswith ⇒ contains, startswith ⇒ contains, equality ⇒ all three', () => {
    fc.assert(
      fc.property(word, text, (value, field) => {
        const event = createEvent({ F: field });
        const verdict = (modifier: string): boolean => compileValid(selection(`F${modifier}`, literal(value))).matches(event);
        const contains = verdict('|contains');
        if (verdict('|endswith')) expect(contains).toBe(true);
        if (verdict('|startswith')) expect(contains).toBe(true);
        if (verdict('')) expect(verdict('|startswith') && verdict('|endswith') && contains).toBe(true);
      }),
    );
  });

  it('a wildcard value matches exactly what a regex of it matches (linear matcher vs. reference)', () => {
    const pattern = fc.string({ unit: fc.constantFrom('a', 'b', '*', '?'), maxLength: 6 });
    const subject = fc.string({ unit: fc.constantFrom('a', 'b'), maxLength: 8 });
    fc.assert(
      fc.property(pattern, subject, (glob, field) => {
        const reference = new RegExp(`^${glob.replaceAll('*', '.*').replaceAll('?', '.')}$`, 's');
        expect(compileValid(selection('F', quote(glob))).matches(createEvent({ F: field }))).toBe(reference.test(field));
      }),
    );
  });

  it('windash: every dash variant of a flag matches', () => {
    const flag = fc.string({ unit: fc.constantFrom('a', 'e', 'n', 'c'), minLength: 1, maxLength: 6 });
    const dash = fc.constantFrom('-', '/', '\u2013', '\u2014', '\u2015');
    fc.assert(
      fc.property(flag, dash, dash, (name, written, used) => {
        const rule = compileValid(selection('CommandLine|windash|contains', quote(` ${written}${name} `)));
        expect(rule.matches(createEvent({ CommandLine: `tool.exe ${used}${name} value` }))).toBe(true);
      }),
    );
  });
});
