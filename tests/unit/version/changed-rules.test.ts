import { afterEach, describe, expect, it } from 'vitest';
import { listChangedRules } from '../../../src/version/changed-rules.js';
import { listFilesAtCommit, readFilesAtCommit, resolveCommit } from '../../../src/version/git.js';
import { createTempRepo, RULE_PATH, ruleText, type TempRepo } from './helpers/temp-repo.js';

describe('listChangedRules', () => {
  let repo: TempRepo | undefined;
  afterEach(async () => repo?.dispose());

  it('lists edited, added (also untracked), deleted and renamed rules, and rules whose tests changed', async () => {
    repo = await createTempRepo();
    await repo.write(RULE_PATH, ruleText());
    await repo.write('rules/keep.yml', ruleText());
    await repo.write('rules/gone.yml', ruleText());
    await repo.write('rules/old-name.yml', ruleText());
    await repo.write('rules/tested.yml', ruleText());
    await repo.write('tests/rules/tested/rule-test.yml', 'cases: []\n');
    await repo.write('src/unrelated.ts', 'export {};\n');
    const base = repo.commit('base');

    expect(await listChangedRules(base, repo.root)).toEqual({ files: [], diagnostics: [] });

    await repo.write(RULE_PATH, ruleText({ images: ['*\\sh.exe'] }));
    await repo.remove('rules/gone.yml');
    repo.git('mv', 'rules/old-name.yml', 'rules/new-name.yml');
    await repo.write('rules/untracked.yaml', ruleText());
    await repo.write('tests/rules/tested/events.ndjson', '{}\n');
    await repo.write('src/unrelated.ts', 'export const x = 1;\n');
    await repo.write('rules/readme.txt', 'not a rule');

    const changed = await listChangedRules(base, repo.root);
    expect(changed.diagnostics).toEqual([]);
    expect(changed.files).toEqual([
      'rules/gone.yml',
      'rules/new-name.yml',
      'rules/old-name.yml',
      'rules/tested.yml',
      'rules/untracked.yaml',
      RULE_PATH,
    ]);
  });

  it('honours other rule and test folders', async () => {
    repo = await createTempRepo();
    await repo.write('detections/a.yml', ruleText());
    const base = repo.commit('base');
    await repo.write('detections/a.yml', ruleText({ level: 'low' }));
    await repo.write('rules/ignored.yml', ruleText());
    expect((await listChangedRules(base, repo.root, { rulesDir: 'detections', testsDir: 'checks' })).files).toEqual(['detections/a.yml']);
  });

  it('turns an unknown ref, and a ref shaped like an option, into a diagnostic', async () => {
    repo = await createTempRepo();
    repo.commit('empty');
    for (const ref of ['no-such-ref', '--output=/tmp/x', '']) {
      const result = await listChangedRules(ref, repo.root);
      expect(result.files).toEqual([]);
      expect(result.diagnostics[0]).toMatchObject({ code: 'git/unknown-ref', severity: 'error' });
    }
  });
});

describe('git helpers', () => {
  let repo: TempRepo | undefined;
  afterEach(async () => repo?.dispose());

  it('lists and reads files at a commit through one batch, leaving unknown paths out', async () => {
    repo = await createTempRepo();
    await repo.write('rules/a.yml', 'a: 1\n');
    await repo.write('rules/sub/b.yml', 'binary\u0000and\nnewlines\n');
    const commit = repo.commit('files');
    await repo.write('rules/a.yml', 'a: 2\n'); // the working tree moves on; the commit does not
    expect((await resolveCommit('HEAD', repo.root)).commit).toBe(commit);
    expect((await listFilesAtCommit(commit, 'rules', repo.root)).files).toEqual(['rules/a.yml', 'rules/sub/b.yml']);
    const read = await readFilesAtCommit(commit, ['rules/a.yml', 'rules/missing.yml', 'rules/sub/b.yml'], repo.root);
    expect([...read.files.keys()]).toEqual(['rules/a.yml', 'rules/sub/b.yml']);
    expect(read.files.get('rules/a.yml')?.toString()).toBe('a: 1\n');
    expect(read.files.get('rules/sub/b.yml')?.toString()).toBe('binary\u0000and\nnewlines\n');
  });
});
