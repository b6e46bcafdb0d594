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
    expect(out).toContain('8 events read, 8 process creations');
    expect(out).toMatch(/fired as the spec predicts: 3\n {4}true-positive 'web server starts a shell or tool': 2\n {4}false-positive 'health-check pool runs whoami and ipconfig': 1\n/);
    expect(out).toContain('quiet as the spec predicts: 4');
    expect(out).toContain('not predictable: 1\n    parent: the event has no image path: 1');
    expect(out).toContain('the spec predicts every verdict');
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

  it.each([
    [[], /no rule: give --rule FILE/],
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
    expect(registry.out()).toContain("20 events read, 4 registry changes of the rule's log sources\n  fired as the spec predicts: 1\n    true-positive 'an intruder's tool turns Remote Desktop on': 1\n  quiet as the spec predicts: 3");
    const logons = captureIo(repoRoot);
    expect(await main(['predict', '--rule', 'rules/windows/builtin/security/win_security_rdp_logon_loopback.yml', evtx('DE_RDP_Tunnel_5156.evtx'), evtx('tutto_malseclogon.evtx')], logons)).toBe(0);
    expect(logons.out()).toContain("116 events read, 6 logons of the rule's log sources\n  fired as the spec predicts: 1");
    const files = captureIo(repoRoot);
    expect(await main(['predict', '--rule', 'rules/windows/file/file_event/file_event_win_webshell_script_write.yml', evtx('exec_sysmon_1_11_lolbin_rundll32_openurl_FileProtocolHandler.evtx'), evtx('sysmon_13_rdp_settings_tampering.evtx')], files)).toBe(0);
    // python.exe is no catalogue program: in a Sysmon 11 event, with no version resource, it cannot be placed.
    expect(files.out()).toMatch(/not predictable: 1\n    process: c:\\python27\\python\.exe is no program the catalogue knows by name/);
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
  });
});
