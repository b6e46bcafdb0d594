import { describe, expect, it } from 'vitest';
import { compileValid } from './rule-fixture.js';
import { compileSourceBinding } from '../../../src/mapping/mapping.js';

const needlesOf = (detection: string): readonly string[] | undefined => compileValid(detection).needles;

describe('needles', () => {
  it('takes the longest literal of each OR-linked value, lowercased', () => {
    expect(needlesOf("sel:\n  Image|endswith: ['\\CMD.exe', '\\powershell.exe']\ncondition: sel")).toEqual(['\\cmd.exe', '\\powershell.exe']);
    expect(needlesOf("sel:\n  CommandLine: '*net*user*/add*'\ncondition: sel")).toEqual(['user']);
  });

  it('takes the most selective branch of an AND', () => {
    expect(needlesOf("sel:\n  A: 'ab'\n  B: ['longer-one', 'longer-two']\ncondition: sel")).toEqual(['longer-one', 'longer-two']);
    expect(needlesOf("a:\n  A: 'xyz'\nb:\n  B: 'longest'\ncondition: a and b")).toEqual(['longest']);
  });

  it('unites the branches of an OR, and gives up if one branch has none', () => {
    expect(needlesOf("a:\n  A: 'one'\nb:\n  B: 'two'\ncondition: a or b")).toEqual(['one', 'two']);
    expect(needlesOf("a:\n  A: 'one'\nb:\n  B: 5\ncondition: a or b")).toBeUndefined();
    expect(needlesOf("a:\n  A: 'one'\nb:\n  B: 'two'\ncondition: 1 of them")).toEqual(['one', 'two']);
    expect(needlesOf("a:\n  A: 'one'\nb:\n  B: 'three'\ncondition: all of them")).toEqual(['three']);
  });

  it('requires nothing under not, for negated items, regexes, numbers and null', () => {
    expect(needlesOf("a:\n  A: 'one'\ncondition: not a")).toBeUndefined();
    expect(needlesOf("a:\n  A|neq: 'one'\ncondition: a")).toBeUndefined();
    expect(needlesOf("a:\n  A|re: 'one'\ncondition: a")).toBeUndefined();
    expect(needlesOf("a:\n  A: null\ncondition: a")).toBeUndefined();
    expect(needlesOf("a:\n  A: 'one'\nf:\n  B: 'two'\ncondition: a and not f")).toEqual(['one']);
  });

  it('skips number-like and non-ASCII text, and encoded bytes', () => {
    expect(needlesOf("a:\n  A: '4688'\ncondition: a")).toBeUndefined();
    expect(needlesOf("a:\n  A: 'straße-x'\ncondition: a")).toEqual(['strasse-x']);
    expect(needlesOf("a:\n  A: 'ſystem'\ncondition: a")).toEqual(['system']);
    expect(needlesOf("a:\n  A|wide|contains: 'cmd'\ncondition: a")).toBeUndefined();
    expect(needlesOf("a:\n  A|base64offset|contains: 'http://'\ncondition: a")).toEqual(['aHR0cDovL', 'h0dHA6Ly', 'odHRwOi8v'].map((s) => s.toLowerCase()).sort());
  });

  it('takes no needles from fields a mapping converts or joins (their values are not in the raw text)', () => {
    const binding = compileSourceBinding(
      { id: 's', title: 's', channel: 'Security', eventIds: [4688], fields: { Image: 'NewProcessName', User: { join: ['SubjectDomainName', 'SubjectUserName'], separator: '\\' } } },
      { category: 'process_creation', product: 'windows' },
      'mapping.yml',
    );
    const options = { bindings: [binding] };
    expect(compileValid("sel:\n  User: 'CORP\\admin'\ncondition: sel", options).needles).toBeUndefined();
    expect(compileValid("kw: ['admin']\ncondition: kw", options).needles).toBeUndefined();
    expect(compileValid("sel:\n  Image|endswith: '\\cmd.exe'\ncondition: sel", options).needles).toEqual(['\\cmd.exe']);
  });

  it('uses keywords too', () => {
    expect(needlesOf("kw:\n  - 'Event::Clear'\ncondition: kw")).toEqual(['event::clear']);
  });
});
