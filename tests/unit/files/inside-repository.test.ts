import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isWithin, resolveInsideRepository } from '../../../src/files/inside-repository.js';
import { loadConfig } from '../../../src/harness/config.js';
import { runTests } from '../../../src/harness/run-tests.js';
import { writeReports } from '../../../src/report/write-reports.js';
import { createTempPack, RULE_FILE, RULE_ID, ruleText, sysmonEvent, TEST_DIR, W3WP, CMD } from '../harness/temp-pack.js';

const SECRET = 'TOP-SECRET-VALUE-d41d8cd9';
let outside: string;

beforeAll(async () => {
  outside = await mkdtemp(join(tmpdir(), 'dac-outside-'));
  await writeFile(join(outside, 'secret.json'), JSON.stringify({ Image: `C:\\${SECRET}\\cmd.exe`, ParentImage: 'C:\\w3wp.exe' }));
});
afterAll(async () => rm(outside, { recursive: true, force: true }));

describe('resolveInsideRepository', () => {
  it('follows links and judges paths that do not exist by their nearest existing folder', async () => {
    const root = await mkdtemp(join(tmpdir(), 'dac-root-'));
    await mkdir(join(root, 'tests'));
    await symlink(outside, join(root, 'tests', 'out'));
    expect(await resolveInsideRepository(root, join(root, 'tests'), 'a/b.json')).toMatchObject({ inside: true });
    expect(await resolveInsideRepository(root, join(root, 'tests'), '../../x.json')).toMatchObject({ inside: false });
    expect(await resolveInsideRepository(root, join(root, 'tests'), 'out/secret.json')).toMatchObject({ inside: false });
    expect(await resolveInsideRepository(root, join(root, 'tests'), 'out/not-there.json')).toMatchObject({ inside: false });
    expect(await resolveInsideRepository(root, root, '/etc/passwd')).toMatchObject({ inside: false });
    expect(isWithin('/r', '/r')).toBe(true);
    expect(isWithin('/r', '/r/..x')).toBe(true);
    expect(isWithin('/r', '/rx')).toBe(false);
    await rm(root, { recursive: true, force: true });
  });
});

describe('paths named by rule-test.yml and dac.config.yml stay inside the repository', () => {
  it('refuses golden event paths that climb out or pass through a link, at their line, and prints none of their values', async () => {
    const climb = '../'.repeat(12) + outside.slice(1) + '/secret.json';
    const spec = `rule: ${RULE_ID}
events:
  - file: tp.xml
    verdict: match
    provenance: synthesized by hand
  - file: ${climb}
    verdict: no-match
    provenance: an attack climbing out
  - file: out/secret.json
    verdict: no-match
    provenance: an attack through a link
`;
    const root = await createTempPack({ [RULE_FILE]: ruleText(), [`${TEST_DIR}/rule-test.yml`]: spec, [`${TEST_DIR}/tp.xml`]: sysmonEvent(W3WP, CMD) });
    await symlink(outside, join(root, TEST_DIR, 'out'));
    const { report } = await runTests({ repoRoot: root });
    const failures = report.rules[0]?.failures.filter((f) => f.message.startsWith('test-spec/outside-repository')) ?? [];
    expect(failures.map((f) => `${f.file}:${f.line}`)).toEqual([`${TEST_DIR}/rule-test.yml:6`, `${TEST_DIR}/rule-test.yml:9`]);
    expect(report.passed).toBe(false);
    const dir = join(root, 'reports');
    await writeReports(report, dir, { repoRoot: root });
    for (const name of ['report.json', 'report.html', 'summary.md', 'junit.xml', 'results.sarif']) {
      expect(await readFile(join(dir, name), 'utf8')).not.toContain(SECRET);
    }
  });

  it('refuses a rule-test spec reached through a linked test folder', async () => {
    const root = await createTempPack({ [RULE_FILE]: ruleText() });
    await writeFile(join(outside, 'rule-test.yml'), `rule: ${RULE_ID}\nevents:\n  - file: secret.json\n    verdict: match\n    provenance: an attack through a link\n`);
    await mkdir(join(root, 'tests/rules'), { recursive: true });
    await symlink(outside, join(root, TEST_DIR));
    const { report } = await runTests({ repoRoot: root });
    expect(report.rules[0]?.failures.map((f) => f.message)).toContainEqual(expect.stringMatching(/^test-spec\/outside-repository: the rule-test spec resolves to /));
    expect(JSON.stringify(report)).not.toContain(SECRET);
  });

  it('refuses config folders outside the repository at their line, using the default', async () => {
    const root = await createTempPack({ 'dac.config.yml': `rules: rules\ntests: ${outside}\nmappings: ../../..\n` });
    const { config, diagnostics } = await loadConfig(root);
    expect(config.tests).toBe('tests/rules');
    expect(config.mappings).toBe(join(root, 'mappings'));
    expect(diagnostics.map((d) => `${d.line} ${d.code}`)).toEqual(['2 config/outside-repository', '3 config/outside-repository']);
  });
});
