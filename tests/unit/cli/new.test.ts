import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { runTests } from '../../../src/harness/run-tests.js';
import { validateFileSet } from '../../../src/validate/validate-files.js';
import { RULE_TEMPLATES } from '../../../src/scaffold/templates.js';
import { createTempPack } from '../harness/temp-pack.js';
import { captureIo } from './capture-io.js';

async function dacNew(root: string, ...args: string[]) {
  const io = captureIo(root);
  const code = await main(['new', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

const createdFiles = (out: string): string[] => [...out.matchAll(/^created (.+)$/gm)].map((match) => match[1] as string);

describe('dac new', () => {
  it.each(RULE_TEMPLATES.map((template) => [template.name]))('%s: writes a rule that validates, its test folder, its scenario skeleton and its changeset; dac test fails it until it has golden events', async (name) => {
    const root = await createTempPack({ 'dac.config.yml': 'author: Jane Analyst\nproperties: { runs: 5, seed: 1 }\n' });
    const result = await dacNew(root, name, '--title', 'Something Worth Finding', '--tag', 'T1021.001');
    expect(result).toMatchObject({ code: 0, err: '' });
    const template = RULE_TEMPLATES.find((candidate) => candidate.name === name)!;
    const stem = `${template.prefix}something_worth_finding`;
    expect(createdFiles(result.out)).toEqual([
      `rules/${template.folder}/${stem}.yml`,
      `tests/rules/${stem}/rule-test.yml`,
      `tests/rules/${stem}/scenarios.yml`,
      `.changeset/${stem}.md`,
    ]);
    const rule = await readFile(join(root, 'rules', template.folder, `${stem}.yml`), 'utf8');
    const id = /^id: (.+)$/m.exec(rule)?.[1] ?? '';
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(rule).toContain(`date: ${new Date().toISOString().slice(0, 10)}`);
    expect(rule).toContain('author: Jane Analyst');
    expect(rule).toContain('tags:\n  - attack.lateral-movement\n  - attack.t1021.001\n');
    expect(rule).toContain('https://attack.mitre.org/techniques/T1021/001/');
    expect(await readFile(join(root, '.changeset', `${stem}.md`), 'utf8')).toBe(`---\n"test-pack": minor\n---\n\nadded: ${id} Something Worth Finding\n`);

    const validation = await validateFileSet(['rules'], { cwd: root });
    expect(validation.diagnostics.filter((d) => d.severity !== 'note')).toEqual([]);
    const { report } = await runTests({ repoRoot: root });
    const [rule0] = report.rules;
    expect(rule0?.passed).toBe(false);
    expect(rule0?.failures.map((f) => f.message)).toContainEqual(`tests/rules/${stem}/rule-test.yml lists no golden events yet: copy captures in with dac golden add, or write events in taxonomy fields (events/*.yml)`);
    expect(rule0?.checks.find((check) => check.name === 'version')?.passed).toBe(true);
    const scenarios = await readFile(join(root, 'tests/rules', stem, 'scenarios.yml'), 'utf8');
    expect(scenarios).toContain(`rule: ${id}\nactivity: ${template.activity}\n`);
  });

  it('checks tags against ATT&CK and refuses unknown ones, writing nothing', async () => {
    const root = await createTempPack({});
    const unknown = await dacNew(root, 'ps_script', '--title', 'X', '--tag', 'attack.t9999', '--tag', 'attack.lateral_movment');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/attack\.t9999: ATT&CK [\d.]+ has no technique T9999/);
    expect(unknown.err).toMatch(/attack\.lateral_movment: ATT&CK [\d.]+ has no tactic lateral-movment/);
    expect(existsSync(join(root, 'rules'))).toBe(false);
    const given = await dacNew(root, 'ps_script', '--title', 'Tagged', '--tag', 'attack.execution', '--tag', 't1059.001', '--tag', 'detection.threat-hunting');
    expect(given.code).toBe(0);
    // A tactic given keeps the technique's other tactics out; other namespaces pass through.
    expect(await readFile(join(root, 'rules/windows/powershell/powershell_script/posh_ps_tagged.yml'), 'utf8')).toContain('tags:\n  - attack.execution\n  - attack.t1059.001\n  - detection.threat-hunting\n');
  });

  it('never overwrites: a second dac new of the same name creates nothing and says which files exist', async () => {
    const root = await createTempPack({});
    expect((await dacNew(root, 'registry_set', '--title', 'Same Name')).code).toBe(0);
    const ruleFile = join(root, 'rules/windows/registry/registry_set/registry_set_same_name.yml');
    await writeFile(ruleFile, 'title: edited by hand\n');
    const again = await dacNew(root, 'registry_set', '--title', 'Same Name');
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/rules\/windows\/registry\/registry_set\/registry_set_same_name\.yml, tests\/rules\/registry_set_same_name\/rule-test\.yml, tests\/rules\/registry_set_same_name\/scenarios\.yml, \.changeset\/registry_set_same_name\.md already exist; nothing was created/);
    expect(await readFile(ruleFile, 'utf8')).toBe('title: edited by hand\n');
  });

  it.each([
    [[], /no category/],
    [['driver_load', '--title', 'X'], /no template 'driver_load'/],
    [['ps_script'], /no title/],
    [['ps_script', '--title', 'X', '--level', 'severe'], /--level takes informational, low, medium, high, critical, not 'severe'/],
    [['ps_script', '--title', 'X', '--name', 'Bad Name'], /--name takes lower-case letters/],
  ])('refuses %j as a usage error', async (args, message) => {
    const result = await dacNew(await createTempPack({}), ...args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
  });

  it('lists its templates and answers --help', async () => {
    const list = await dacNew(await createTempPack({}), '--list');
    expect(list.out.split('\n').filter(Boolean)).toHaveLength(RULE_TEMPLATES.length);
    expect(list.out).toContain('security_logon       logons in the Security log (events 4624, 4625) -> rules/windows/builtin/security/win_security_*.yml');
    expect((await dacNew(await createTempPack({}), '--help')).out).toMatch(/^usage: dac new \[options\] CATEGORY\n[\s\S]*security_logon[\s\S]*--title TEXT/);
  });
});
