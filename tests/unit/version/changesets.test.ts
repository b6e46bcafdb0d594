import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import {
  compareBumps,
  declaredBump,
  isChangesetFileName,
  maxBump,
  MINIMUM_BUMP,
  namesRule,
  parseChangeset,
  readChangesets,
} from '../../../src/version/changesets.js';
import { changesetText, createTempRepo, RULE_ID, type TempRepo } from './helpers/temp-repo.js';

describe('parseChangeset', () => {
  it('reads the bumps and the entry lines, with their lines in the file', () => {
    const text = `---\n"sigma-dac": minor\nother-package: patch\n---\n\n\nadded: ${RULE_ID} Shell Spawned by a Web Server\ntuned: \`proc_x.yml\` Another Rule\n\nWhy: more coverage.\n`;
    const changeset = parseChangeset(text, '.changeset/a.md');
    expect(changeset.releases).toEqual({ 'sigma-dac': 'minor', 'other-package': 'patch' });
    expect(changeset.entries).toEqual([
      { kind: 'added', ref: RULE_ID, title: 'Shell Spawned by a Web Server', line: 7 },
      { kind: 'tuned', ref: 'proc_x.yml', title: 'Another Rule', line: 8 },
    ]);
    expect(changeset.notes).toBe('Why: more coverage.');
    expect(changeset.problems).toEqual([]);
  });

  it('flags a mistyped kind and a missing title on their lines, but reads prose as notes', () => {
    const changeset = parseChangeset(changesetText('minor', `detection-change: ${RULE_ID} Shell\ntuned: proc_x.yml`), 'c.md');
    expect(changeset.problems).toEqual([
      { line: 5, message: expect.stringContaining("unknown change kind 'detection-change'") },
      { line: 6, message: expect.stringContaining('title') },
    ]);
    const prose = parseChangeset(changesetText('patch', 'Fix: the SARIF columns were off by one.'), 'p.md');
    expect(prose.entries).toEqual([]);
    expect(prose.problems).toEqual([]);
    expect(prose.notes).toBe('Fix: the SARIF columns were off by one.');
  });

  it('reports broken front matter instead of throwing', () => {
    expect(parseChangeset('no front matter\n', 'x.md').problems[0]?.message).toMatch(/front matter/);
    expect(parseChangeset('---\n"sigma-dac": minor\n', 'x.md').problems[0]?.message).toMatch(/not closed/);
    expect(parseChangeset('---\n"sigma-dac": huge\n---\nadded: a.yml A\n', 'x.md').problems[0]).toEqual({ line: 2, message: expect.stringContaining('huge') });
    expect(parseChangeset('---\n- a\n---\n', 'x.md').problems[0]?.message).toMatch(/map package names/);
    expect(parseChangeset('---\n"a": [\n---\n', 'x.md').problems.length).toBeGreaterThan(0);
  });

  it('accepts an empty changeset (front matter with no package)', () => {
    expect(parseChangeset('---\n---\n', 'e.md')).toMatchObject({ releases: {}, entries: [], problems: [] });
  });
});

describe('bumps', () => {
  it('orders none < patch < minor < major', () => {
    expect(['major', 'none', 'minor', 'patch'].sort((a, b) => compareBumps(a as never, b as never))).toEqual(['none', 'patch', 'minor', 'major']);
    expect(maxBump(['patch', 'major', 'minor'])).toBe('major');
    expect(maxBump([])).toBe('none');
  });

  it('takes the largest bump of one package across changesets', () => {
    const changesets = [
      parseChangeset('---\n"sigma-dac": patch\n---\n', 'a.md'),
      parseChangeset('---\n"sigma-dac": minor\nelse: major\n---\n', 'b.md'),
    ];
    expect(declaredBump(changesets, 'sigma-dac')).toBe('minor');
    expect(declaredBump(changesets, 'nobody')).toBe('none');
  });

  it('knows the least bump of each kind (the README policy)', () => {
    expect(MINIMUM_BUMP).toEqual({ added: 'minor', 'detection-changed': 'minor', tuned: 'patch', deprecated: 'patch', removed: 'major' });
  });
});

describe('namesRule', () => {
  const rule = { id: RULE_ID, file: 'rules/windows/proc_x.yml' };
  const entry = (ref: string) => ({ kind: 'tuned' as const, ref, title: 't', line: 1 });

  it('matches the id (any case), the file name or the repository path', () => {
    expect(namesRule(entry(RULE_ID.toUpperCase()), rule)).toBe(true);
    expect(namesRule(entry('proc_x.yml'), rule)).toBe(true);
    expect(namesRule(entry('rules/windows/proc_x.yml'), rule)).toBe(true);
    expect(namesRule(entry('proc_y.yml'), rule)).toBe(false);
    expect(namesRule(entry('windows/proc_x.yml'), rule)).toBe(false);
  });
});

describe('readChangesets', () => {
  let repo: TempRepo | undefined;
  afterEach(async () => repo?.dispose());

  it('reads .changeset/*.md except the README, sorted', async () => {
    repo = await createTempRepo();
    await repo.write('.changeset/README.md', '# not a changeset');
    await repo.write('.changeset/config.json', '{}');
    await repo.write('.changeset/b.md', changesetText('patch', 'b'));
    await repo.write('.changeset/a.md', changesetText('minor', 'a'));
    expect((await readChangesets(repo.root)).map((changeset) => changeset.file)).toEqual(['.changeset/a.md', '.changeset/b.md']);
    expect(isChangesetFileName('README.md')).toBe(false);
    expect(isChangesetFileName('x.md')).toBe(true);
  });

  it('reads no changesets when the folder is missing', async () => {
    repo = await createTempRepo();
    expect(await readChangesets(repo.root)).toEqual([]);
  });

  it('every pending changeset of the repository follows the convention and bumps the pack', async () => {
    const root = fileURLToPath(new URL('../../../', import.meta.url));
    for (const changeset of await readChangesets(root)) {
      expect(changeset.problems, changeset.file).toEqual([]);
      expect(Object.keys(changeset.releases), changeset.file).toEqual(['sigma-dac']);
    }
  });
});
