import { afterEach, describe, expect, it } from 'vitest';
import { runDiff } from '../../../src/cli/diff.js';
import { changesetText, createTempRepo, RULE_ID, RULE_PATH, ruleText, type TempRepo } from '../version/helpers/temp-repo.js';

const OTHER_ID = '5e2f4b7a-0000-4000-8000-00000000000e';

describe('dac diff', () => {
  let repo: TempRepo | undefined;
  afterEach(async () => repo?.dispose());

  /** A base commit with the web-shell rule and another, then a working tree where the web-shell rule fires on more. */
  async function widenedSinceBase(): Promise<TempRepo> {
    const created = await createTempRepo();
    await created.write(RULE_PATH, ruleText());
    await created.write('rules/other.yml', ruleText({ id: OTHER_ID, title: 'Other Rule' }));
    await created.write('.changeset/old.md', changesetText('major', 'An older pending changeset, already on the base branch.'));
    created.commit('base');
    created.git('branch', 'base');
    await created.write(RULE_PATH, ruleText({ images: ['*\\cmd.exe', '*\\whoami.exe', '*\\net.exe'], modified: '2026-02-01' }));
    return created;
  }

  it('prints a line per changed rule with its bump, then the required bump', async () => {
    repo = await widenedSinceBase();
    const io = repo.io();
    expect(await runDiff(['base'], io)).toBe(0);
    expect(io.out()).toBe(
      'rule changes from base to the working tree:\n' +
      `  minor  detection-changed     ${RULE_ID}  ${RULE_PATH}  Shell Spawned by a Web Server: its detection logic changed; not judged by replay, so it is taken to detect more\n` +
      '  1 rule(s) unchanged\n' +
      'required bump: minor\n',
    );
  });

  it('--check fails when the changesets added since the base bump less than required, and says which rule', async () => {
    repo = await widenedSinceBase();
    await repo.write('.changeset/widen.md', changesetText('patch', `detection-changed: ${RULE_ID} Shell`));
    const io = repo.io();
    // The base branch's own pending major changeset does not speak for this change.
    expect(await runDiff(['base', '--check'], io)).toBe(1);
    expect(io.out()).toContain('changesets since base bump sigma-dac: patch (.changeset/widen.md)');
    expect(io.err()).toBe(
      `dac diff --check: the rule "Shell Spawned by a Web Server" (${RULE_PATH}) may detect more (its detection logic changed and was not judged by replay), a minor change, but the changesets only bump patch\n`,
    );
  });

  it('--check passes when a new changeset bumps enough, and fails with none', async () => {
    repo = await widenedSinceBase();
    const none = repo.io();
    expect(await runDiff(['base', '--check'], none)).toBe(1);
    expect(none.err()).toContain('but no changeset added since the base bumps sigma-dac');
    await repo.write('.changeset/widen.md', changesetText('minor', `detection-changed: ${RULE_ID} Shell`));
    const enough = repo.io();
    expect(await runDiff(['base', '--check'], enough)).toBe(0);
    expect(enough.err()).toBe('');
  });

  it('makes a removed rule major, with --to comparing two commits, and reports JSON', async () => {
    repo = await widenedSinceBase();
    await repo.remove('rules/other.yml');
    await repo.write('.changeset/remove.md', changesetText('minor', `removed: ${OTHER_ID} Other Rule`));
    repo.commit('remove other, widen web shell');
    const io = repo.io();
    expect(await runDiff(['base', '--to', 'HEAD', '--format', 'json', '--check'], io)).toBe(1);
    const report = JSON.parse(io.out());
    expect(report).toMatchObject({ from: 'base', to: 'HEAD', required: 'major', declared: 'minor', ok: false, changesets: ['.changeset/remove.md'] });
    expect(report.rules.map((rule: { id: string; change: string; bump: string }) => [rule.id, rule.change, rule.bump])).toEqual([
      [OTHER_ID, 'removed', 'major'],
      [RULE_ID, 'detection-changed', 'minor'],
    ]);
    expect(report.reason).toBe('the rule "Other Rule" (rules/other.yml) was removed, a major change, but the changesets only bump minor');
  });

  it('sees a metadata-only edit as patch and no edit as nothing', async () => {
    repo = await createTempRepo();
    await repo.write(RULE_PATH, ruleText());
    repo.commit('base');
    const same = repo.io();
    expect(await runDiff(['HEAD', '--check'], same)).toBe(0);
    expect(same.out()).toContain('(no rule changed)');
    expect(same.out()).toContain('required bump: none');
    await repo.write(RULE_PATH, ruleText({ level: 'medium' }));
    const metadata = repo.io();
    expect(await runDiff(['HEAD'], metadata)).toBe(0);
    expect(metadata.out()).toContain('  patch  metadata');
  });

  it('exits 2 for a missing or unknown ref and bad options', async () => {
    repo = await createTempRepo();
    repo.commit('empty');
    for (const args of [[], ['a', 'b'], ['HEAD', '--format', 'xml'], ['HEAD', '--bogus']]) {
      const io = repo.io();
      expect(await runDiff(args, io)).toBe(2);
      expect(io.err()).toContain('usage: dac diff');
    }
    const unknown = repo.io();
    expect(await runDiff(['no-such-ref'], unknown)).toBe(2);
    expect(unknown.err()).toContain("git cannot resolve 'no-such-ref'");
    const badTo = repo.io();
    expect(await runDiff(['HEAD', '--to', '-x'], badTo)).toBe(2);
  });
});
