import { describe, expect, it } from 'vitest';
import { compileValid } from './rule-fixture.js';
import type { Requirements } from '../../../src/compile/needles.js';
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

  it('requires nothing under not, for negated items, numbers and null; a regex requires its literals', () => {
    expect(needlesOf("a:\n  A: 'one'\ncondition: not a")).toBeUndefined();
    expect(needlesOf("a:\n  A|neq: 'one'\ncondition: a")).toBeUndefined();
    expect(needlesOf("a:\n  A|re: 'one'\ncondition: a")).toEqual(['one']);
    expect(needlesOf("a:\n  A|re: 'o?nee'\ncondition: a")).toEqual(['nee']);
    expect(needlesOf("a:\n  A|re: 'o?ne'\ncondition: a")).toBeUndefined();
    expect(needlesOf("a:\n  A|re: '[0-9]+'\ncondition: a")).toBeUndefined();
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

/** Requirements as readable strings: one `field:needle|field:needle` per clause ('*' for keywords), in order. */
const describe_ = (requirements: Requirements): string[] =>
  requirements.map((clause) => clause.map((atom) => `${atom.field ?? '*'}:${atom.needle}`).join('|'));
const requirementsOf = (detection: string, options?: Parameters<typeof compileValid>[1]): string[] => describe_(compileValid(detection, options).requirements);

describe('requirements', () => {
  it('keeps every clause of an AND, field by field', () => {
    expect(requirementsOf("sel:\n  Image|endswith: '\\vssadmin.exe'\n  CommandLine|contains|all: ['delete', 'shadows']\ncondition: sel")).toEqual([
      'Image:\\vssadmin.exe',
      'CommandLine:shadows',
      'CommandLine:delete',
    ]);
  });

  it('distributes an OR over the clauses of its branches', () => {
    expect(requirementsOf("a:\n  A: 'alpha'\n  B: 'bravo!'\nb:\n  C: 'charlie'\ncondition: a or b").sort()).toEqual(['A:alpha|C:charlie', 'B:bravo!|C:charlie']);
    expect(requirementsOf("a:\n  A: 'alpha'\nb:\n  C|re: '.*'\ncondition: a or b")).toEqual([]);
  });

  it('looks in values as the rule sees them: numbers, non-ASCII text and fields a mapping computes count', () => {
    const binding = compileSourceBinding(
      { id: 's', title: 's', channel: 'Security', eventIds: [4688], fields: { User: { join: ['SubjectDomainName', 'SubjectUserName'], separator: '\\' } } },
      { category: 'process_creation', product: 'windows' },
      'mapping.yml',
    );
    expect(requirementsOf("sel:\n  User: 'CORP\\admin'\ncondition: sel", { bindings: [binding] })).toEqual(['User:corp\\admin']);
    expect(requirementsOf("sel:\n  A|contains: '4688'\ncondition: sel")).toEqual(['A:4688']);
    expect(requirementsOf("sel:\n  CommandLine|contains: ['😀', 'Straße']\ncondition: sel")).toEqual(['CommandLine:strasse|CommandLine:😀']);
  });

  it('leaves out clauses with a needle most values hold, and keeps the most selective few', () => {
    expect(requirementsOf("sel:\n  A|contains: 'a'\n  B|contains: '`'\ncondition: sel")).toEqual(['B:`']);
    const many = Array.from({ length: 9 }, (_, index) => `  F${index}: 'value${index}x'`).join('\n');
    expect(requirementsOf(`sel:\n${many}\ncondition: sel`)).toHaveLength(4);
  });
});
