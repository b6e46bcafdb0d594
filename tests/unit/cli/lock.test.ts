import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runLock } from '../../../src/cli/lock.js';
import { main } from '../../../src/cli/main.js';
import { changesetText, createTempRepo, RULE_ID, RULE_PATH, ruleText, type TempRepo } from '../version/helpers/temp-repo.js';

describe('dac lock', () => {
  let repo: TempRepo | undefined;
  afterEach(async () => repo?.dispose());

  it('writes rules.lock.json from the rules, and says when nothing changed', async () => {
    repo = await createTempRepo();
    await repo.write(RULE_PATH, ruleText());
    const io = repo.io();
    expect(await runLock([], io)).toBe(0);
    expect(io.out()).toBe('rules.lock.json: 1 rule(s) written\n');
    const lock = JSON.parse(await readFile(join(repo.root, 'rules.lock.json'), 'utf8'));
    expect(lock.rules[RULE_ID]).toMatchObject({ file: RULE_PATH, modified: '2026-01-10' });
    const again = repo.io();
    expect(await runLock([], again)).toBe(0);
    expect(again.out()).toBe('rules.lock.json: 1 rule(s) unchanged\n');
  });

  it('refuses to write a lock over rules that lack ids, repeat them or do not parse', async () => {
    repo = await createTempRepo();
    await repo.write('rules/a.yml', ruleText());
    await repo.write('rules/b.yml', ruleText());
    await repo.write('rules/c.yml', 'title: [broken\n');
    const io = repo.io();
    expect(await runLock([], io)).toBe(1);
    expect(io.err()).toContain(`rules/b.yml:2:1 error version/duplicate-id the id ${RULE_ID} is also used by rules/a.yml`);
    expect(io.err()).toContain('rules/c.yml:');
    expect(io.err()).toContain('not written');
    await expect(readFile(join(repo.root, 'rules.lock.json'))).rejects.toThrow();
  });

  it('--check passes bookkept changes and fails the rest with file:line and the fix', async () => {
    repo = await createTempRepo();
    await repo.write(RULE_PATH, ruleText());
    expect(await runLock([], repo.io())).toBe(0);
    const clean = repo.io();
    expect(await runLock(['--check'], clean)).toBe(0);
    expect(clean.out()).toBe('rules.lock.json: 1 rule(s) checked, version bookkeeping in order\n');

    await repo.write(RULE_PATH, ruleText({ images: ['*\\cmd.exe'] }));
    const failing = repo.io();
    expect(await runLock(['--check'], failing)).toBe(1);
    expect(failing.out()).toContain(`${RULE_PATH}:5:1 error version the detection logic changed since the release but \`modified\` is still 2026-01-10`);
    expect(failing.out()).toContain(`${RULE_PATH}:2:1 error version the detection logic changed since the release but no pending changeset names ${RULE_ID}`);
    expect(failing.out()).toContain(`    tuned: ${RULE_ID} Shell Spawned by a Web Server`);
    expect(failing.out()).toContain('rules.lock.json: 2 version problem(s) in 1 rule(s) checked');

    await repo.write(RULE_PATH, ruleText({ images: ['*\\cmd.exe'], modified: '2026-03-01' }));
    await repo.write('.changeset/tune.md', changesetText('patch', `tuned: ${RULE_ID} Shell Spawned by a Web Server`));
    expect(await runLock(['--check'], repo.io())).toBe(0);
  });

  it('--check --format json lists failures as data', async () => {
    repo = await createTempRepo();
    await repo.write(RULE_PATH, ruleText());
    const io = repo.io();
    expect(await runLock(['--check', '--format', 'json'], io)).toBe(1);
    const output = JSON.parse(io.out());
    expect(output).toMatchObject({ checked: 1, diagnostics: [], failures: [{ check: 'version', file: RULE_PATH, line: 2, column: 1 }] });
  });

  it('--check --changed-since checks only changed rules, and an unknown ref is a usage error', async () => {
    repo = await createTempRepo();
    await repo.write(RULE_PATH, ruleText());
    repo.commit('unreleased rule, no changeset');
    const io = repo.io();
    expect(await runLock(['--check', '--changed-since', 'HEAD'], io)).toBe(0);
    expect(io.out()).toContain('0 rule(s) checked');
    const bad = repo.io();
    expect(await runLock(['--check', '--changed-since', 'nowhere'], bad)).toBe(2);
    expect(bad.err()).toContain('git/unknown-ref');
  });

  it('rejects bad arguments with usage (exit 2), and is reachable through main', async () => {
    repo = await createTempRepo();
    for (const args of [['--bogus'], ['--format', 'xml'], ['--changed-since', 'HEAD'], ['positional']]) {
      const io = repo.io();
      expect(await runLock(args, io)).toBe(2);
      expect(io.err()).toContain('usage: dac lock');
    }
    const help = repo.io();
    expect(await main(['lock', '--help'], help)).toBe(0);
    expect(help.out()).toContain('usage: dac lock');
  });
});
