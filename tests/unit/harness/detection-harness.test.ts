import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDetectionHarness } from '../../../src/harness/detection-harness.js';
import { judgeDetectionChange } from '../../../src/version/rule-diff.js';
import { readRuleVersions } from '../../../src/version/rule-version.js';
import { readRuleVersionsAtRef } from '../../../src/version/rule-diff.js';
import { CMD, createTempPack, EXPLORER, RULE_FILE, RULE_ID, ruleText, sysmonEvent, TEST_DIR, W3WP, WHOAMI } from './temp-pack.js';

const git = (root: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@t', ...args], { cwd: root, stdio: 'pipe' });

const spec = (files: string[]) =>
  `rule: ${RULE_ID}\nevents:\n${files.map((file) => `  - file: ${file}\n    verdict: no-match\n    provenance: synthesized by hand for the diff tests\n`).join('')}`;

/** A repository whose first commit holds the rule with cmd and whoami, and golden events for both. */
async function repoWithRelease() {
  const root = await createTempPack({
    [RULE_FILE]: ruleText(),
    [`${TEST_DIR}/rule-test.yml`]: spec(['a.xml']),
    [`${TEST_DIR}/a.xml`]: `<Events>${sysmonEvent(W3WP, CMD)}${sysmonEvent(W3WP, WHOAMI)}${sysmonEvent(EXPLORER, CMD)}</Events>`,
  });
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'release');
  return root;
}

async function judge(root: string) {
  const before = (await readRuleVersionsAtRef('HEAD', root, 'rules')).rules[0]!;
  const after = (await readRuleVersions(root, 'rules')).rules[0]!;
  return judgeDetectionChange(before, after, await createDetectionHarness(root));
}

describe('createDetectionHarness', () => {
  it('judges a removed value as narrowed and an added one as widened, by replaying both versions', async () => {
    const root = await repoWithRelease();
    await writeFile(join(root, RULE_FILE), ruleText({ images: ["'*\\cmd.exe'"] }));
    expect(await judge(root)).toBe('narrowed');
    // A new golden event shows what the widened rule now fires on; the release's events come along.
    await writeFile(join(root, RULE_FILE), ruleText({ images: ["'*\\cmd.exe'", "'*\\whoami.exe'", "'*\\net.exe'"] }));
    await writeFile(join(root, TEST_DIR, 'rule-test.yml'), spec(['b.xml']));
    await writeFile(join(root, TEST_DIR, 'b.xml'), sysmonEvent(W3WP, 'C:\\Windows\\System32\\net.exe'));
    expect(await judge(root)).toBe('widened');
  });

  it('judges a refactor that fires on the same events as same', async () => {
    const root = await repoWithRelease();
    await writeFile(join(root, RULE_FILE), ruleText({ images: ["'*\\whoami.exe'", "'*\\cmd.exe'"] }).replace('selection', 'sel').replace('condition: selection', 'condition: sel'));
    expect(await judge(root)).toBe('same');
  });
});
