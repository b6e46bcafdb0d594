import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ATTACK_DATA_PATH, parseAttackCatalog } from '../../../src/attack/catalog.js';
import { buildAttackMatrix, compareTechniqueIds, loadAttackData } from '../../../src/report/attack.js';
import { chineseRule, failingRule, hostileRule, passingRule, smallAttack } from './fixtures.js';

describe('compareTechniqueIds', () => {
  it('orders numerically, parents before their sub-techniques', () => {
    expect(['T1505.003', 'T1059', 'T1505', 'T1059.001', 'T1190', 'T1505.010'].sort(compareTechniqueIds)).toEqual([
      'T1059',
      'T1059.001',
      'T1190',
      'T1505',
      'T1505.003',
      'T1505.010',
    ]);
  });
});

describe('buildAttackMatrix', () => {
  const matrix = buildAttackMatrix([passingRule, failingRule, chineseRule, hostileRule], smallAttack);
  const column = (shortname: string) => matrix.columns.find((c) => c.shortname === shortname);

  it('lays tactics out in kill-chain order, not in id order, with a newer tactic last', () => {
    expect(matrix.columns.map((c) => c.shortname)).toEqual([
      'reconnaissance',
      'initial-access',
      'execution',
      'persistence',
      'privilege-escalation',
      'defense-evasion',
      'stealth',
    ]);
    expect(column('stealth')?.name).toBe('Stealth');
    expect(column('initial-access')?.name).toBe('Initial Access');
  });

  it('counts the rules covering each technique and names sub-techniques with their parent', () => {
    const webShell = column('persistence')?.cells.find((c) => c.techniqueId === 'T1505.003');
    expect(webShell?.name).toBe('Server Software Component: Web Shell');
    expect(webShell?.rules.map((r) => r.title)).toEqual([passingRule.title, failingRule.title, chineseRule.title]);
    expect(webShell?.rules.map((r) => r.passed)).toEqual([true, false, true]);
    expect(matrix.maxRules).toBe(3);
    expect(column('execution')?.cells.map((c) => [c.techniqueId, c.name, c.rules.length])).toEqual([['T1059.001', 'Command and Scripting Interpreter: PowerShell', 1]]);
  });

  it('puts a technique under the tactics its rule tags, when the rule tags any of its tactics', () => {
    // hostileRule tags T1078 with initial-access only: it does not appear under persistence etc.
    expect(column('initial-access')?.cells.filter((c) => !c.unknown).map((c) => c.techniqueId)).toEqual(['T1078', 'T1190']);
    expect(column('persistence')?.cells.map((c) => c.techniqueId)).toEqual(['T1505.003']);
    expect(column('defense-evasion')?.cells).toEqual([]);
    // Without a tactic tag the technique shows under all its tactics.
    const untagged = buildAttackMatrix([{ ...hostileRule, tags: ['attack.t1078'] }], smallAttack);
    expect(untagged.columns.filter((c) => c.cells.length > 0).map((c) => c.shortname)).toEqual([
      'initial-access',
      'persistence',
      'privilege-escalation',
      'defense-evasion',
    ]);
  });

  it('places unknown ids under the rule’s tactic tags, marked unknown', () => {
    const stealth = column('stealth')?.cells;
    expect(stealth?.map((c) => [c.techniqueId, c.unknown, c.name])).toEqual([
      ['T1685', true, undefined],
      ['T9999', true, undefined],
    ]);
    // The data cannot say which of the rule's tactics an unknown id serves, so it goes under each.
    expect(column('initial-access')?.cells.filter((c) => c.unknown).map((c) => c.techniqueId)).toEqual(['T1685', 'T9999']);
  });

  it('lists techniques it cannot place anywhere', () => {
    const m = buildAttackMatrix([{ ...hostileRule, tags: ['attack.t9999'] }], smallAttack);
    expect(m.unplaced.map((c) => c.techniqueId)).toEqual(['T9999']);
    expect(m.columns.every((c) => c.cells.length === 0)).toBe(true);
  });

  it('uses the parent technique’s tactics for an unknown sub-technique', () => {
    const m = buildAttackMatrix([{ ...hostileRule, tags: ['attack.t1505.009'] }], smallAttack);
    const cell = m.columns.find((c) => c.shortname === 'persistence')?.cells[0];
    expect([cell?.techniqueId, cell?.unknown]).toEqual(['T1505.009', true]);
  });

  it('counts a rule once per cell even when it repeats a tag', () => {
    const m = buildAttackMatrix([{ ...passingRule, tags: ['attack.t1190', 'attack.T1190'] }], smallAttack);
    expect(m.columns.find((c) => c.shortname === 'initial-access')?.cells[0]?.rules).toHaveLength(1);
  });

  it('works without ATT&CK data: all kill-chain tactics, ids without names', () => {
    const m = buildAttackMatrix([passingRule], undefined);
    expect(m.columns).toHaveLength(14);
    expect(m.columns[0]?.shortname).toBe('reconnaissance');
    expect(m.columns[13]?.shortname).toBe('impact');
    expect(m.columns.find((c) => c.shortname === 'command-and-control')?.name).toBe('Command and Control');
    const persistence = m.columns.find((c) => c.shortname === 'persistence');
    // Every id is unknown without data, so each goes under each tactic the rule tags.
    expect(persistence?.cells.map((c) => [c.techniqueId, c.name, c.unknown])).toEqual([
      ['T1190', undefined, true],
      ['T1505.003', undefined, true],
    ]);
    expect(m.attackVersion).toBeUndefined();
  });
});

describe('loadAttackData', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dac-attack-'));

  it('shows no column for a deprecated tactic', () => {
    const data = parseAttackCatalog({
      attack_version: '18.1',
      tactics: [{ id: 'TA0001', shortname: 'initial-access', name: 'Initial Access' }, { id: 'TA9', shortname: 'old', name: 'Old', deprecated: true }],
      techniques: [{ id: 't1190', name: 'Exploit', tactics: ['initial-access'] }],
      groups: [],
      software: [],
    });
    const m = buildAttackMatrix([{ ...passingRule, tags: ['attack.t1190'] }], data);
    expect(m.columns.map((c) => c.shortname)).not.toContain('old');
    expect(m.columns.find((c) => c.shortname === 'initial-access')?.cells.map((c) => [c.techniqueId, c.name])).toEqual([['T1190', 'Exploit']]);
  });

  it('turns a missing, non-JSON or mis-shaped file into a warning', async () => {
    const missing = await loadAttackData(join(dir, 'nope.json'), 'data/attack/nope.json');
    expect(missing.data).toBeUndefined();
    expect(missing.diagnostics).toMatchObject([{ code: 'report/attack-data', severity: 'warning', file: 'data/attack/nope.json', line: 1 }]);
    expect(missing.diagnostics[0]?.message).toContain('ENOENT');

    writeFileSync(join(dir, 'bad.json'), '{ "tactics": [', 'utf8');
    const bad = await loadAttackData(join(dir, 'bad.json'));
    expect(bad.diagnostics[0]?.message).toMatch(/^ATT&CK data is not JSON/);

    writeFileSync(join(dir, 'shape.json'), '{"tactics": {}}', 'utf8');
    const shape = await loadAttackData(join(dir, 'shape.json'));
    expect(shape.data).toBeUndefined();
    expect(shape.diagnostics[0]?.message).toContain('expected shape');
    expect(shape.diagnostics[0]?.message).toContain("'tactics' must be a list");

    // A damaged entry or an absent group list does not cost the report the rest of the data.
    writeFileSync(join(dir, 'damaged.json'), '{"tactics": [7], "techniques": [null, {"id": "T1190", "name": "Exploit", "tactics": []}]}', 'utf8');
    const damaged = await loadAttackData(join(dir, 'damaged.json'));
    expect(damaged.diagnostics).toEqual([]);
    expect(damaged.data?.technique('T1190')?.name).toBe('Exploit');
  });

  it("reads the repository's own copy of ATT&CK Enterprise", async () => {
    const repoRoot = join(import.meta.dirname, '../../..');
    const { data, diagnostics } = await loadAttackData(join(repoRoot, ATTACK_DATA_PATH));
    expect(diagnostics).toEqual([]);
    expect(data?.version).toBe('18.1');
    expect(data?.tactics).toHaveLength(14);
    expect(data?.technique('T1505.003')).toMatchObject({ name: 'Web Shell', tactics: ['persistence'] });
    const matrix = buildAttackMatrix([passingRule], data);
    expect(matrix.columns.map((c) => c.shortname)).toEqual([
      'reconnaissance',
      'resource-development',
      'initial-access',
      'execution',
      'persistence',
      'privilege-escalation',
      'defense-evasion',
      'credential-access',
      'discovery',
      'lateral-movement',
      'collection',
      'command-and-control',
      'exfiltration',
      'impact',
    ]);
  });
});
