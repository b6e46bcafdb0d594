import { describe, expect, it } from 'vitest';
import { loadAttackCatalog, parseAttackCatalog } from '../../../src/validate/attack-catalog.js';
import { classifyAttackTag, readTags } from '../../../src/validate/attack-tags.js';

describe('the ATT&CK catalog', () => {
  const attack = loadAttackCatalog();

  it('is the project copy of ATT&CK Enterprise v18.1, read once', () => {
    expect(attack.version).toBe('18.1');
    expect(attack.source).toMatch(/^MITRE ATT&CK Enterprise v18\.1/);
    expect(loadAttackCatalog()).toBe(attack);
    expect(attack.tactics.map((t) => t.shortname)).toContain('command-and-control');
  });

  it('looks ids up in any case', () => {
    expect(attack.technique('t1505.003')).toMatchObject({ id: 'T1505.003', tactics: ['persistence'], deprecated: false });
    expect(attack.technique('T1002')?.deprecated).toBe(true);
    expect(attack.group('g0016')?.name).toBe('APT29');
    expect(attack.software('S0002')?.name).toBe('Mimikatz');
    expect(attack.tactic('privilege-escalation')?.id).toBe('TA0004');
    expect(attack.tactic('privilege_escalation')).toBeUndefined();
    expect(attack.technique('T9999')).toBeUndefined();
  });

  it('refuses data of another shape', () => {
    expect(() => parseAttackCatalog([])).toThrow('expected an object');
    expect(() => parseAttackCatalog({ tactics: [], techniques: {}, groups: [], software: [] })).toThrow("'techniques' must be a list");
    expect(() => parseAttackCatalog({ tactics: [{}], techniques: [], groups: [], software: [] })).toThrow('tactics[0] has no id');
  });
});

describe('classifyAttackTag', () => {
  it.each([
    ['attack.t1059', { kind: 'technique', id: 'T1059' }],
    ['attack.t1059.001', { kind: 'technique', id: 'T1059.001' }],
    ['attack.g0016', { kind: 'group', id: 'G0016' }],
    ['attack.s0154', { kind: 'software', id: 'S0154' }],
    ['attack.ds0009', { kind: 'other-object', id: 'DS0009' }],
    ['attack.m1038', { kind: 'other-object', id: 'M1038' }],
    ['attack.a0001', { kind: 'other-object', id: 'A0001' }],
    ['attack.privilege_escalation', { kind: 'tactic', shortname: 'privilege-escalation', written: 'privilege_escalation' }],
    ['attack.t10591', { kind: 'tactic', shortname: 't10591', written: 't10591' }],
  ])('reads %s', (tag, expected) => {
    expect(classifyAttackTag(tag)).toEqual(expected);
  });

  it('ignores other namespaces', () => {
    expect(classifyAttackTag('cve.2021-44228')).toBeUndefined();
    expect(classifyAttackTag('attackers.t1059')).toBeUndefined();
  });

  it('reads the text tags of a document with their list positions', () => {
    expect(readTags({ tags: ['a.b', 5, 'c.d'] })).toEqual([{ tag: 'a.b', index: 0 }, { tag: 'c.d', index: 2 }]);
    expect(readTags({ tags: 'a.b' })).toEqual([]);
  });
});
