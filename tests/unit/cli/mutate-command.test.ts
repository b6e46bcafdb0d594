import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import type { TestReport } from '../../../src/harness/test-report.js';
import { GOLDEN_EVENTS, GOLDEN_SPEC, createMutationPack, RULE_FILE, TEST_DIR } from '../mutate/mutation-pack.js';
import { RULE_ID, ruleText } from '../harness/temp-pack.js';
import { captureIo } from './capture-io.js';

const SURVIVOR = "wildcard selection/Image: '*\\whoami.exe' -> '*\\whoami.exe*'";
/** The pack without the one golden event that kills SURVIVOR (IIS starting a renamed whoami.exe). */
const withoutOneEvent = { tn: GOLDEN_EVENTS.tn.filter((event) => !event.includes('whoami.exe.bak')) };

const marks = (...entries: [string, string][]): string =>
  `rule: ${RULE_ID}\nequivalent:\n${entries.map(([mutant, reason]) => `  - mutant: ${JSON.stringify(mutant)}\n    reason: ${JSON.stringify(reason)}\n`).join('')}`;

describe('dac mutate', () => {
  it('kills every mutant of a well-tested rule, prints its score and writes it into every report', async () => {
    const root = await createMutationPack();
    const capture = captureIo(root, { isTTY: true });
    expect(await main(['mutate', '--threads', '1', '--report-dir', 'out'], capture)).toBe(0);
    // On a terminal: the rules' tests as dac test draws them, then a bar over the mutants.
    expect(capture.err()).toContain('testing |');
    expect(capture.err()).toMatch(/mutating \|.*\| mutants judged \d+\/16/);
    expect(capture.out()).toMatch(new RegExp(`^PASS {2}${RULE_FILE.replace(/\./g, '\\.')} {2}mutation score 100% \\(threshold 100%\\) {2}mutants 16: killed 16 \\(golden 16, properties 0\\), survived 0, equivalent 0`, 'm'));
    expect(capture.out()).toMatch(/^1 passed, 0 failed; 16 mutants judged in [\d.]+ s \(16 by golden replay alone, 0 through the properties\)$/m);
    const out = (name: string): Promise<string> => readFile(join(root, 'out', name), 'utf8');
    const report = JSON.parse(await out('report.json')) as TestReport;
    expect(report.rules[0]?.mutation).toMatchObject({ mutants: 16, killed: 16, survived: 0, score: 100, threshold: 100 });
    expect(report.rules[0]?.mutation?.results.every((result) => result.status === 'killed' && result.detail?.startsWith('golden: '))).toBe(true);
    expect(report.rules[0]?.checks.filter((check) => check.name === 'mutation')).toEqual([{ name: 'mutation', passed: true }]);
    expect(await out('junit.xml')).toContain('<property name="mutation.score" value="100"/>');
    expect(await out('junit.xml')).toContain('<testcase name="mutation"');
    expect(await out('summary.md')).toMatch(/### Mutation score[\s\S]*\| ✅ 100% \| Shell from IIS/);
    expect(JSON.parse(await out('results.sarif')).runs[0].automationDetails).toEqual({ id: 'dac-mutate/' });
    expect(JSON.parse(await out('results.sarif')).runs[0].properties.mutation).toEqual([
      { ruleId: RULE_ID, ruleFile: RULE_FILE, score: 100, threshold: 100, mutants: 16, killed: 16, survived: 0, equivalent: 0 },
    ]);
    expect(await out('report.html')).toContain('<span data-col="mutation" data-value="0"');
    expect(await out('report.html')).toContain('mutation score 100% (threshold 100%)');
  });

  it('names the mutant a removed golden event let survive, with its diff and the event that kills it; adding that event kills it', async () => {
    const root = await createMutationPack(withoutOneEvent);
    const capture = captureIo(root);
    expect(await main(['mutate', '--threads', '1', '--report-dir', 'out'], capture)).toBe(1);
    const out = capture.out();
    expect(out).toMatch(/^FAIL .* mutation score 93\.7% \(threshold 100%\) {2}mutants 16: killed 15 .* survived 1, equivalent 0/m);
    expect(out).toContain(`${RULE_FILE}:19:9 mutation: surviving mutant ${SURVIVOR}`);
    expect(out).toContain("    -      - '*\\whoami.exe'\n    +      - '*\\whoami.exe*'\n");
    expect(out).toMatch(/the event that kills it \(found in \d+ generated samples? from seed 1, shrunk \d+ times\): w3wp\.exe -> whoami\.exe\.bak, background: in no true- or false-positive space; the rule says no-match, the mutant match/);
    const summary = await readFile(join(root, 'out', 'summary.md'), 'utf8');
    expect(summary).toContain("surviving mutant wildcard selection/Image: '\\*\\\\whoami.exe' -\\> '\\*\\\\whoami.exe\\*'");
    expect(summary).toContain("```diff\n--- rules/windows/process_creation/proc_creation_win_test_shell.yml\n");
    expect(summary).toContain('w3wp.exe -> whoami.exe.bak');

    // Do what the hint says: save the event and add the entry, and the mutant dies.
    const lines = out.split('\n').map((line) => line.replace(/^ {4}/, ''));
    const saveAt = lines.findIndex((line) => line.startsWith('golden event (sysmon-xml; save as '));
    const path = /save as (.*)\):$/.exec(lines[saveAt] ?? '')?.[1] ?? '';
    expect(path).toBe(`${TEST_DIR}/events/mutant-w3wp-whoami-exe-bak.sysmon.xml`);
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), `${lines[saveAt + 1]}\n`);
    const entry = lines.slice(saveAt + 3, saveAt + 6).join('\n');
    expect(entry).toMatch(/^ {2}- file: events\/mutant-w3wp-whoami-exe-bak\.sysmon\.xml\n {4}verdict: no-match\n {4}provenance: "generated by dac mutate/);
    await writeFile(join(root, TEST_DIR, 'rule-test.yml'), `${GOLDEN_SPEC}${entry}\n`);
    const again = captureIo(root);
    expect(await main(['mutate', '--threads', '1'], again)).toBe(0);
    expect(again.out()).toContain('killed 16 (golden 16, properties 0)');
  });

  it('holds the score to the threshold of dac.config.yml, still showing the survivors it tolerates', async () => {
    const root = await createMutationPack({ ...withoutOneEvent, files: { 'dac.config.yml': 'properties: { runs: 5, seed: 1 }\npolicy:\n  minimum-mutation-score: 85\n' } });
    const capture = captureIo(root);
    const code = await main(['mutate', '--threads', '1', '--operators', 'wildcard,drop-value'], capture);
    expect(capture.out()).toMatch(/^PASS .* mutation score 85\.7% \(threshold 85%\) {2}mutants 7: killed 6 .* survived 1/m);
    expect(capture.out()).toContain(`${RULE_FILE}:19:9 mutation: surviving mutant (within the threshold) ${SURVIVOR}`);
    expect(capture.out()).toContain('the event that kills it');
    expect(code).toBe(0);
  });

  it('checks every equivalence mark: a killed, a told-apart and a missing mutant fail; a true one leaves the score', async () => {
    const root = await createMutationPack({
      ...withoutOneEvent,
      files: {
        [`${TEST_DIR}/mutants.yml`]: marks(
          [SURVIVOR, 'marked on purpose, although an event tells it apart'],
          ["drop-value selection/Image: drop '*\\cmd.exe'", 'marked on purpose, although a golden event kills it'],
          ['drop-value selection/Image: drop nothing', 'marked on purpose: no mutant has this name'],
        ),
      },
    });
    const capture = captureIo(root);
    expect(await main(['mutate', '--threads', '1', '--operators', 'wildcard,drop-value'], capture)).toBe(1);
    const out = capture.out();
    expect(out).toContain(`${TEST_DIR}/mutants.yml:3:13 mutation: '${SURVIVOR}' is marked equivalent, but a generated event tells it from the rule: w3wp.exe -> whoami.exe.bak`);
    expect(out).toContain(`${TEST_DIR}/mutants.yml:5:13 mutation: 'drop-value selection/Image: drop '*\\cmd.exe'' is marked equivalent, but the rule's golden kill it`);
    expect(out).toContain(`${TEST_DIR}/mutants.yml:7:13 mutation: mutants.yml marks 'drop-value selection/Image: drop nothing' equivalent, but no mutant of the rule has this name`);

    // Without the look-alike in the spec nothing tells the survivor apart: marked, it is equivalent.
    const blind = await createMutationPack({
      ...withoutOneEvent,
      files: {
        [`${TEST_DIR}/scenarios.yml`]: `rule: ${RULE_ID}\ntruePositives:\n  - name: iis starts cmd\n    parents: { names: [w3wp.exe] }\n    children: { names: [cmd.exe] }\nfalsePositives:\n  - name: iis runs whoami\n    falsepositive: 0\n    parents: { names: [w3wp.exe] }\n    children: { names: [whoami.exe] }\n`,
        [`${TEST_DIR}/mutants.yml`]: marks([SURVIVOR, 'no process the rule watches is named whoami.exe followed by more text']),
      },
    });
    const equivalent = captureIo(blind);
    expect(await main(['mutate', '--threads', '1', '--operators', 'wildcard', '--hint-runs', '300'], equivalent)).toBe(0);
    expect(equivalent.out()).toMatch(/mutation score 100% \(threshold 100%\) {2}mutants 5: killed 4 \(golden 4, properties 0\), survived 0, equivalent 1/);
  });

  it('reports a broken mutants.yml at its line', async () => {
    const root = await createMutationPack({ files: { [`${TEST_DIR}/mutants.yml`]: `rule: ${RULE_ID}\nequivalent:\n  - mutant: x\n    reason: short\n` } });
    const capture = captureIo(root);
    expect(await main(['mutate', '--threads', '1', '--operators', 'add-not'], capture)).toBe(1);
    expect(capture.out()).toMatch(new RegExp(`${TEST_DIR}/mutants.yml:4:13 mutation: schema/`));
  });

  it('judges no mutant of a rule that fails its own tests, and says so in its one mutation check', async () => {
    const root = await createMutationPack({ files: { [`${TEST_DIR}/fp.xml`]: GOLDEN_EVENTS.tn[0] as string } });
    const capture = captureIo(root);
    expect(await main(['mutate', '--threads', '1', '--report-dir', 'out'], capture)).toBe(1);
    const skipped = 'the rule fails its own golden and properties checks, and a mutant can only be judged against a rule that passes its tests';
    expect(capture.out()).toMatch(new RegExp(`^FAIL .* mutation - {2}\\(${skipped.replace(/[()]/g, '\\$&')}\\)$`, 'm'));
    const report = JSON.parse(await readFile(join(root, 'out', 'report.json'), 'utf8')) as TestReport;
    expect(report.rules[0]?.checks.filter((check) => check.name === 'mutation')).toEqual([{ name: 'mutation', passed: true, skipped }]);
    expect(report.rules[0]?.passed).toBe(false);
  });

  it('keeps a rule that does not load in every report, with its mutation check skipped', async () => {
    const root = await createMutationPack({ files: { 'rules/windows/process_creation/proc_creation_win_broken.yml': 'title: broken\n\tdetection: [\n' } });
    const capture = captureIo(root);
    expect(await main(['mutate', '--threads', '1', '--operators', 'add-not', '--report-dir', 'out'], capture)).toBe(1);
    expect(capture.out()).toMatch(/^FAIL {2}rules\/windows\/process_creation\/proc_creation_win_broken\.yml {2}mutation - {2}\(the rule could not be loaded\)$/m);
    expect(capture.out()).toMatch(/^PASS {2}rules\/windows\/process_creation\/proc_creation_win_test_shell\.yml {2}mutation score 100%/m);
    const report = JSON.parse(await readFile(join(root, 'out', 'report.json'), 'utf8')) as TestReport;
    expect(report.rules.map((rule) => rule.checks.filter((check) => check.name === 'mutation').length)).toEqual([1, 1]);
    const junit = await readFile(join(root, 'out', 'junit.xml'), 'utf8');
    expect(junit.match(/<testcase name="mutation"/g)).toHaveLength(2);
  });

  it('shows the control characters of a rule value escaped in what it prints', async () => {
    // A value holding ESC (YAML's \\e): the mutant that drops it is named, and its name printed, escaped.
    const root = await createMutationPack({ files: { [RULE_FILE]: ruleText({ images: ["'*\\cmd.exe'", "'*\\whoami.exe'", '"*\\\\evil\\e[2J.exe"'] }) } });
    const capture = captureIo(root);
    expect(await main(['mutate', '--threads', '1', '--operators', 'drop-value', '--hint-runs', '0'], capture)).toBe(1);
    expect(capture.out()).toContain("surviving mutant drop-value selection/Image: drop '*\\evil\\x1b[2J.exe'");
    expect(capture.out() + capture.err()).not.toContain('\u001b');
  });

  it('judges the same on worker threads as in this thread', async () => {
    // With only Explorer starting cmd.exe as a true negative, several mutants are left for the properties.
    const root = await createMutationPack({ tn: [GOLDEN_EVENTS.tn[0] as string] });
    const judge = async (threads: string): Promise<{ out: string; mutation: unknown }> => {
      const capture = captureIo(root);
      await main(['mutate', '--threads', threads, '--report-dir', `out-${threads}`, '--hint-runs', '200'], capture);
      return { out: capture.out(), mutation: (JSON.parse(await readFile(join(root, `out-${threads}`, 'report.json'), 'utf8')) as TestReport).rules[0]?.mutation };
    };
    const here = await judge('1');
    const workers = await judge('2');
    expect(workers.out).toMatch(/mutants judged in [\d.]+ s \(\d+ by golden replay alone, [2-9]\d* through the properties on 2 worker threads\)/);
    expect(here.out).toMatch(/through the properties\)$/m);
    expect(workers.mutation).toEqual(here.mutation);
  });

  it('mutates only the rules named, or changed since a git ref; a ref git cannot resolve is a usage error', async () => {
    const root = await createMutationPack();
    const git = (...args: string[]): string => execFileSync('git', ['-c', 'user.name=T', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], { cwd: root, encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'base');
    const unchanged = captureIo(root);
    expect(await main(['mutate', '--changed-since', 'HEAD', '--threads', '1'], unchanged)).toBe(0);
    expect(unchanged.err()).toContain('rules changed since HEAD: none');
    expect(unchanged.out()).toMatch(/^0 passed, 0 failed; 0 mutants judged/m);
    await writeFile(join(root, TEST_DIR, 'rule-test.yml'), `# edited\n${GOLDEN_SPEC}`);
    const changed = captureIo(root);
    expect(await main(['mutate', '--changed-since', 'HEAD', '--threads', '1', '--operators', 'add-not'], changed)).toBe(0);
    expect(changed.err()).toContain(`rules changed since HEAD: ${RULE_FILE}`);
    const unknown = captureIo(root);
    expect(await main(['mutate', '--changed-since', 'no-such-branch'], unknown)).toBe(2);
    expect(unknown.err()).toMatch(/^dac mutate: --changed-since no-such-branch: git cannot resolve 'no-such-branch' to a commit/);
    expect(unknown.out()).toBe('');
    const named = captureIo(root);
    expect(await main(['mutate', 'rules/windows/', '--threads', '1', '--operators', 'drop-value'], named)).toBe(0);
    expect(named.out()).toContain('mutants 2: killed 2');
  });

  it.each([
    [['--operators', 'drop-value,flip-coin'], /unknown operator 'flip-coin'; choose from drop-value, /],
    [['--threads', '0'], /--threads must be at least 1/],
    [['--runs', 'many'], /--runs takes a whole number, not 'many'/],
    [['--renderings', 'some'], /--renderings takes rotate, all, not 'some'/],
    [['rules/nope.yml'], /'rules\/nope.yml' is not a rule file of the pack \(rules\/\) nor a folder holding one/],
    [['--bogus'], /Unknown option/],
  ])('rejects %j as a usage error', async (args, message) => {
    const capture = captureIo(await createMutationPack());
    expect(await main(['mutate', ...args], capture)).toBe(2);
    expect(capture.err()).toMatch(message);
    expect(capture.err()).toContain("run 'dac mutate --help' to see every option");
  });

  it('answers --help from its declared options, and dac help lists it', async () => {
    const capture = captureIo(process.cwd());
    expect(await main(['mutate', '--help'], capture)).toBe(0);
    expect(capture.out()).toMatch(/^usage: dac mutate \[options\] \[RULE\|FOLDER\.\.\.\]/);
    for (const option of ['--changed-since REF', '--report-dir DIR', '--seed N', '--runs N', '--renderings rotate|all', '--hint-runs N', '--threads N', '--operators IDS']) {
      expect(capture.out()).toContain(option);
    }
    const help = captureIo(process.cwd());
    await main(['help'], help);
    expect(help.out()).toMatch(/^ {2}mutate {2,}prove each rule's tests kill its mutants/m);
  });
});
