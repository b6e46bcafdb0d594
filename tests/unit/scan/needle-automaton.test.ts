import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NeedleAutomaton } from '../../../src/scan/needle-automaton.js';

const found = (automaton: NeedleAutomaton, text: string): string[] => {
  const hits: string[] = [];
  automaton.scan(text, (needle) => hits.push(automaton.needles[needle] as string));
  return hits.sort();
};

describe('NeedleAutomaton', () => {
  it('finds every needle once, overlapping ones included', () => {
    const automaton = new NeedleAutomaton(['he', 'she', 'his', 'hers']);
    expect(found(automaton, 'ushers')).toEqual(['he', 'hers', 'she']);
    expect(found(automaton, 'hehehe')).toEqual(['he']);
    expect(found(automaton, 'xyz')).toEqual([]);
  });

  it('is case-insensitive for ASCII letters and ignores non-ASCII characters', () => {
    const automaton = new NeedleAutomaton(['\\cmd.exe']);
    expect(automaton.test('C:\\Windows\\CMD.EXE')).toBe(true);
    expect(automaton.test('C:\\Windows\\cmd.ex')).toBe(false);
    expect(automaton.test('\\cmdé.exe')).toBe(false);
  });

  it('refuses empty and non-ASCII needles (programmer errors)', () => {
    expect(() => new NeedleAutomaton([''])).toThrow();
    expect(() => new NeedleAutomaton(['é'])).toThrow();
  });

  it('agrees with naive substring search', () => {
    const alphabet = fc.constantFrom('a', 'b', 'c', '\\', '.');
    const needle = fc.string({ unit: alphabet, minLength: 1, maxLength: 4 });
    const haystack = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'A', 'B', '\\', '.', 'é'), maxLength: 30 });
    fc.assert(
      fc.property(fc.uniqueArray(needle, { minLength: 1, maxLength: 8 }), haystack, (needles, text) => {
        const automaton = new NeedleAutomaton(needles);
        const lowered = text.toLowerCase();
        expect(found(automaton, text)).toEqual(needles.filter((n) => lowered.includes(n)).sort());
        expect(automaton.test(text)).toBe(needles.some((n) => lowered.includes(n)));
      }),
    );
  });
});
