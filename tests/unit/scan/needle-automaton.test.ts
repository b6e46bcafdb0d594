import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_WINDOW, NeedleAutomaton, pickWindow } from '../../../src/scan/needle-automaton.js';

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

  it('reports what scanUnfolded cannot search raw, and agrees with the folded search otherwise', () => {
    const automaton = new NeedleAutomaton(['system', 'abc']);
    const hits: number[] = [];
    automaton.beginRound();
    expect(automaton.scanUnfolded('xABC \u017fystem', (needle) => hits.push(needle))).toBe(false);
    expect(hits).toEqual([1]);
    automaton.beginRound();
    expect(automaton.scanUnfolded('é system', () => undefined)).toBe(true);
    expect(automaton.scanUnfolded('é system', () => undefined, true)).toBe(false);
  });
});

describe('pickWindow', () => {
  it('keeps short needles, and takes from long ones the window with the most rare characters', () => {
    expect(pickWindow('\\cmd.exe')).toBe('\\cmd.exe');
    expect(pickWindow('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa')).toHaveLength(MAX_WINDOW);
    expect(pickWindow('powershell -nop -w hidden -c ${env:x}')).toBe('-c ${env:x}'.padStart(MAX_WINDOW, ' '));
    const needle = 'imphash=32f5095c9bbdcacf28fd4060eb4df';
    expect(needle).toContain(pickWindow(needle));
  });
});
