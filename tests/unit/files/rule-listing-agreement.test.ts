import { symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLock } from '../../../src/cli/lock.js';
import { runPack } from '../../../src/cli/pack.js';
import { runValidate } from '../../../src/cli/validate.js';
import { runTests } from '../../../src/harness/run-tests.js';
import { buildPack } from '../../../src/pack/build-pack.js';
import { validateFileSet } from '../../../src/validate/validate-files.js';
import { readRuleVersionsAtRef } from '../../../src/version/rule-diff.js';
import { readRuleVersions } from '../../../src/version/rule-version.js';
import { createTempRepo, ruleText, type TempRepo } from '../version/helpers/temp-repo.js';

// The attack of the issue: a hidden rule file, broken and critical, that one command skipped and the
// others locked, passed and shipped; and links that reach out of the repository.
const LISTED = ['rules/a.yml', 'rules/sub/b.yml'];

let repo: TempRepo;

beforeAll(async () => {
  repo = await createTempRepo();
  await repo.write('rules/a.yml', ruleText({ id: '00000000-0000-4000-8000-00000000000a' }));
  await repo.write('rules/sub/b.yml', ruleText({ id: '00000000-0000-4000-8000-00000000000b' }));
  await repo.write('rules/.evil.yml', 'title: Evil\nid: 00000000-0000-4000-8000-00000000000e\nlevel: critical\ndetection: [broken\n');
  await repo.write('rules/node_modules/dep/c.yml', ruleText({ id: '00000000-0000-4000-8000-00000000000c' }));
  await repo.write('outside/x.yml', ruleText({ id: '00000000-0000-4000-8000-0000000000ff' }));
  repo.commit('rules, a hidden one, and one outside the rules folder');
}, 30_000);

afterAll(async () => repo.dispose());

const codesOf = (diagnostics: readonly { file: string; code: string }[]): string[] =>
  diagnostics.filter((d) => d.code.startsWith('file/')).map((d) => `${d.file.replace(/^HEAD:/, '')} ${d.code}`).sort();

describe('validate, lock, test, diff and pack list the same rule files', () => {
  it('skip the hidden rule everywhere, and say so everywhere', async () => {
    const validated = await validateFileSet(['rules'], { cwd: repo.root });
    const locked = await readRuleVersions(repo.root, 'rules');
    const tested = await runTests({ repoRoot: repo.root });
    const atRevision = await readRuleVersionsAtRef('HEAD', repo.root, 'rules');
    const packed = await buildPack({ repoRoot: repo.root, outDir: 'dist', rulesDir: 'rules', packageName: 'sigma-dac', packageVersion: '0.1.0', commit: null });

    expect(validated.files).toEqual(LISTED);
    expect([...new Set(locked.rules.map((rule) => rule.file))]).toEqual(LISTED);
    expect(tested.report.rules.map((rule) => rule.file)).toEqual(LISTED);
    expect([...new Set(atRevision.rules.map((rule) => rule.file))]).toEqual(LISTED);
    expect(packed.pack?.manifest.rules.map((rule) => rule.file)).toEqual(LISTED);

    const hidden = ['rules/.evil.yml file/hidden'];
    expect(codesOf(validated.diagnostics)).toEqual(hidden);
    expect(codesOf(locked.diagnostics)).toEqual(hidden);
    expect(codesOf(tested.report.diagnostics)).toEqual(hidden);
    expect(codesOf(atRevision.diagnostics)).toEqual(hidden);
    expect(codesOf(packed.diagnostics)).toEqual(hidden);
  }, 60_000);

  it('refuse a link everywhere: validate and test fail, lock and pack write nothing, diff says so', async () => {
    await symlink(join(repo.root, 'outside/x.yml'), join(repo.root, 'rules/link.yml'));
    repo.commit('a link out of the rules folder');
    const refused = ['rules/.evil.yml file/hidden', 'rules/link.yml file/symbolic-link'];

    const validate = repo.io();
    expect(await runValidate([], validate)).toBe(1);
    expect(validate.out()).toContain('rules/link.yml:1:1 error file/symbolic-link');

    const lock = repo.io();
    expect(await runLock([], lock)).toBe(1);
    expect(lock.err()).toContain('rules/link.yml:1:1 error file/symbolic-link');
    expect(lock.err()).toContain('rules.lock.json not written');

    const tested = await runTests({ repoRoot: repo.root });
    expect(tested.report.passed).toBe(false);
    expect(tested.report.rules.map((rule) => rule.file)).toEqual(LISTED);
    expect(codesOf(tested.report.diagnostics)).toEqual(refused);

    const atRevision = await readRuleVersionsAtRef('HEAD', repo.root, 'rules');
    expect([...new Set(atRevision.rules.map((rule) => rule.file))]).toEqual(LISTED);
    expect(codesOf(atRevision.diagnostics)).toEqual(refused);

    const pack = repo.io();
    expect(await runPack(['--out', 'out'], pack)).toBe(1);
    expect(pack.err()).toContain('rules/link.yml:1:1 error file/symbolic-link');
    expect(pack.err()).toContain('no pack written');
  }, 60_000);

  it('refuse a rules folder that is a link out of the repository, everywhere', async () => {
    const other = await createTempRepo();
    try {
      await other.write('package.json', '{ "name": "sigma-dac", "version": "0.1.0" }\n');
      await symlink(join(repo.root, 'outside'), join(other.root, 'rules'));
      const outside = 'rules file/outside-repository';
      expect(codesOf((await validateFileSet(['rules'], { cwd: other.root, root: other.root })).diagnostics)).toEqual([outside]);
      expect(codesOf((await readRuleVersions(other.root, 'rules')).diagnostics)).toEqual([outside]);
      const tested = await runTests({ repoRoot: other.root });
      expect(tested.report.rules).toEqual([]);
      expect(codesOf(tested.report.diagnostics)).toEqual([outside]);
      const packed = await buildPack({ repoRoot: other.root, outDir: 'dist', rulesDir: 'rules', packageName: 'sigma-dac', packageVersion: '0.1.0', commit: null });
      expect(packed.pack).toBeUndefined();
      expect(codesOf(packed.diagnostics)).toEqual([outside]);
      const validate = other.io();
      expect(await runValidate([], validate)).toBe(1);
      // A folder named on the command line is the user's choice, and is read.
      expect(await runValidate(['rules'], other.io())).toBe(0);
    } finally {
      await other.dispose();
    }
  }, 60_000);
});
