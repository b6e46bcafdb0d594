import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { CMD, createTempPack, EXPLORER, RULE_FILE, RULE_ID, ruleText, sysmonEvent, TEST_DIR, W3WP, WHOAMI } from '../harness/temp-pack.js';
import { captureIo } from './capture-io.js';


const spec = `rule: ${RULE_ID}
events:
  - file: tp.xml
    verdict: match
    provenance: synthesized by hand for the CLI tests
  - file: tn.xml
    verdict: no-match
    provenance: synthesized by hand for the CLI tests
  - file: fp.xml
    verdict: false-positive
    falsepositive: 0
    provenance: synthesized by hand for the CLI tests
`;

async function pack(rule = ruleText({ images: ["'*\\cmd.exe'", "'*\\whoami.exe'"] })) {
  return createTempPack({
    [RULE_FILE]: rule,
    [`${TEST_DIR}/rule-test.yml`]: spec,
    [`${TEST_DIR}/tp.xml`]: sysmonEvent(W3WP, CMD),
    [`${TEST_DIR}/tn.xml`]: `<Events>${sysmonEvent(EXPLORER, CMD)}${sysmonEvent(W3WP, 'C:\\Windows\\System32\\conhost.exe')}</Events>`,
    [`${TEST_DIR}/fp.xml`]: sysmonEvent(W3WP, WHOAMI),
  });
}

describe('dac test', () => {
  it('prints one line per rule with verdict counts and coverage, and exits 0 when all pass', async () => {
    const capture = captureIo(await pack());
    expect(await main(['test', '--runs', '3'], capture)).toBe(0);
    expect(capture.out()).toMatch(/^PASS {2}rules\/windows\/process_creation\/proc_creation_win_test_shell\.yml {2}tp 1 tn 2 fp 1 {2}coverage 100% \(values 3\/3, conditions 3\/3\)/m);
    expect(capture.out()).toMatch(/^1 rule: 1 passed, 0 failed; 1 with gaps in their tests; 1 log source: windows\/process_creation 1$/m);
    // The gap is said, and allowed by the default policy.
    expect(capture.out()).toContain('gap: no scenario spec: tests/rules/proc_creation_win_test_shell/scenarios.yml does not exist, so no property is checked (allowed by dac.config.yml)');
    expect(capture.out()).toMatch(/golden events: 3 files, 4 records read: 4 recognised, 0 not recognised, 0 skipped/);
  });

  it('shows which rule and check run on stderr when it is a terminal, and nothing of the kind otherwise', async () => {
    const root = await pack();
    const terminal = captureIo(root, { isTTY: true });
    expect(await main(['test', '--runs', '3'], terminal)).toBe(0);
    expect(terminal.err()).toContain('testing |');
    expect(terminal.err()).toMatch(/rule 1\/1 proc_creation_win_test_shell\.yml: (golden|properties)/);
    expect(terminal.out()).not.toContain('testing |');
    const pipe = captureIo(root, { isTTY: false });
    expect(await main(['test', '--runs', '3'], pipe)).toBe(0);
    expect(pipe.err()).not.toContain('testing |');
    expect(pipe.out()).toBe(terminal.out());
  });

  it('exits 1 with a diff when a verdict differs, and writes every report when asked', async () => {
    const root = await pack(ruleText({ images: ["'*\\whoami.exe'"] }));
    const capture = captureIo(root);
    expect(await main(['test', '--report-dir', 'out'], capture)).toBe(1);
    expect(capture.out()).toContain(`${RULE_FILE}:17:5 golden: ${TEST_DIR}/tp.xml #0: expected match, got no-match`);
    expect(capture.out()).toContain('selection.Image: C:\\Windows\\System32\\cmd.exe  (did not match: no value of Image matched)');
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(`${root}/out`)).sort()).toEqual(['junit.xml', 'navigator-layer.json', 'report.html', 'report.json', 'results.sarif', 'summary.md']);
  });

  it('tests only the rules changed since a git ref, and refuses a ref git cannot resolve instead of testing nothing', async () => {
    const root = await pack();
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: root, encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    const unchanged = captureIo(root);
    expect(await main(['test', '--changed-since', 'HEAD', '--runs', '3'], unchanged)).toBe(0);
    expect(unchanged.out()).toMatch(/^0 rules: 0 passed, 0 failed$/m);
    await writeFile(join(root, TEST_DIR, 'rule-test.yml'), `# edited\n${spec}`);
    const changed = captureIo(root);
    expect(await main(['test', '--changed-since', 'HEAD', '--runs', '3'], changed)).toBe(0);
    expect(changed.out()).toMatch(/^1 rule: 1 passed, 0 failed/m);
    const unknown = captureIo(root);
    expect(await main(['test', '--changed-since', 'no-such-branch', '--runs', '3'], unknown)).toBe(2);
    expect(unknown.err()).toMatch(/^dac test: --changed-since no-such-branch: git cannot resolve 'no-such-branch' to a commit/);
    expect(unknown.out()).toBe('');
  });

  it.each([
    [['--runs', 'many'], /--runs takes a whole number/],
    [['--runs', '0'], /--runs must be at least 1/],
    [['--renderings', 'some'], /--renderings takes rotate, all, not 'some'/],
    [['--bogus'], /Unknown option/],
  ])('rejects %j as a usage error', async (args, message) => {
    const capture = captureIo(await pack());
    expect(await main(['test', ...args], capture)).toBe(2);
    expect(capture.err()).toMatch(message);
  });
});
