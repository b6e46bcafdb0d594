import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { captureIo } from './capture-io.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const RULE = 'rules/windows/process_creation/proc_creation_win_webshell_spawn.yml';
const SPEC = 'tests/rules/proc_creation_win_webshell_spawn';
const W3WP = 'C:\\Windows\\System32\\inetsrv\\w3wp.exe';

const flat = (fields: Record<string, string>): string => JSON.stringify(fields);
const events = [
  // 0: IIS runs a shell: a true positive.
  flat({ ParentImage: W3WP, ParentCommandLine: `${W3WP} -ap "DefaultAppPool"`, Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c whoami', User: 'IIS APPPOOL\\DefaultAppPool' }),
  // 1: the HealthCheck pool runs ipconfig: the documented false positive, told by the account alone.
  flat({ ParentImage: W3WP, Image: 'C:\\Windows\\System32\\ipconfig.exe', CommandLine: 'ipconfig /all', User: 'IIS APPPOOL\\HealthCheck' }),
  // 2: a person opens a console: silence.
  flat({ ParentImage: 'C:\\Windows\\explorer.exe', Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd.exe', User: 'CONTOSO\\alice' }),
  // 3: a program the catalogue does not know, under IIS: silence.
  flat({ ParentImage: W3WP, Image: 'C:\\inetpub\\tools\\report-builder.exe', CommandLine: 'report-builder.exe', User: 'IIS APPPOOL\\DefaultAppPool' }),
  // 4: Jenkins' java.exe runs a build step: silence.
  flat({ ParentImage: 'C:\\Program Files\\Java\\jdk-17\\bin\\java.exe', ParentCommandLine: 'java -jar jenkins.war --httpPort=8080', Image: 'C:\\Windows\\System32\\cmd.exe', CommandLine: 'cmd /c build.bat', User: 'NT AUTHORITY\\SYSTEM' }),
  // 5: no parent image (Security 4688 before version 2): not predictable.
  flat({ Image: 'C:\\Windows\\System32\\whoami.exe', CommandLine: 'whoami', User: 'IIS APPPOOL\\DefaultAppPool' }),
  // 6: Tomcat's service runner starts PowerShell: a true positive.
  flat({ ParentImage: 'C:\\Program Files\\Apache Software Foundation\\Tomcat 9.0\\bin\\Tomcat9.exe', Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', CommandLine: 'powershell -enc AAAA', User: 'NT AUTHORITY\\LOCAL SERVICE' }),
  // 7: a look-alike: silence.
  flat({ ParentImage: W3WP, Image: 'C:\\inetpub\\wwwroot\\notcmd.exe', CommandLine: 'notcmd.exe /c dir', User: 'IIS APPPOOL\\DefaultAppPool' }),
];

async function replay(rule = RULE, extra: readonly string[] = []) {
  const dir = await mkdtemp(path.join(tmpdir(), 'dac-predict-'));
  const file = path.join(dir, 'captured.ndjson');
  await writeFile(file, `${events.join('\n')}\n`);
  const io = captureIo(repoRoot);
  const code = await main(['predict', '--rule', rule, ...extra, file], io);
  return { code, out: io.out(), err: io.err(), file, dir };
}

/** The web-shell rule with its detection edited, written beside the events, checked against the real spec. */
async function editedRule(edit: (text: string) => string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'dac-predict-rule-'));
  const file = path.join(dir, 'proc_creation_win_webshell_spawn.yml');
  const text = await readFile(path.join(repoRoot, RULE), 'utf8');
  const edited = edit(text);
  expect(edited).not.toBe(text);
  await writeFile(file, edited);
  return file;
}

describe('dac predict', () => {
  it('places every captured process creation in the spec and agrees with the rule on each', async () => {
    const { code, out } = await replay();
    expect(out).toContain('events are named FILE:N, N the 0-based position of the event in FILE, as dac scan names them');
    expect(out).toContain("8 events read, 8 process creations of the rule's log sources: 7 placed, 1 not placed");
    expect(out).toMatch(/fired as the spec predicts: 3\n {4}true-positive 'web server starts a shell or tool': 2\n {4}false-positive 'health-check pool runs whoami and ipconfig': 1\n/);
    expect(out).toContain('quiet as the spec predicts: 4');
    // The one it cannot place is listed with its position and reason, and counted.
    expect(out).toContain('captured.ndjson:5: not placed: parent: the event has no image path');
    expect(out).toContain('not placed (listed above): 1\n    parent: the event has no image path: 1');
    expect(out).toMatch(/captured\.ndjson: 8 records read: 0 recognised, 8 as taxonomy fields, 0 not recognised, 0 skipped/);
    expect(out).toContain('the spec predicts every verdict of the 7 process creations it placed');
    expect(code).toBe(0);
  });

  it('agrees on the whole golden set and the real EVTX captures', async () => {
    const folder = path.join(SPEC, 'events');
    const { readdir } = await import('node:fs/promises');
    const files = [...(await readdir(path.join(repoRoot, folder))).map((name) => path.join(folder, name)), 'tests/fixtures/evtx/tutto_malseclogon.evtx'];
    const io = captureIo(repoRoot);
    expect(await main(['predict', '--rule', RULE, ...files], io)).toBe(0);
    expect(io.out()).toMatch(/fired as the spec predicts: [1-9]\d*/);
    expect(io.out()).toContain('fired where the spec predicts silence: 0');
    expect(io.out()).toContain('quiet where the spec predicts a firing: 0');
  });

  it("lists what a rule misses: the write-up's Tomcat entry never matched a real Tomcat", async () => {
    const rule = await editedRule((text) => text.replace("      - '*\\tomcat9.exe'\n", ''));
    const { code, out } = await replay(rule, ['--spec', SPEC]);
    expect(code).toBe(1);
    expect(out).toMatch(/captured\.ndjson:6: did not fire on an event the spec puts in true-positive space 'web server starts a shell or tool': tomcat9\.exe -> powershell\.exe\n {4}ParentImage: C:\\Program Files\\Apache Software Foundation\\Tomcat 9\.0\\bin\\Tomcat9\.exe/);
    expect(out).toContain('1 verdict the spec does not predict');
  });

  it('lists a firing the spec does not predict: a contains where endswith belongs fires on a look-alike', async () => {
    const rule = await editedRule((text) => text.replace("      - '*\\cmd.exe'\n", "      - '*cmd.exe'\n"));
    const { code, out } = await replay(rule, ['--spec', SPEC]);
    expect(code).toBe(1);
    expect(out).toContain('captured.ndjson:7: fired on an event in no true- or false-positive space: w3wp.exe -> notcmd.exe');
  });

  it('names a firing on an event the spec cannot place, and why, without counting it against the spec', async () => {
    const rule = await editedRule((text) => text.replace('condition: 1 of selection_parent_* and selection_child', 'condition: selection_child'));
    const { out } = await replay(rule, ['--spec', SPEC]);
    expect(out).toContain('captured.ndjson:5: fired, but the spec cannot place the event (parent: the event has no image path)');
    expect(out).toContain('captured.ndjson:2: fired on an event in no true- or false-positive space: explorer.exe -> cmd.exe');
  });

  it('lists a process creation without an image, never drops it', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dac-predict-noimage-'));
    const file = path.join(dir, 'no-image.ndjson');
    await writeFile(file, `${flat({ ParentImage: W3WP, CommandLine: 'cmd /c whoami' })}\n`);
    const io = captureIo(repoRoot);
    expect(await main(['predict', '--rule', RULE, file], io)).toBe(0);
    expect(io.out()).toContain(`${file}:0: not placed: process: the event has no image path`);
    expect(io.out()).toContain('1 process creation of the rule\'s log sources: 0 placed, 1 not placed');
  });

  it('says there was nothing to judge, and exits 1, when no record is a process creation of the rule', async () => {
    const io = captureIo(repoRoot);
    expect(await main(['predict', '--rule', RULE, 'tests/fixtures/evtx/DE_RDP_Tunnel_5156.evtx'], io)).toBe(0);
    expect(io.out()).toContain('tests/fixtures/evtx/DE_RDP_Tunnel_5156.evtx: 101 records read: 101 recognised, 0 not recognised, 0 skipped\n  recognised: channel-security 84, security-4688 17');
    expect(io.out()).toMatch(/101 events read, 17 process creations/);
    const sysmon13 = captureIo(repoRoot);
    const dir = await mkdtemp(path.join(tmpdir(), 'dac-predict-none-'));
    const other = path.join(dir, 'dns.ndjson');
    await writeFile(other, `${JSON.stringify({ Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 22, QueryName: 'example.org' })}\n`);
    expect(await main(['predict', '--rule', RULE, other], sysmon13)).toBe(1);
    expect(sysmon13.out()).toContain("nothing to judge: no record of the input is a process creation of the rule's log sources (sysmon-1, security-4688)");
  });

  it('finds the spec from the rule\'s own repository, and gives the same answer from any folder', async () => {
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'dac-predict-cwd-'));
    const { file } = await replay();
    const here = captureIo(repoRoot);
    const there = captureIo(elsewhere);
    expect(await main(['predict', '--rule', RULE, file], here)).toBe(0);
    expect(await main(['predict', '--rule', path.join(repoRoot, RULE), file], there)).toBe(0);
    expect(there.out()).toBe(here.out());
  });

  it('places the process creations of a Sentinel export (the Log4Shell chain, a SYSTEM shell) and lists the one it cannot', async () => {
    const elsewhere = await mkdtemp(path.join(tmpdir(), 'dac-predict-sentinel-'));
    const shapes = path.join(repoRoot, 'tests/fixtures/shapes');
    const io = captureIo(elsewhere);
    const files = ['sentinel-windowsevent.json', 'sentinel-event-sysmon.json', 'sentinel-securityevent.ndjson'].map((name) => path.join(shapes, name));
    expect(await main(['predict', '--rule', path.join(repoRoot, RULE), ...files], io)).toBe(0);
    expect(io.out()).toContain(`${files[2]}:2: not placed: process: the event has no image path`);
    expect(io.out()).toContain("process creations of the rule's log sources: 4 placed, 1 not placed");
    expect(io.out()).toMatch(/fired as the spec predicts: 3\n {4}true-positive 'web server starts a shell or tool': 3/);
  });

  it('refuses a scenario spec written for another rule', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dac-predict-foreign-'));
    const text = await readFile(path.join(repoRoot, SPEC, 'scenarios.yml'), 'utf8');
    await writeFile(path.join(dir, 'scenarios.yml'), text.replace(/^rule: .*$/m, 'rule: 00000000-0000-4000-8000-000000000000'));
    const io = captureIo(repoRoot);
    expect(await main(['predict', '--rule', RULE, '--spec', dir, 'x.ndjson'], io)).toBe(2);
    expect(io.err()).toMatch(/is the scenario spec of rule 00000000-0000-4000-8000-000000000000, not of rules\/windows\/process_creation\/proc_creation_win_webshell_spawn\.yml/);
  });

  it.each([
    [[], /--rule FILE is required/],
    [['--rule', RULE], /no event files to replay/],
    [['--rule', RULE, '--bogus', 'x.ndjson'], /Unknown option '--bogus'/],
    [['--rule', 'rules/no-such-rule.yml', 'x.ndjson'], /must hold exactly one valid detection rule \(it holds 0\)/],
    [['--rule', 'filters', 'x.ndjson'], /must hold exactly one valid detection rule \(it holds 0\)/],
    [['--rule', RULE, '--spec', 'tests', 'x.ndjson'], /no usable scenarios\.yml in tests/],
  ])('refuses %j as a usage error', async (args, message) => {
    const io = captureIo(repoRoot);
    expect(await main(['predict', ...args], io)).toBe(2);
    expect(io.err()).toMatch(message);
  });

  it('places events of the other activities too: registry changes, logons, file creations of the real captures', async () => {
    const evtx = (name: string) => path.join('tests/fixtures/evtx', name);
    const registry = captureIo(repoRoot);
    expect(await main(['predict', '--rule', 'rules/windows/registry/registry_set/registry_set_rdp_enabled.yml', evtx('sysmon_13_rdp_settings_tampering.evtx')], registry)).toBe(0);
    expect(registry.out()).toContain("20 events read, 4 registry changes of the rule's log sources: 4 placed, 0 not placed\n  fired as the spec predicts: 1\n    true-positive 'an intruder's tool turns Remote Desktop on': 1\n  quiet as the spec predicts: 3");
    const logons = captureIo(repoRoot);
    expect(await main(['predict', '--rule', 'rules/windows/builtin/security/win_security_rdp_logon_loopback.yml', evtx('DE_RDP_Tunnel_5156.evtx'), evtx('tutto_malseclogon.evtx')], logons)).toBe(0);
    expect(logons.out()).toContain("116 events read, 6 logons of the rule's log sources: 6 placed, 0 not placed\n  fired as the spec predicts: 1");
    const files = captureIo(repoRoot);
    expect(await main(['predict', '--rule', 'rules/windows/file/file_event/file_event_win_webshell_script_write.yml', evtx('exec_sysmon_1_11_lolbin_rundll32_openurl_FileProtocolHandler.evtx'), evtx('sysmon_13_rdp_settings_tampering.evtx')], files)).toBe(0);
    // python.exe is no catalogue program: in a Sysmon 11 event, with no version resource, it cannot be placed.
    expect(files.out()).toMatch(/: not placed: process: c:\\python27\\python\.exe is no program the catalogue knows by name/);
    expect(files.out()).toMatch(/not placed \(listed above\): 1\n/);
  });

  it('reports a broken line and an unreadable file with their place, and still judges the rest', async () => {
    const { dir, file } = await replay();
    const broken = path.join(dir, 'broken.ndjson');
    await writeFile(broken, `{"Image": "C:\\\\Windows\\\\System32\\\\cmd.exe", \n${events[0]}\n`);
    const io = captureIo(repoRoot);
    expect(await main(['predict', '--rule', RULE, broken, path.join(dir, 'missing.evtx'), file], io)).toBe(2);
    expect(io.err()).toMatch(/broken\.ndjson:1:\d+ error events\/malformed-json/);
    expect(io.err()).toMatch(/missing\.evtx:1:1 error events\/unreadable-file/);
    expect(io.out()).toContain('9 events read, 9 process creations');
    expect(io.out()).toMatch(/broken\.ndjson: 2 records read: 0 recognised, 1 as taxonomy fields, 0 not recognised, 1 skipped\n  as taxonomy fields .*\n  skipped: 1 × events\/malformed-json \(first #0: not valid JSON/);
    expect(io.out()).toMatch(/missing\.evtx: not read: cannot read the file/);
  });
});
