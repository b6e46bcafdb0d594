import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { runTests } from '../../../src/harness/run-tests.js';
import { createTempPack, RULE_FILE, ruleText, TEST_DIR } from '../harness/temp-pack.js';
import { captureIo } from './capture-io.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const CAPTURE = join(repoRoot, 'tests/fixtures/evtx/exec_sysmon_1_11_lolbin_rundll32_openurl_FileProtocolHandler.evtx');
const SOURCE = 'captured: EVTX-ATTACK-SAMPLES, a privilege escalation tool on a Windows 7 host';

async function golden(root: string, ...args: string[]) {
  const io = captureIo(root);
  const code = await main(['golden', 'add', ...args], io);
  return { code, out: io.out(), err: io.err() };
}

describe('dac golden add', () => {
  it('copies chosen EVTX records as Event XML into a new golden set, with provenance, and dac test replays them', async () => {
    const root = await createTempPack({ [RULE_FILE]: ruleText({ falsepositives: ['Unknown'] }) });
    const result = await golden(root, RULE_FILE, `${CAPTURE}#2,3`, '--verdict', 'no-match', '--source', SOURCE);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toBe(
      `copied 2 events into ${TEST_DIR}/events/exec_sysmon_1_11_lolbin_rundll32_openurl_FileProtocolHandler-2-3.xml (verdict no-match); the rule fires on 0 of 2 today\n` +
        `${TEST_DIR}/rule-test.yml: created with 1 entry; run npx dac test to replay them\n`,
    );
    const spec = await readFile(join(root, TEST_DIR, 'rule-test.yml'), 'utf8');
    expect(spec).toContain('verdict: no-match');
    expect(spec).toMatch(/provenance: "captured: EVTX-ATTACK-SAMPLES, a privilege escalation tool on a Windows 7 host; copied by dac golden add from .*exec_sysmon_1_11_lolbin_rundll32_openurl_FileProtocolHandler\.evtx, events #2 \(Microsoft-Windows-Sysmon\/Operational 1, EventRecordID 16388\), #3 \(Microsoft-Windows-Sysmon\/Operational 1, EventRecordID 16389\), file SHA-256 [0-9a-f]{64}"/);
    const { report } = await runTests({ repoRoot: root });
    const cases = report.rules[0]?.cases ?? [];
    expect(cases.map((c) => [c.event, c.source, c.passed])).toEqual([[0, 'sysmon-1', true], [1, 'sysmon-1', true]]);
    expect(Object.entries(cases[0]?.decidingFields ?? {}).find(([field]) => field.endsWith('.Image'))?.[1]).toMatch(/^C:\\Windows\\System32\\rundll32\.exe/);
  });

  it('appends to an existing rule-test.yml, keeping its comments, and never reuses an event file name', async () => {
    const spec = `# my comment\nrule: 0b8e6f7a-3c1d-4e2f-9a5b-6c7d8e9f0a1b\nevents:\n  # keep me\n  - file: events/x.xml\n    verdict: match\n    provenance: written by hand for this test\n`;
    const root = await createTempPack({ [RULE_FILE]: ruleText(), [`${TEST_DIR}/rule-test.yml`]: spec, [`${TEST_DIR}/events/picked.xml`]: '<Events/>\n' });
    const result = await golden(root, RULE_FILE, `${CAPTURE}#0`, '--verdict', 'false-positive=Health', '--source', SOURCE, '--name', 'picked');
    expect(result.code).toBe(0);
    const text = await readFile(join(root, TEST_DIR, 'rule-test.yml'), 'utf8');
    expect(text.startsWith(spec)).toBe(true);
    expect(text.slice(spec.length)).toMatch(/^  - file: events\/picked-2\.xml\n    verdict: false-positive\n    falsepositive: 0\n    provenance: ".*"\n$/);
    expect(await readFile(join(root, TEST_DIR, 'events/picked.xml'), 'utf8')).toBe('<Events/>\n');
  });

  it('copies a YAML file of taxonomy events whole, after reading it, and refuses one that does not read', async () => {
    const events = '# w3wp starting cmd\n- ParentImage: C:\\Windows\\System32\\inetsrv\\w3wp.exe\n  Image: C:\\Windows\\System32\\cmd.exe\n';
    const root = await createTempPack({ [RULE_FILE]: ruleText({ falsepositives: ['Unknown'] }), 'mine/iis-cmd.yml': events, 'mine/broken.yml': '- Image: [a, b]\n' });
    const result = await golden(root, RULE_FILE, 'mine/iis-cmd.yml', '--verdict', 'match', '--source', 'written by hand after a web shell demo');
    expect(result.out).toContain(`copied 1 event into ${TEST_DIR}/events/iis-cmd.yml (verdict match); dac test renders them into every shape of the rule's log sources`);
    expect(await readFile(join(root, TEST_DIR, 'events/iis-cmd.yml'), 'utf8')).toBe(events);
    const { report } = await runTests({ repoRoot: root });
    expect(report.rules[0]?.cases.map((c) => c.rendering)).toHaveLength(8);
    const broken = await golden(root, RULE_FILE, 'mine/broken.yml', '--verdict', 'match', '--source', 'written by hand, broken on purpose');
    expect(broken.code).toBe(1);
    expect(broken.err).toMatch(/mine\/broken\.yml:1:3: event 0: field 'Image' must be text or a number, not a list; nothing was added/);
    expect((await golden(root, RULE_FILE, 'mine/iis-cmd.yml#0', '--verdict', 'match', '--source', 'written by hand after a web shell demo')).err).toMatch(/copied whole; drop the #positions/);
  });

  it('copies flat events as NDJSON', async () => {
    const root = await createTempPack({ [RULE_FILE]: ruleText(), 'captures/flat.ndjson': '{"Image":"C:\\\\Windows\\\\System32\\\\cmd.exe","ParentImage":"C:\\\\Windows\\\\explorer.exe"}\n' });
    const result = await golden(root, RULE_FILE, 'captures/flat.ndjson', '--verdict', 'no-match', '--source', SOURCE);
    expect(result.code).toBe(0);
    expect(await readFile(join(root, TEST_DIR, 'events/flat.ndjson'), 'utf8')).toBe('{"Image":"C:\\\\Windows\\\\System32\\\\cmd.exe","ParentImage":"C:\\\\Windows\\\\explorer.exe"}\n');
    expect(await readFile(join(root, TEST_DIR, 'rule-test.yml'), 'utf8')).toContain('copied by dac golden add from captures/flat.ndjson, all 1 events');
  });

  it.each([
    [['--verdict', 'match', '--source', SOURCE], /no capture to copy from/],
    [[`${CAPTURE}#0`, '--source', SOURCE], /--verdict VERDICT is required/],
    [[`${CAPTURE}#0`, '--verdict', 'maybe', '--source', SOURCE], /--verdict takes match, no-match or false-positive=ENTRY, not 'maybe'/],
    [[`${CAPTURE}#0`, '--verdict', 'match'], /--source TEXT is required/],
    [[`${CAPTURE}#0`, '--verdict', 'match', '--source', 'short'], /give --source at least 10 characters/],
    [[`${CAPTURE}#0`, '--verdict', 'false-positive=Backups', '--source', SOURCE], /the rule has no falsepositives entry 'Backups' \(it has 0: Health checks that run whoami\)/],
    [['nothing-here.evtx#0', '--verdict', 'match', '--source', SOURCE], /nothing-here\.evtx: no such file/],
    [[`${CAPTURE}#0`, '--verdict', 'match', '--source', SOURCE, '--name', '../escape'], /--name takes a plain file name/],
  ])('refuses %j as a usage error, writing nothing', async (args, message) => {
    const root = await createTempPack({ [RULE_FILE]: ruleText() });
    const result = await golden(root, RULE_FILE, ...args);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(message);
    expect(existsSync(join(root, TEST_DIR))).toBe(false);
  });

  it('refuses an event the capture does not have and a rule outside the repository, writing nothing', async () => {
    const root = await createTempPack({ [RULE_FILE]: ruleText() });
    const missing = await golden(root, RULE_FILE, `${CAPTURE}#1`, `${CAPTURE}#99`, '--verdict', 'match', '--source', SOURCE);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/exec_sysmon_1_11_lolbin_rundll32_openurl_FileProtocolHandler\.evtx has no event #99 \(it holds 11, numbered from 0\); nothing was added/);
    expect(existsSync(join(root, TEST_DIR))).toBe(false);
    const other = await createTempPack({ [RULE_FILE]: ruleText() });
    const outside = await golden(root, join(other, RULE_FILE), `${CAPTURE}#1`, '--verdict', 'match', '--source', SOURCE);
    expect(outside.code).toBe(2);
    expect(outside.err).toMatch(/is outside this repository/);
  });

  it('refuses a rule-test.yml it cannot edit safely, leaving it and the events folder as they were', async () => {
    const spec = 'rule: 0b8e6f7a-3c1d-4e2f-9a5b-6c7d8e9f0a1b\nevents: [{ file: a.xml, verdict: match, provenance: written by hand for this test }]\n';
    const root = await createTempPack({ [RULE_FILE]: ruleText(), [`${TEST_DIR}/rule-test.yml`]: spec });
    const result = await golden(root, RULE_FILE, `${CAPTURE}#0`, '--verdict', 'match', '--source', SOURCE);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/written as a flow list; add the entry by hand; nothing was added/);
    expect(await readFile(join(root, TEST_DIR, 'rule-test.yml'), 'utf8')).toBe(spec);
    expect(existsSync(join(root, TEST_DIR, 'events'))).toBe(false);
  });

  it('answers --help on stdout', async () => {
    const io = captureIo(repoRoot);
    expect(await main(['golden', '--help'], io)).toBe(0);
    expect(io.out()).toMatch(/^usage: dac golden add --verdict VERDICT --source TEXT \[options\] RULE FILE\[#N/);
    const help = captureIo(repoRoot);
    expect(await main(['help', 'golden'], help)).toBe(0);
    expect(help.out()).toBe(io.out());
    const bare = captureIo(repoRoot);
    expect(await main(['golden'], bare)).toBe(2);
    expect(bare.err()).toMatch(/^dac golden add: give the subcommand: dac golden add\nusage: dac golden add/);
  });
});
