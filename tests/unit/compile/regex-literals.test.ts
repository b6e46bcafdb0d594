import { describe, expect, it } from 'vitest';
import { extractRegexLiterals } from '../../../src/compile/regex-literals.js';

describe('extractRegexLiterals', () => {
  it('requires the runs of plain characters of a concatenation, lower-cased', () => {
    expect(extractRegexLiterals('ipconfig\\s+/ALL')).toEqual([['ipconfig'], ['/all']]);
    expect(extractRegexLiterals('(?i)\\.exe[\\"\']?\\s+[^\\"]{0,64}werfaults')).toEqual([['.exe'], ['werfaults']]);
    expect(extractRegexLiterals('^C:\\\\Users\\\\[^\\\\]+\\\\NTUSER\\.DAT$')).toEqual([['c:\\users\\'], ['\\ntuser.dat']]);
  });

  it('needs one branch of an alternation, and nothing from what is optional', () => {
    expect(extractRegexLiterals('(abc|abd)e')).toEqual([['abc', 'abd'], ['e']]);
    expect(extractRegexLiterals('abc|x*')).toEqual([]);
    expect(extractRegexLiterals('ab?c')).toEqual([['a'], ['c']]);
    expect(extractRegexLiterals('(?:xy){0,3}z')).toEqual([['z']]);
    expect(extractRegexLiterals('(?:xy)+z')).toEqual([['xy'], ['z']]);
    expect(extractRegexLiterals('a{2}b')).toEqual([['a'], ['b']]);
  });

  it('reads named groups, flag groups, classes and escaped punctuation', () => {
    expect(extractRegexLiterals('(?P<name>foo)(?i:bar)(?s)[a-z\\]]baz')).toEqual([['foo'], ['bar'], ['baz']]);
    expect(extractRegexLiterals('[[:alpha:]]\\$\\{env')).toEqual([['${env']]);
  });

  it('requires nothing of what it does not fully understand', () => {
    expect(extractRegexLiterals('x{')).toEqual([]);
    expect(extractRegexLiterals('\\x41bc')).toEqual([]);
    expect(extractRegexLiterals('\\Qa.b\\E')).toEqual([]);
    expect(extractRegexLiterals('(unclosed')).toEqual([]);
    expect(extractRegexLiterals('a**')).toEqual([]);
    expect(extractRegexLiterals('\\n\\t')).toEqual([]);
    expect(extractRegexLiterals('é+')).toEqual([]);
  });
});
