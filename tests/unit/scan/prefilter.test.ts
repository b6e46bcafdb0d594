import { describe, expect, it } from 'vitest';
import { createLinePrefilter, createRuleSelector, escapeJsonNeedle, foldEventValues, looksLikeObject, spellNeedle } from '../../../src/scan/prefilter.js';
import { foldsToAscii, NeedleAutomaton } from '../../../src/scan/needle-automaton.js';
import { compileValid, createEvent } from '../compile/rule-fixture.js';
import { foldCase } from '../../../src/compile/case-fold.js';

describe('line prefilter helpers', () => {
  it('escapes needles as JSON writes them', () => {
    expect(escapeJsonNeedle('\\cmd.exe')).toBe('\\\\cmd.exe');
    expect(escapeJsonNeedle('say "hi"')).toBe('say \\"hi\\"');
  });

  it('treats \\u and \\/ escapes as hiding, not escaped backslashes followed by u or /', () => {
    const automaton = new NeedleAutomaton(['zzz']);
    expect(automaton.testJson(String.raw`{"a":"\u0041"}`)).toBe(true);
    expect(automaton.testJson(String.raw`{"a":"x\/y"}`)).toBe(true);
    expect(automaton.testJson(String.raw`{"a":"C:\\Users"}`)).toBe(false);
    expect(automaton.testJson(String.raw`{"a":"C:\\\u0055sers"}`)).toBe(true);
    expect(automaton.testJson(String.raw`{"a":"C:\\\\users"}`)).toBe(false);
    expect(automaton.testJson(String.raw`{"a":"x\\"}`)).toBe(false);
    expect(automaton.testJson('{"a":"ZZZ"}')).toBe(true);
  });

  it('also searches a needle as XML text inside a JSON string writes it (Log Analytics EventData)', () => {
    expect(spellNeedle('cmd.exe')).toEqual(['cmd.exe']);
    expect(spellNeedle(' > c:\\temp')).toEqual([' > c:\\\\temp', ' &gt; c:\\\\temp', ' &#62; c:\\\\temp', ' &#x3e; c:\\\\temp']);
    const rule = compileValid("selection:\n  CommandLine|contains: ' > C:\\temp'\ncondition: selection");
    const test = createLinePrefilter([rule]);
    const row = (text: string): string => JSON.stringify({ EventData: `<EventData><Data Name="CommandLine">${text}</Data></EventData>` });
    for (const written of ['cmd /c dir &gt; C:\\temp\\o', 'cmd /c dir &#62; C:\\temp\\o', 'cmd /c dir &#x3E; C:\\temp\\o', 'cmd /c dir > C:\\temp\\o']) {
      expect(test?.(row(written))).toBe(true);
    }
    expect(test?.(row('cmd /c dir C:\\temp'))).toBe(false);
    // Inner JSON text (an exported dynamic column) may write non-ASCII as \u escapes, escaped again outside.
    expect(spellNeedle('café')).toEqual(['café', 'caf\\\\u00e9']);
    const accented = createLinePrefilter([compileValid("selection:\n  Description|contains: 'café'\ncondition: selection")]);
    expect(accented?.(JSON.stringify({ EventData: JSON.stringify({ Description: 'Le café' }).replace('é', '\\u00e9') }))).toBe(true);
    expect(accented?.(JSON.stringify({ EventData: JSON.stringify({ Description: 'Le thé' }) }))).toBe(false);
  });

  it('tells object-shaped lines from the rest', () => {
    expect(looksLikeObject(' {"a":1} ')).toBe(true);
    expect(looksLikeObject('{"a":1')).toBe(false);
    expect(looksLikeObject('[1]')).toBe(false);
    expect(looksLikeObject('{')).toBe(false);
  });

});

describe('foldsToAscii', () => {
  it('lists every non-ASCII code point whose case fold contains ASCII, and no other', () => {
    const missing: string[] = [];
    let listed = 0;
    for (let codePoint = 0x80; codePoint <= 0x10ffff; codePoint += 1) {
      if (codePoint >= 0xd800 && codePoint <= 0xdfff) continue;
      const char = String.fromCodePoint(codePoint);
      const expected = /[\u0000-\u007f]/.test(foldCase(char));
      // Astral code points are two UTF-16 units; the scanners see them unit by unit.
      const listedHere = char.length === 1 && foldsToAscii(codePoint);
      if (listedHere) listed += 1;
      if (expected !== listedHere) missing.push(codePoint.toString(16));
    }
    expect(missing).toEqual([]);
    expect(listed).toBe(19);
  });
});

describe('createLinePrefilter', () => {
  const rule = compileValid("sel:\n  Image|endswith: '\\cmd.exe'\ncondition: sel");

  it('skips a plain line without any needle and keeps one with a needle', () => {
    const prefilter = createLinePrefilter([rule]);
    expect(prefilter?.(JSON.stringify({ Image: 'C:\\Windows\\notepad.exe' }))).toBe(false);
    expect(prefilter?.(JSON.stringify({ Image: 'C:\\Windows\\CMD.exe' }))).toBe(true);
  });

  it('never skips lines whose raw text could hide a needle', () => {
    const prefilter = createLinePrefilter([rule]);
    expect(prefilter?.(String.raw`{"Image":"C:\u005ccmd.exe"}`)).toBe(true);
    expect(prefilter?.('{"Image":"C:\\\\\u017fc.exe"}')).toBe(true);
    expect(prefilter?.('{"Image":"C:\\\\notepad.exe","Product":"Microsoft\u00ae Windows\u00ae"}')).toBe(false);
    expect(prefilter?.('{"Image":"C:\\\\notepad.exe"')).toBe(true);
  });

  it('cannot skip anything when a rule has no needles', () => {
    const negated = compileValid("sel:\n  Image|endswith: '\\cmd.exe'\ncondition: not sel");
    expect(createLinePrefilter([rule, negated])).toBeUndefined();
  });

  it('skips every line when there are no rules', () => {
    expect(createLinePrefilter([])?.('{"a":1}')).toBe(false);
  });
});

describe('createRuleSelector', () => {
  const rules = Array.from({ length: 10 }, (_, i) => compileValid(`sel:\n  Image|endswith: '\\tool${i}.exe'\ncondition: sel`));
  const always = compileValid("sel:\n  Count|gt: 3\ncondition: sel");

  it('picks the rules whose needles occur in the event values, in rule order, plus needle-less rules', () => {
    const select = createRuleSelector([...rules, always]);
    const chosen = select(createEvent({ Image: 'C:\\TOOL7.exe', Parent: 'c:\\tool2.exe' }));
    expect(chosen).toEqual([rules[2], rules[7], always]);
    expect(select(createEvent({ Image: 'C:\\other.exe' }))).toEqual([always]);
  });

  it('returns every rule when there are few', () => {
    expect(createRuleSelector(rules.slice(0, 3))(createEvent({}))).toHaveLength(3);
  });

  it('folds nested values into one searchable text', () => {
    expect(foldEventValues(createEvent({ A: 'X', B: [1, { C: 'Straße' }], D: null }))).toBe('x\n1\nstrasse');
  });
});
