import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectRuleFiles, displayPath } from '../../../src/validate/collect-files.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dac-collect-'));
  for (const folder of ['rules/b', 'rules/a/deeper', 'rules/.git', 'rules/node_modules/x']) await mkdir(path.join(root, folder), { recursive: true });
  for (const file of ['rules/b/two.yml', 'rules/a/one.YAML', 'rules/a/deeper/three.yml', 'rules/a/notes.md', 'rules/.git/config.yml', 'rules/node_modules/x/pkg.yml', 'rules/.hidden.yml', 'loose.txt']) {
    await writeFile(path.join(root, file), 'title: x\n');
  }
  await symlink(path.join(root, 'rules'), path.join(root, 'rules/a/loop'));
  await symlink(path.join(root, 'rules/b/two.yml'), path.join(root, 'rules/b/alias.yml'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('collectRuleFiles', () => {
  it('walks folders in name order for .yml/.yaml files, once each, skipping hidden folders, node_modules and link loops', async () => {
    const { files, diagnostics } = await collectRuleFiles(['rules'], root);
    expect(diagnostics).toEqual([]);
    expect(files.map((f) => f.displayName)).toEqual(['rules/a/deeper/three.yml', 'rules/a/one.YAML', 'rules/b/alias.yml']);
    expect(files[0]?.absolutePath).toBe(path.join(root, 'rules/a/deeper/three.yml'));
  });

  it('takes a file named explicitly whatever its extension, and does not repeat it', async () => {
    const { files } = await collectRuleFiles(['loose.txt', 'rules/b', './loose.txt', path.join(root, 'rules/b/two.yml')], root);
    expect(files.map((f) => f.displayName)).toEqual(['loose.txt', 'rules/b/alias.yml']);
  });

  it('reports a dangling link to a rule file and goes on with the others', async () => {
    await mkdir(path.join(root, 'dangling'));
    await symlink(path.join(root, 'nowhere.yml'), path.join(root, 'dangling', 'gone.yml'));
    await writeFile(path.join(root, 'dangling', 'kept.yml'), 'title: x\n');
    const { files, diagnostics } = await collectRuleFiles(['dangling'], root);
    expect(files.map((f) => f.displayName)).toEqual(['dangling/kept.yml']);
    expect(diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(['dangling/gone.yml file/unreadable']);
  });

  it('reports paths that do not exist and goes on', async () => {
    const { files, diagnostics } = await collectRuleFiles(['missing', 'rules/a/one.YAML'], root);
    expect(files.map((f) => f.displayName)).toEqual(['rules/a/one.YAML']);
    expect(diagnostics).toEqual([{ code: 'file/not-found', severity: 'error', message: 'no such file or folder', file: 'missing', line: 1, column: 1 }]);
  });
});

describe('path helpers', () => {
  it('names paths relative to the working directory with forward slashes', () => {
    expect(displayPath(path.join('/w', 'rules', 'a.yml'), '/w')).toBe('rules/a.yml');
    expect(displayPath('/elsewhere/a.yml', '/w')).toBe('../elsewhere/a.yml');
    expect(displayPath('/w', '/w')).toBe('.');
  });
});
