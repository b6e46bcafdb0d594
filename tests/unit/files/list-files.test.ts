import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyListedPath, displayPath } from '../../../src/files/list-files.js';
import { collectRuleFiles, listRepositoryRuleFiles, selectRuleFilesAtRevision } from '../../../src/files/list-rule-files.js';
import { isRuleFileName } from '../../../src/load/rule-file-name.js';

let root: string;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'dac-list-'));
  for (const folder of ['rules/b', 'rules/a/deeper', 'rules/.git', 'rules/node_modules/x', 'outside']) await mkdir(path.join(root, folder), { recursive: true });
  for (const file of ['rules/b/two.yml', 'rules/a/one.YAML', 'rules/a/deeper/three.yml', 'rules/a/notes.md', 'rules/.git/config.yml', 'rules/node_modules/x/pkg.yml', 'rules/.hidden.yml', 'loose.txt', 'outside/secret.yml']) {
    await writeFile(path.join(root, file), 'title: x\n');
  }
  await symlink(path.join(root, 'rules'), path.join(root, 'rules/a/loop'));
  await symlink(path.join(root, 'rules/b/two.yml'), path.join(root, 'rules/b/alias.yml'));
  await symlink(path.join(root, 'outside/secret.yml'), path.join(root, 'rules/b/escape.yml'));
  await symlink(path.join(root, 'loose.txt'), path.join(root, 'rules/b/readme'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

const codes = (diagnostics: readonly { file: string; code: string; severity: string }[]): string[] =>
  diagnostics.map((d) => `${d.file} ${d.severity} ${d.code}`);

describe('collectRuleFiles', () => {
  it('walks folders in name order for .yml/.yaml files, skipping hidden entries and node_modules, and refusing links', async () => {
    const { files, diagnostics, otherFiles } = await collectRuleFiles(['rules'], root);
    expect(files.map((f) => f.displayName)).toEqual(['rules/a/deeper/three.yml', 'rules/a/one.YAML', 'rules/b/two.yml']);
    expect(files[0]?.absolutePath).toBe(path.join(root, 'rules/a/deeper/three.yml'));
    expect(codes(diagnostics)).toEqual([
      'rules/.hidden.yml warning file/hidden',
      'rules/a/loop error file/symbolic-link',
      'rules/b/alias.yml error file/symbolic-link',
      'rules/b/escape.yml error file/symbolic-link',
    ]);
    // A link to a file that is not a rule (rules/b/readme) is not a rule either: nothing to say.
    expect(otherFiles).toBe(1);
    expect(diagnostics[3]?.message).toContain(`to ${path.join(root, 'outside/secret.yml')}`);
  });

  it('takes a path named explicitly whatever its extension or kind, and does not repeat it', async () => {
    const { files, diagnostics } = await collectRuleFiles(['loose.txt', 'rules/b', './loose.txt', path.join(root, 'rules/b/two.yml'), 'rules/b/alias.yml'], root);
    expect(files.map((f) => f.displayName)).toEqual(['loose.txt', 'rules/b/two.yml']);
    expect(codes(diagnostics)).toEqual(['rules/b/alias.yml error file/symbolic-link', 'rules/b/escape.yml error file/symbolic-link']);
  });

  it('reports a dangling link to a rule file and goes on with the others', async () => {
    await mkdir(path.join(root, 'dangling'));
    await symlink(path.join(root, 'nowhere.yml'), path.join(root, 'dangling', 'gone.yml'));
    await writeFile(path.join(root, 'dangling', 'kept.yml'), 'title: x\n');
    const { files, diagnostics } = await collectRuleFiles(['dangling', 'dangling/gone.yml'], root);
    expect(files.map((f) => f.displayName)).toEqual(['dangling/kept.yml']);
    expect(codes(diagnostics)).toEqual(['dangling/gone.yml error file/symbolic-link', 'dangling/gone.yml error file/unreadable']);
  });

  it('reports paths that do not exist and goes on', async () => {
    const { files, diagnostics } = await collectRuleFiles(['missing', 'rules/a/one.YAML'], root);
    expect(files.map((f) => f.displayName)).toEqual(['rules/a/one.YAML']);
    expect(diagnostics).toEqual([{ code: 'file/not-found', severity: 'error', message: 'no such file or folder', file: 'missing', line: 1, column: 1 }]);
  });

  it('refuses rule file names with control characters', async () => {
    await mkdir(path.join(root, 'names'));
    await writeFile(path.join(root, 'names', 'evil\nname.yml'), 'title: x\n');
    await writeFile(path.join(root, 'names', 'esc\u001b[2J.yml'), 'title: x\n');
    await writeFile(path.join(root, 'names', 'fine.yml'), 'title: x\n');
    const { files, diagnostics } = await collectRuleFiles(['names'], root);
    expect(files.map((f) => f.displayName)).toEqual(['names/fine.yml']);
    expect(codes(diagnostics)).toEqual(['names/esc\u001b[2J.yml error file/control-character-name', 'names/evil\nname.yml error file/control-character-name']);
  });
});

describe('the repository listing and the listing at a revision agree', () => {
  it('lists the rules folder sorted, without the missing folder being an error', async () => {
    const listed = await listRepositoryRuleFiles(root, 'rules');
    expect(listed.files).toEqual(['rules/a/deeper/three.yml', 'rules/a/one.YAML', 'rules/b/two.yml']);
    expect(codes(listed.diagnostics)).toHaveLength(4);
    expect(await listRepositoryRuleFiles(root, 'nothing-here')).toEqual({ files: [], diagnostics: [] });
  });

  it('applies the same rules to paths git lists, links by their mode', () => {
    const entries = [
      { path: 'rules/.hidden.yml', mode: '100644' },
      { path: 'rules/.git/config.yml', mode: '100644' },
      { path: 'rules/a/deeper/three.yml', mode: '100644' },
      { path: 'rules/a/loop', mode: '120000' },
      { path: 'rules/a/notes.md', mode: '100644' },
      { path: 'rules/a/one.YAML', mode: '100755' },
      { path: 'rules/b/alias.yml', mode: '120000' },
      { path: 'rules/b/two.yml', mode: '100644' },
      { path: 'rules/node_modules/x/pkg.yml', mode: '100644' },
      { path: 'rules/sub', mode: '160000' },
      { path: 'rules/c/evil\nname.yml', mode: '100644' },
      { path: 'other/x.yml', mode: '100644' },
    ];
    const selected = selectRuleFilesAtRevision(entries, 'rules/', (p) => `HEAD:${p}`);
    expect(selected.files).toEqual(['rules/a/deeper/three.yml', 'rules/a/one.YAML', 'rules/b/two.yml']);
    expect(codes(selected.diagnostics)).toEqual([
      'HEAD:rules/.hidden.yml warning file/hidden',
      'HEAD:rules/b/alias.yml error file/symbolic-link',
      'HEAD:rules/c/evil\nname.yml error file/control-character-name',
    ]);
    // A link git keeps for a folder is not a rule name: nothing is read through it.
    expect(classifyListedPath('a/loop', '120000', { accept: isRuleFileName, kind: 'rule file', display: 'x' })).toEqual({ read: false });
  });
});

describe('path helpers', () => {
  it('names paths relative to the working directory when inside it, else absolute, with forward slashes', () => {
    expect(displayPath(path.join('/w', 'rules', 'a.yml'), '/w')).toBe('rules/a.yml');
    expect(displayPath('/elsewhere/a.yml', '/w')).toBe('/elsewhere/a.yml');
    expect(displayPath('/w', '/w')).toBe('.');
  });
});
