import { afterEach, describe, expect, it } from 'vitest';
import { parseChangeset } from '../../../src/version/changesets.js';
import { checkVersions, normalizeSigmaDate, runVersionCheck } from '../../../src/version/check-versions.js';
import { createLock, formatLock, parseLock } from '../../../src/version/lock-file.js';
import { readRuleVersionsFromText } from '../../../src/version/rule-version.js';
import { changesetText, createTempRepo, RULE_ID, RULE_PATH, ruleText, type TempRepo } from './helpers/temp-repo.js';

const OTHER_ID = '6f1d7c2e-0000-4000-8000-00000000000b';
const rules = (...files: [string, string][]) => files.flatMap(([file, text]) => readRuleVersionsFromText(text, file).rules);
/** The lock as a release would have written it, with entry lines as reading it gives them. */
const released = (...files: [string, string][]) => parseLock(formatLock(createLock(rules(...files)))).lock;
const changeset = (name: string, bump: string, body: string) => parseChangeset(changesetText(bump, body), `.changeset/${name}.md`);
const check = (current: [string, string][], lock: ReturnType<typeof released>, changesets: ReturnType<typeof changeset>[] = [], only?: string[]) =>
  checkVersions(rules(...current), lock, changesets, { packageName: 'sigma-dac', ...(only ? { only: new Set(only) } : {}) });

const widened = ruleText({ images: ['*\\cmd.exe', '*\\whoami.exe', '*\\net.exe'], modified: '2026-02-01' });

describe('checkVersions: rules against the lock', () => {
  const lock = released([RULE_PATH, ruleText()]);

  it('passes an unchanged rule, and a rule whose metadata alone changed', () => {
    expect(check([[RULE_PATH, ruleText()]], lock)).toEqual([]);
    expect(check([[RULE_PATH, ruleText({ title: 'Renamed', level: 'medium' })]], lock)).toEqual([]);
  });

  it('fails a logic change without a later modified date and without a changeset, at the modified and id lines', () => {
    const failures = check([[RULE_PATH, ruleText({ images: ['*\\cmd.exe'] })]], lock);
    expect(failures.map((failure) => [failure.check, failure.file, failure.line])).toEqual([
      ['version', RULE_PATH, 2],
      ['version', RULE_PATH, 5],
    ]);
    expect(failures[1]?.message).toMatch(/`modified` is still 2026-01-10, not later than the released 2026-01-10/);
    expect(failures[0]?.message).toMatch(/no pending changeset names/);
    expect(failures[0]?.details).toContain(`detection-changed: ${RULE_ID} Shell Spawned by a Web Server`);
  });

  it('passes a logic change with modified moved forward and a changeset naming the rule by id or file name', () => {
    expect(check([[RULE_PATH, widened]], lock, [changeset('a', 'minor', `detection-changed: ${RULE_ID} Shell`)])).toEqual([]);
    expect(check([[RULE_PATH, widened]], lock, [changeset('a', 'patch', 'tuned: proc_creation_win_webshell_spawn.yml Shell')])).toEqual([]);
  });

  it('still needs the date when the changeset is there, and the changeset when the date moved', () => {
    const noDate = check([[RULE_PATH, ruleText({ images: ['*\\cmd.exe'] })]], lock, [changeset('a', 'minor', `detection-changed: ${RULE_ID} Shell`)]);
    expect(noDate.map((failure) => failure.line)).toEqual([5]);
    const noChangeset = check([[RULE_PATH, widened]], lock, [changeset('a', 'minor', `detection-changed: ${OTHER_ID} Someone else`)]);
    expect(noChangeset.map((failure) => [failure.file, failure.line])).toEqual([
      ['.changeset/a.md', 5], // names no rule
      [RULE_PATH, 2],
    ]);
  });

  it('does not count a date that went backwards, and accepts the older YYYY/MM/DD form', () => {
    const named = [changeset('a', 'minor', `detection-changed: ${RULE_ID} Shell`)];
    expect(check([[RULE_PATH, ruleText({ images: ['*\\cmd.exe'], modified: '2025-12-31' })]], lock, named)).toHaveLength(1);
    expect(check([[RULE_PATH, ruleText({ images: ['*\\cmd.exe'], modified: '2026/02/01' })]], lock, named)).toEqual([]);
  });

  it('accepts an unmoved modified only when the logic was locked on that same day', () => {
    const named = [changeset('a', 'minor', `detection-changed: ${RULE_ID} Shell`)];
    const edited = ruleText({ images: ['*\\cmd.exe'] }); // modified stays 2026-01-10
    const lockedThatDay = parseLock(formatLock(createLock(rules([RULE_PATH, ruleText()]), undefined, '2026-01-10'))).lock;
    expect(check([[RULE_PATH, edited]], lockedThatDay, named)).toEqual([]);
    const lockedLater = parseLock(formatLock(createLock(rules([RULE_PATH, ruleText()]), undefined, '2026-01-11'))).lock;
    expect(check([[RULE_PATH, edited]], lockedLater, named).map((failure) => failure.line)).toEqual([5]);
  });

  it('does not accept an `added` line for a rule the lock already has', () => {
    const failures = check([[RULE_PATH, widened]], lock, [changeset('a', 'minor', `added: ${RULE_ID} Shell`)]);
    expect(failures.map((failure) => failure.message)).toEqual([
      expect.stringContaining('is named as added, but it was already released'),
      expect.stringContaining('no pending changeset names'),
    ]);
  });
});

describe('checkVersions: new, renamed, duplicated and removed rules', () => {
  it('needs an `added` changeset for a new rule', () => {
    const empty = released();
    expect(check([[RULE_PATH, ruleText()]], empty)).toEqual([
      expect.objectContaining({ line: 2, message: expect.stringContaining('the rule is new') }),
    ]);
    expect(check([[RULE_PATH, ruleText()]], empty, [changeset('a', 'minor', `added: ${RULE_ID} Shell`)])).toEqual([]);
  });

  it('fails an id that changed in the same file, and does not also call the old id removed', () => {
    const failures = check([[RULE_PATH, ruleText({ id: OTHER_ID })]], released([RULE_PATH, ruleText()]));
    expect(failures).toEqual([
      expect.objectContaining({ file: RULE_PATH, line: 2, message: expect.stringContaining(`the rule's id changed from ${RULE_ID} (rules.lock.json) to ${OTHER_ID}`) }),
    ]);
  });

  it('accepts a rule that moved to another file with its id and logic', () => {
    expect(check([['rules/moved.yml', ruleText()]], released([RULE_PATH, ruleText()]))).toEqual([]);
  });

  it('fails an id used twice, at both rules', () => {
    const failures = check([['rules/a.yml', ruleText()], ['rules/b.yml', ruleText()]], released(['rules/a.yml', ruleText()]));
    expect(failures.map((failure) => [failure.file, failure.message])).toEqual([
      ['rules/a.yml', `the id ${RULE_ID} is also used by rules/b.yml: each rule needs its own id`],
      ['rules/b.yml', `the id ${RULE_ID} is also used by rules/a.yml: each rule needs its own id`],
    ]);
  });

  it('fails a rule without an id', () => {
    expect(check([['rules/x.yml', 'title: No Id\ndetection: {condition: s}\n']], released())).toEqual([
      expect.objectContaining({ file: 'rules/x.yml', line: 1, message: expect.stringContaining('has no id') }),
    ]);
  });

  it('reports a released rule that is gone at its lock line, unless a `removed` changeset names it', () => {
    const lock = released([RULE_PATH, ruleText()], ['rules/other.yml', ruleText({ id: OTHER_ID, title: 'Other' })]);
    const failures = check([[RULE_PATH, ruleText()]], lock);
    expect(failures).toEqual([expect.objectContaining({ file: 'rules.lock.json', line: lock.rules[OTHER_ID]?.line })]);
    expect(failures[0]?.message).toContain(`the released rule ${OTHER_ID} (Other, rules/other.yml) is gone`);
    expect(check([[RULE_PATH, ruleText()]], lock, [changeset('r', 'major', `removed: ${OTHER_ID} Other`)])).toEqual([]);
  });
});

describe('checkVersions: the changesets themselves', () => {
  const lock = released([RULE_PATH, ruleText()]);

  it('fails a bump smaller than the kind needs, at the entry line', () => {
    expect(check([[RULE_PATH, widened]], lock, [changeset('a', 'patch', `detection-changed: ${RULE_ID} Shell`)])).toEqual([
      expect.objectContaining({ file: '.changeset/a.md', line: 5, message: "a 'detection-changed' change needs at least a minor bump, but the changeset bumps only patch" }),
    ]);
  });

  it('fails rule entries that bump no version of the pack', () => {
    const noBump = parseChangeset(`---\n---\n\ntuned: ${RULE_ID} Shell\n`, '.changeset/n.md');
    expect(check([[RULE_PATH, widened]], lock, [noBump])).toEqual([
      expect.objectContaining({ file: '.changeset/n.md', line: 1, message: 'the changeset names rule changes but does not bump sigma-dac' }),
    ]);
  });

  it('reports format problems at their lines', () => {
    expect(check([[RULE_PATH, ruleText()]], lock, [changeset('t', 'minor', `detection-change: ${RULE_ID} Shell`)])).toEqual([
      expect.objectContaining({ file: '.changeset/t.md', line: 5, message: expect.stringContaining('unknown change kind') }),
    ]);
  });
});

describe('checkVersions with --changed-since scope', () => {
  it('checks only the rules in scope, but still sees every id', () => {
    const lock = released([RULE_PATH, ruleText()], ['rules/gone.yml', ruleText({ id: OTHER_ID })]);
    const current: [string, string][] = [[RULE_PATH, ruleText({ images: ['*\\cmd.exe'] })], ['rules/new.yml', ruleText()]];
    const scoped = check(current, lock, [], ['rules/new.yml']);
    // The new file reuses the unchanged rule's id: reported there, and only there.
    expect(scoped.map((failure) => [failure.file, failure.message])).toEqual([
      ['rules/new.yml', `the id ${RULE_ID} is also used by ${RULE_PATH}: each rule needs its own id`],
    ]);
    expect(check(current, lock).length).toBeGreaterThan(scoped.length);
  });
});

describe('normalizeSigmaDate', () => {
  it('normalises both Sigma date forms and rejects the rest', () => {
    expect(normalizeSigmaDate('2026/1/2')).toBe('2026-01-02');
    expect(normalizeSigmaDate('2026-11-28')).toBe('2026-11-28');
    expect(normalizeSigmaDate('yesterday')).toBeUndefined();
    expect(normalizeSigmaDate(null)).toBeUndefined();
  });
});

describe('runVersionCheck on a repository', () => {
  let repo: TempRepo | undefined;
  afterEach(async () => repo?.dispose());

  it('reads rules, lock, changesets and the package name, and limits itself with changedSince', async () => {
    repo = await createTempRepo();
    await repo.write(RULE_PATH, ruleText());
    await repo.write('rules/windows/other.yml', ruleText({ id: OTHER_ID, title: 'Other' }));
    await repo.write('rules.lock.json', formatLock(createLock(rules([RULE_PATH, ruleText()], ['rules/windows/other.yml', ruleText({ id: OTHER_ID, title: 'Other' })]))));
    const base = repo.commit('release');
    expect(await runVersionCheck(repo.root)).toEqual({ failures: [], diagnostics: [], checked: 2, unreadableFiles: [] });

    await repo.write(RULE_PATH, widened);
    await repo.write('rules/windows/other.yml', ruleText({ id: OTHER_ID, title: 'Other', images: ['*\\sh.exe'] }));
    repo.commit('edit both');
    await repo.write('.changeset/widen.md', changesetText('minor', `detection-changed: ${RULE_ID} Shell`));
    const all = await runVersionCheck(repo.root);
    expect(all.failures.map((failure) => failure.file)).toEqual(['rules/windows/other.yml', 'rules/windows/other.yml']);

    repo.git('checkout', '-q', '-b', 'feature');
    const sinceEdit = await runVersionCheck(repo.root, { changedSince: 'HEAD' });
    expect(sinceEdit).toEqual({ failures: [], diagnostics: [], checked: 0, unreadableFiles: [] });
    const sinceBase = await runVersionCheck(repo.root, { changedSince: base });
    expect(sinceBase.checked).toBe(2);
    expect(sinceBase.failures).toHaveLength(2);

    const unknown = await runVersionCheck(repo.root, { changedSince: 'no-such-branch' });
    expect(unknown.diagnostics[0]).toMatchObject({ code: 'git/unknown-ref', severity: 'error' });
  });
});
