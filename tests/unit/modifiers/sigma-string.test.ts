import { describe, expect, it } from 'vitest';
import { expandAlternatives, parseSigmaString } from '../../../src/modifiers/sigma-string.js';
import { matches, selection } from '../compile/rule-fixture.js';

describe('parseSigmaString (spec "Escape Character")', () => {
  it.each([
    ['a*b?c', [{ kind: 'text', text: 'a' }, { kind: 'any' }, { kind: 'text', text: 'b' }, { kind: 'one' }, { kind: 'text', text: 'c' }]],
    ['\\*', [{ kind: 'text', text: '*' }]],
    ['\\?', [{ kind: 'text', text: '?' }]],
    ['C:\\Windows', [{ kind: 'text', text: 'C:\\Windows' }]],
    ['C:\\\\Windows', [{ kind: 'text', text: 'C:\\Windows' }]],
    ['\\\\*', [{ kind: 'text', text: '\\' }, { kind: 'any' }]],
    ['\\\\\\*', [{ kind: 'text', text: '\\*' }]],
    ['\\\\\\\\', [{ kind: 'text', text: '\\\\' }]],
    ['end\\', [{ kind: 'text', text: 'end\\' }]],
    ['', []],
  ])('%s', (text, parts) => {
    expect(parseSigmaString(text).parts).toEqual(parts);
  });

  it('escaped wildcards match only themselves', () => {
    const rule = selection('Name', "'what\\?'");
    expect(matches(rule, { Name: 'what?' })).toBe(true);
    expect(matches(rule, { Name: 'whatx' })).toBe(false);
  });

  it('? matches exactly one character', () => {
    const rule = selection('Name', "'prog?.exe'");
    expect(matches(rule, { Name: 'progA.exe' })).toBe(true);
    expect(matches(rule, { Name: 'prog.exe' })).toBe(false);
    expect(matches(rule, { Name: 'progAB.exe' })).toBe(false);
  });

  it('expands alternatives up to a limit', () => {
    const value = { ...parseSigmaString('x'), parts: [{ kind: 'alternatives' as const, options: ['a', 'b'] }, { kind: 'alternatives' as const, options: ['c', 'd'] }] };
    expect(expandAlternatives(value, 10)?.map((v) => v.parts)).toEqual([
      [{ kind: 'text', text: 'ac' }],
      [{ kind: 'text', text: 'ad' }],
      [{ kind: 'text', text: 'bc' }],
      [{ kind: 'text', text: 'bd' }],
    ]);
    expect(expandAlternatives(value, 3)).toBeUndefined();
  });
});
