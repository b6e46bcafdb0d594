import { describe, expect, it } from 'vitest';
import { extendAttackCatalog, loadAttackCatalog, parseAttackCatalog } from '../../../src/attack/catalog.js';

describe('the ATT&CK catalog', () => {
  const attack = loadAttackCatalog();

  it('is the project copy of ATT&CK Enterprise v18.1, read once', () => {
    expect(attack.version).toBe('18.1');
    expect(attack.source).toMatch(/^MITRE ATT&CK Enterprise v18\.1/);
    expect(loadAttackCatalog()).toBe(attack);
    expect(attack.tactics.map((t) => t.shortname)).toContain('command-and-control');
  });

  it("knows what ATT&CK v19 added, with its source: the split of defense-evasion and the new techniques", () => {
    expect(attack.release).toBe('MITRE ATT&CK Enterprise v18.1 or v19');
    expect(attack.source).toContain('https://attack.mitre.org/resources/updates/updates-april-2026/');
    expect(attack.tactic('stealth')).toMatchObject({ id: 'TA0005', name: 'Stealth' });
    expect(attack.tactic('defense-impairment')).toMatchObject({ id: 'TA0112', name: 'Defense Impairment' });
    // v18.1's name of TA0005 stays known: rules tagged before v19 are not wrong.
    expect(attack.tactic('defense-evasion')?.id).toBe('TA0005');
    expect(attack.tactics.map((t) => t.shortname).filter((name) => name === 'stealth')).toHaveLength(1);
    expect(attack.technique('t1685')).toMatchObject({ id: 'T1685', name: 'Disable or Modify Tools', tactics: ['defense-impairment'] });
    expect(attack.technique('T1686.003')?.name).toBe('Windows Host Firewall');
    expect(attack.technique('T1690')?.name).toBe('Prevent Command History Logging');
    expect(attack.technique('T1027.018')?.tactics).toEqual(['stealth']);
    expect(attack.technique('T1691')).toBeUndefined();
  });

  it('marks techniques of a split tactic as moved, serving its successors too, and leaves the others alone', () => {
    expect(attack.technique('T1218')).toMatchObject({ tactics: ['defense-evasion', 'stealth', 'defense-impairment'], movedIn: '19' });
    expect(attack.technique('T1505.003')?.movedIn).toBeUndefined();
  });

  it('extends a catalog with a newer release without changing the base', () => {
    const base = parseAttackCatalog({
      attack_version: '1',
      tactics: [{ id: 'TA1', shortname: 'old', name: 'Old' }],
      techniques: [{ id: 'T1000', name: 'A', tactics: ['old'] }, { id: 'T1001', name: 'B', tactics: ['kept'] }],
      groups: [],
      software: [],
    });
    const extended = extendAttackCatalog(base, {
      source: 'newer',
      attack_version: '2',
      tactics: [{ id: 'TA2', shortname: 'new', name: 'New' }],
      tactic_successors: { old: ['new'] },
      techniques: [{ id: 'T2000', name: 'C', tactics: ['new'] }],
    });
    expect(extended.tactics.map((t) => t.shortname)).toEqual(['old', 'new']);
    expect(extended.technique('T1000')).toEqual({ id: 'T1000', name: 'A', tactics: ['old', 'new'], deprecated: false, movedIn: '2' });
    expect(extended.technique('T1001')).toEqual({ id: 'T1001', name: 'B', tactics: ['kept'], deprecated: false });
    expect(extended.technique('T2000')?.tactics).toEqual(['new']);
    expect(base.technique('T1000')?.tactics).toEqual(['old']);
    expect(extended.release).toBe('MITRE ATT&CK Enterprise v1 or v2');
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
