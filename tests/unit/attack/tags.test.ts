import { describe, expect, it } from 'vitest';
import { classifyAttackTag, readAttackTags, readTags } from '../../../src/attack/tags.js';

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

describe('readAttackTags', () => {
  it('reads techniques and tactics, skipping groups, software and other namespaces', () => {
    expect(
      readAttackTags(['attack.T1505.003', 'attack.t1190', 'attack.privilege_escalation', 'attack.initial-access', 'attack.g0016', 'attack.s0002', 'cve.2021-44228', 'detection.threat-hunting', 'attack.t1190']),
    ).toEqual({ techniques: ['T1505.003', 'T1190'], tactics: ['privilege-escalation', 'initial-access'] });
  });

  it('ignores malformed technique ids', () => {
    expect(readAttackTags(['attack.t150', 'attack.t1505.03', 'attack.t1505.003.1'])).toEqual({ techniques: [], tactics: [] });
  });

  it('names no tactic for data sources, mitigations, assets or words that are not hyphen- or underscore-joined', () => {
    expect(readAttackTags(['attack.ds0009', 'attack.m1038', 'attack.a0001', 'attack.foo--bar', 'attack.foo_-bar', 'attack.Command_And_Control'])).toEqual({
      techniques: [],
      tactics: ['command-and-control'],
    });
  });
});
