import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTests, type RuleContext } from '../../../src/harness/run-tests.js';
import { CMD, createTempPack, CSC, EXPLORER, RULE_FILE, RULE_ID, ruleText, securityEvent, sysmonEvent, TEST_DIR, W3WP, WHOAMI } from './temp-pack.js';

const spec = `rule: ${RULE_ID}
events:
  - file: tp.xml
    verdict: match
    provenance: synthesized by hand for the harness tests
    overrides:
      - { event: 2, verdict: no-match }
  - file: tn.xml
    verdict: no-match
    provenance: synthesized by hand for the harness tests
  - file: fp.xml
    verdict: false-positive
    falsepositive: 0
    provenance: synthesized by hand for the harness tests
`;

const goldenFiles = {
  [`${TEST_DIR}/rule-test.yml`]: spec,
  // w3wp -> cmd, w3wp -> whoami (both true positives), then w3wp -> csc (a benign child, overridden).
  [`${TEST_DIR}/tp.xml`]: `<Events>${sysmonEvent(W3WP, CMD)}${securityEvent(W3WP, WHOAMI)}${sysmonEvent(W3WP, CSC)}</Events>`,
  // explorer -> cmd: the child matches, the parent does not (the MC/DC pair for ParentImage).
  [`${TEST_DIR}/tn.xml`]: `<Events>${sysmonEvent(EXPLORER, CMD)}${securityEvent(EXPLORER, CMD)}</Events>`,
  [`${TEST_DIR}/fp.xml`]: sysmonEvent(W3WP, WHOAMI),
};

async function run(rule: string, extra: Record<string, string> = {}, update = false) {
  const root = await createTempPack({ [RULE_FILE]: rule, ...goldenFiles, ...extra });
  return { root, ...(await runTests({ repoRoot: root, update })) };
}

describe('runTests', () => {
  it('hands every check the seed, runs and renderings of dac.config.yml, each overridden by the options', async () => {
    const seen: unknown[] = [];
    const spy = { name: 'properties' as const, run: async (context: RuleContext) => (seen.push([context.seed, context.runs, context.renderings]), { failures: [] }) };
    const root = await createTempPack({ [RULE_FILE]: ruleText(), ...goldenFiles, 'dac.config.yml': 'properties: { runs: 7, seed: 3, renderings: all }\n' });
    await runTests({ repoRoot: root, extraChecks: [spy] });
    await runTests({ repoRoot: root, extraChecks: [spy], seed: 4, runs: 8, renderings: 'rotate' });
    expect(seen).toEqual([[3, 7, 'all'], [4, 8, 'rotate']]);
    const defaults = await createTempPack({ [RULE_FILE]: ruleText(), ...goldenFiles });
    await runTests({ repoRoot: defaults, extraChecks: [spy] });
    expect(seen[2]).toEqual([1, 5, 'rotate']);
  });

  it('refuses a renderings choice the config schema does not know, at its line', async () => {
    const root = await createTempPack({ [RULE_FILE]: ruleText(), ...goldenFiles, 'dac.config.yml': 'properties:\n  renderings: some\n' });
    const { report } = await runTests({ repoRoot: root });
    expect(report.passed).toBe(false);
    expect(report.diagnostics).toContainEqual(expect.objectContaining({ file: 'dac.config.yml', line: 2, severity: 'error' }));
  });

  it('passes a rule whose golden events all get their verdicts, with full coverage', async () => {
    const { report } = await run(ruleText());
    const [rule] = report.rules;
    expect(rule?.failures).toEqual([]);
    expect(rule?.passed).toBe(true);
    expect(rule?.counts).toEqual({ truePositives: 2, trueNegatives: 3, falsePositives: 1 });
    expect(rule?.cases.map((c) => c.source)).toEqual(['sysmon-1', 'security-4688', 'sysmon-1', 'sysmon-1', 'security-4688', 'sysmon-1']);
    expect(rule?.coverage).toMatchObject({ percent: 100, values: { covered: 3, total: 3 }, conditions: { covered: 3, total: 3 } });
    expect(report.pack).toEqual({ name: 'test-pack', version: '1.2.3' });
  });

  it('fails a rule with a removed value, pointing at the item that no longer matches', async () => {
    const { report } = await run(ruleText({ images: ["'*\\whoami.exe'"] }));
    const [rule] = report.rules;
    expect(rule?.passed).toBe(false);
    const failure = rule?.failures.find((f) => f.check === 'golden');
    expect(failure).toMatchObject({ file: RULE_FILE, line: 17, message: `${TEST_DIR}/tp.xml #0: expected match, got no-match` });
    expect(failure?.details).toContain('selection.Image: C:\\Windows\\System32\\cmd.exe  (did not match: no value of Image matched)');
    expect(failure?.details).toContain('selection.ParentImage|endswith: C:\\Windows\\System32\\inetsrv\\w3wp.exe  (matched \\w3wp.exe)');
  });

  it('fails a rule with a flipped modifier', async () => {
    const { report } = await run(ruleText({ parentKey: 'ParentImage|startswith' }));
    const failures = report.rules[0]?.failures.filter((f) => f.check === 'golden') ?? [];
    expect(failures.length).toBe(3);
    expect(failures[0]).toMatchObject({ line: 16 });
    expect(failures[0]?.details).toContain('no value of ParentImage|startswith matched');
  });

  it('fails when the rule fires on a true negative, at the condition', async () => {
    const { report } = await run(ruleText({ parentKey: 'ParentImage|contains' }).replace("'\\w3wp.exe'", "'.exe'"));
    const failure = report.rules[0]?.failures.find((f) => f.check === 'golden' && f.message.includes('tn.xml'));
    expect(failure).toMatchObject({ line: 20, message: `${TEST_DIR}/tn.xml #0: expected no-match, got match` });
  });

  it('reports uncovered values and conditions below the required coverage', async () => {
    const { report } = await run(ruleText({ images: ["'*\\cmd.exe'", "'*\\whoami.exe'", "'*\\net.exe'"] }));
    const coverage = report.rules[0]?.coverage;
    expect(coverage?.values.uncovered).toEqual(['selection: Image = *\\net.exe (line 20)']);
    expect(report.rules[0]?.failures.find((f) => f.check === 'coverage')?.details).toContain('*\\net.exe');
  });

  it('does not count a pair that differs in more than one item as showing either matters (MC/DC)', async () => {
    const { report } = await run(ruleText({ images: ["'*\\cmd.exe'"] }), {
      [`${TEST_DIR}/rule-test.yml`]: `rule: ${RULE_ID}\nevents:\n  - file: tp.xml\n    verdict: match\n    provenance: synthesized by hand for the harness tests\n  - file: tn.xml\n    verdict: no-match\n    provenance: synthesized by hand for the harness tests\n`,
      [`${TEST_DIR}/tp.xml`]: sysmonEvent(W3WP, CMD),
      // explorer -> csc differs from the true positive in both items at once.
      [`${TEST_DIR}/tn.xml`]: sysmonEvent(EXPLORER, CSC),
    });
    expect(report.rules[0]?.coverage?.conditions).toEqual({
      covered: 1,
      total: 3,
      uncovered: ['selection: ParentImage|endswith (line 16)', 'selection: Image (line 17)'],
    });
  });

  it('holds the rule to the policy: documented false positives and verdicts per log source', async () => {
    const { report } = await run(ruleText({ status: 'test', falsepositives: ['Health checks that run whoami', 'Backup agents'] }), {
      [`${TEST_DIR}/tn.xml`]: sysmonEvent(EXPLORER, CMD),
    });
    const messages = report.rules[0]?.failures.filter((f) => f.check === 'policy').map((f) => [f.message, f.line]);
    expect(messages).toEqual([
      ['falsepositives entry 1 has no golden event that documents it', 23],
      ['status test needs a true negative from log source security-4688 (Security event 4688 (a new process has been created))', 12],
    ]);
  });

  it('fails a spec that tests another rule id, and a golden file that cannot be read', async () => {
    const { report } = await run(ruleText(), {
      [`${TEST_DIR}/rule-test.yml`]: spec.replace(RULE_ID, '11111111-2222-4333-8444-555555555555').replace('file: fp.xml', 'file: missing.xml'),
    });
    const messages = report.rules[0]?.failures.map((f) => f.message) ?? [];
    expect(messages.some((m) => m.includes('tests rule 11111111-2222-4333-8444-555555555555'))).toBe(true);
    expect(messages.some((m) => m.includes('missing.xml'))).toBe(true);
  });

  it('rewrites only the verdict words with --update, and says what it cannot rewrite', async () => {
    const { root, changes } = await run(ruleText({ images: ["'*\\cmd.exe'"] }), {
      [`${TEST_DIR}/fp.xml`]: sysmonEvent(W3WP, WHOAMI),
    }, true);
    const text = await readFile(join(root, TEST_DIR, 'rule-test.yml'), 'utf8');
    expect(text).toBe(spec.replace('verdict: false-positive', 'verdict: no-match'));
    expect(changes).toEqual([
      expect.objectContaining({ file: `${TEST_DIR}/tp.xml`, event: 1, from: 'match', to: 'no-match', applied: false }),
      expect.objectContaining({ file: `${TEST_DIR}/fp.xml`, event: 0, from: 'false-positive', to: 'no-match', applied: true }),
    ]);
  });

  it('fails a rule without golden events, and a rule that does not validate', async () => {
    const root = await createTempPack({ [RULE_FILE]: ruleText().replace('level: high', 'level: severe') });
    const { report } = await runTests({ repoRoot: root });
    const checks = Object.fromEntries(report.rules[0]?.checks.map((c) => [c.name, c.passed]) ?? []);
    expect(checks).toMatchObject({ validate: false, policy: false });
    expect(report.passed).toBe(false);
  });
});

describe('every rule in every result', () => {
  const OTHER_FILE = 'rules/windows/process_creation/proc_creation_win_test_broken.yml';
  const OTHER_ID = '5a5a5a5a-6b6b-4c7c-8d8d-9e9e9e9e9e9e';
  const broken = (body: string): string => `title: Broken Rule
id: ${OTHER_ID}
status: experimental
date: 2026-11-01
tags:
  - attack.execution
  - attack.t1059.001
logsource:
  category: process_creation
  product: windows
${body}`;
  const addBroken = `---\n"test-pack": minor\n---\n\nadded: ${OTHER_ID} Broken Rule\n`;

  it('makes a rule whose YAML does not parse a failed rule with its error and line, named from its text', async () => {
    const root = await createTempPack({
      [RULE_FILE]: ruleText(),
      ...goldenFiles,
      [OTHER_FILE]: broken('detection:\n  selection:\n\tImage: x\n  condition: selection\n'),
      '.changeset/add-broken.md': addBroken,
    });
    const { report } = await runTests({ repoRoot: root });
    expect(report.rules.map((r) => [r.file, r.passed])).toEqual([[OTHER_FILE, false], [RULE_FILE, true]]);
    const failed = report.rules[0]!;
    expect(failed).toMatchObject({ id: OTHER_ID, title: 'Broken Rule', tags: ['attack.execution', 'attack.t1059.001'] });
    expect(failed.loadError).toMatch(/^the rule could not be loaded: yaml\/tab-indentation .*\(line 13\)$/);
    expect(failed.failures).toEqual([expect.objectContaining({ check: 'validate', file: OTHER_FILE, line: 13 })]);
    // No other check claims to have run, and no version error is made up for a file that exists.
    expect(failed.checks.filter((c) => c.skipped === undefined).map((c) => c.name)).toEqual(['validate']);
    expect(report.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('says nothing of a released rule being gone when its file is there but broken', async () => {
    const root = await createTempPack({ [RULE_FILE]: ruleText(), ...goldenFiles });
    const { execFileSync } = await import('node:child_process');
    const { writeFile } = await import('node:fs/promises');
    // Release the rule: lock it, then break its YAML.
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'pipe' });
    git('init', '-q');
    const { main } = await import('../../../src/cli/main.js');
    const { captureIo } = await import('../cli/capture-io.js');
    expect(await main(['lock'], captureIo(root))).toBe(0);
    await writeFile(join(root, RULE_FILE), ruleText().replace('  selection:\n', '  selection:\n\t'));
    const { report } = await runTests({ repoRoot: root });
    expect(report.rules).toHaveLength(1);
    expect(report.rules[0]?.passed).toBe(false);
    expect(report.rules[0]?.checks.find((c) => c.name === 'version')?.skipped).toMatch(/could not be read/);
    const everything = JSON.stringify(report);
    expect(everything).not.toMatch(/is gone/);
  });

  it('makes a rule whose condition does not parse a failed rule; the counts add up', async () => {
    const root = await createTempPack({
      [RULE_FILE]: ruleText(),
      ...goldenFiles,
      [OTHER_FILE]: broken("detection:\n  selection:\n    Image|endswith: '\\\\cmd.exe'\n  condition: selection and (\n"),
      '.changeset/add-broken.md': addBroken,
    });
    const { report } = await runTests({ repoRoot: root });
    expect(report.rules.filter((r) => r.passed)).toHaveLength(1);
    expect(report.rules.filter((r) => !r.passed).map((r) => [r.title, r.loadError?.startsWith('the rule could not be parsed: condition/syntax')])).toEqual([['Broken Rule', true]]);
    expect(report.passed).toBe(false);
  });

  it('shows a missing scenario spec as a gap, failing only when dac.config.yml says so', async () => {
    const allowed = await runTests({ repoRoot: await createTempPack({ [RULE_FILE]: ruleText(), ...goldenFiles }) });
    expect(allowed.report.rules[0]?.gaps).toEqual([{ kind: 'no-scenario-spec', message: `no scenario spec: ${TEST_DIR}/scenarios.yml does not exist, so no property is checked`, fails: false }]);
    expect(allowed.report.rules[0]?.passed).toBe(true);
    const required = await runTests({
      repoRoot: await createTempPack({ [RULE_FILE]: ruleText(), ...goldenFiles, 'dac.config.yml': 'policy: { require-scenarios: true }\nproperties: { runs: 5, seed: 1 }\n' }),
    });
    const rule = required.report.rules[0];
    expect(rule?.gaps[0]?.fails).toBe(true);
    expect(rule?.passed).toBe(false);
    expect(rule?.failures.map((f) => f.message)).toContain(`the rule has no scenario spec: ${TEST_DIR}/scenarios.yml does not exist, so no property is checked (dac.config.yml: policy.require-scenarios)`);
  });

  it('shows missing golden events as a gap, and accounts for every record of the golden files', async () => {
    const noTests = await runTests({ repoRoot: await createTempPack({ [RULE_FILE]: ruleText(), 'dac.config.yml': 'policy: { require-tests: false }\n' }) });
    expect(noTests.report.rules[0]?.gaps.map((g) => [g.kind, g.fails])).toEqual([['no-golden-events', false], ['no-scenario-spec', false]]);
    const { report } = await run(ruleText(), { [`${TEST_DIR}/tn.xml`]: `<Events>${sysmonEvent(EXPLORER, CMD)}<Event><System><Channel>Microsoft-Windows-Bits-Client/Operational</Channel><EventID>59</EventID></System></Event><Event><Broken></Event></Events>` });
    const tn = report.rules[0]?.inputs.find((input) => input.file.endsWith('tn.xml'));
    expect(tn).toMatchObject({ read: 3, recognised: [{ source: 'channel-bits-client', count: 1 }, { source: 'sysmon-1', count: 1 }], unrecognised: [], skipped: [expect.objectContaining({ code: 'events/malformed-xml', count: 1, first: 2 })] });
  });
});

describe('correlation rules in the rules folder', () => {
  it('are reports of their own: validated and versioned, not replayed, and say so', async () => {
    const CORRELATION = 'rules/windows/process_creation/mr_test_shell_burst.yml';
    const CORRELATION_ID = '6c6c6c6c-7d7d-4e8e-9f9f-0a0a0a0a0a0a';
    const root = await createTempPack({
      [RULE_FILE]: ruleText(),
      ...goldenFiles,
      [CORRELATION]: `title: Shell Burst\nid: ${CORRELATION_ID}\nstatus: test\ndate: 2026-11-01\ntags:\n  - attack.t1505.003\ncorrelation:\n  type: event_count\n  rules:\n    - ${RULE_ID}\n  group-by:\n    - Computer\n  timespan: 5m\n  condition:\n    gte: 5\nlevel: high\n`,
      '.changeset/add-burst.md': `---\n"test-pack": minor\n---\n\nadded: ${CORRELATION_ID} Shell Burst\n`,
    });
    const { report } = await runTests({ repoRoot: root });
    const correlation = report.rules.find((r) => r.file === CORRELATION);
    expect(correlation).toMatchObject({ id: CORRELATION_ID, title: 'Shell Burst', passed: true, tags: ['attack.t1505.003'] });
    expect(correlation?.checks.find((c) => c.name === 'golden')?.skipped).toBe('a correlation rule is not replayed event by event');
    expect(correlation?.checks.find((c) => c.name === 'version')).toEqual({ name: 'version', passed: true });
    expect(report.rules).toHaveLength(2);
  });
});
