import { describe, expect, it } from 'vitest';
import { loadAttackCatalog, parseAttackCatalog } from '../../../src/attack/catalog.js';

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

  it('reads leniently for the reports: skips entries without an id, takes absent group and software lists as empty', () => {
    const catalog = parseAttackCatalog(
      {
        attack_version: '18.1',
        tactics: [{ id: 'TA0001', shortname: 'initial-access', name: 'Initial Access' }, 7, { shortname: 'no-id' }],
        techniques: [{ id: 't1190', name: 'Exploit', tactics: ['initial-access', 3] }, null],
      },
      { lenient: true },
    );
    expect(catalog.version).toBe('18.1');
    expect(catalog.tactics).toEqual([{ id: 'TA0001', shortname: 'initial-access', name: 'Initial Access', deprecated: false }]);
    expect(catalog.technique('T1190')).toEqual({ id: 'T1190', name: 'Exploit', tactics: ['initial-access'], deprecated: false });
    expect(catalog.group('G0016')).toBeUndefined();
    expect(() => parseAttackCatalog({ tactics: [] }, { lenient: true })).toThrow("'techniques' must be a list");
    expect(() => parseAttackCatalog([], { lenient: true })).toThrow('expected an object');
    expect(() => parseAttackCatalog({ tactics: [], techniques: [] })).toThrow("'groups' must be a list");
  });
});
