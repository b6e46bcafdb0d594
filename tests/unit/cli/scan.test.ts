import { mkdtemp, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScan } from '../../../src/cli/scan.js';
import { formatBytes } from '../../../src/cli/scan-progress.js';
import { captureIo, type CapturedIo } from './capture-io.js';

let dir: string;

const webshellRule = `title: Web shell
id: 11111111-1111-4111-8111-111111111111
level: high
logsource: {category: process_creation, product: windows}
detection:
  selection:
    ParentImage|endswith: ['\\w3wp.exe', '\\httpd.exe']
    Image|endswith: ['\\cmd.exe', '\\whoami.exe']
  condition: selection
`;
const keywordRule = `title: Keyword
level: low
logsource: {product: windows}
detection:
  keywords: ['mimikatz']
  condition: keywords
`;
const brokenRule = `title: Broken
logsource: {product: windows}
detection:
  selection:
    Image|contians: x
  condition: selection
`;

const events = [
  { Image: 'C:\\Windows\\System32\\cmd.exe', ParentImage: 'C:\\inetsrv\\w3wp.exe' },
  { Image: 'C:\\Windows\\notepad.exe', ParentImage: 'C:\\Windows\\explorer.exe' },
  { Image: 'C:\\Tools\\mimikatz.exe', ParentImage: 'C:\\Apache\\httpd.exe' },
  { Image: 'C:\\Windows\\System32\\WHOAMI.EXE', ParentImage: 'C:\\Apache\\HTTPD.EXE' },
];

const createIo = (isTTY = false): CapturedIo => captureIo(dir, { isTTY });
// Every run keeps its rule cache in the test's folder.
const CACHE = ['--cache-dir', 'cache'];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dac-scan-'));
  await mkdir(path.join(dir, 'rules'));
  await writeFile(path.join(dir, 'rules', 'webshell.yml'), webshellRule);
  await writeFile(path.join(dir, 'rules', 'keyword.yml'), keywordRule);
  await writeFile(path.join(dir, 'broken.yml'), brokenRule);
  const lines = events.map((event) => JSON.stringify(event));
  // A blank line takes no position; a malformed line does (DESIGN).
  await writeFile(path.join(dir, 'events.ndjson'), `${lines[0]}\n\n${lines[1]}\n{"Image": "trunc\n${lines[2]}\n${lines[3]}\n`);
  await writeFile(path.join(dir, 'events.json'), JSON.stringify(events));
  const security = { Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\Windows\\System32\\cmd.exe', ParentProcessName: 'C:\\inetsrv\\w3wp.exe' };
  const otherSource = { ...security, Channel: 'System', EventID: 7045 };
  await writeFile(path.join(dir, 'windows.ndjson'), [security, otherSource].map((event) => JSON.stringify(event)).join('\n'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('dac scan', () => {
  it('prints one NDJSON line per match with rule, title, level, file and event position', async () => {
    const io = createIo();
    expect(await runScan([...CACHE, '--rules', 'rules', 'events.ndjson'], io)).toBe(0);
    const lines = io.out().trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toEqual([
      { rule: '11111111-1111-4111-8111-111111111111', title: 'Web shell', level: 'high', file: 'events.ndjson', event: 0 },
      { rule: 'Keyword', title: 'Keyword', level: 'low', file: 'events.ndjson', event: 3 },
      { rule: '11111111-1111-4111-8111-111111111111', title: 'Web shell', level: 'high', file: 'events.ndjson', event: 4 },
    ]);
    expect(io.err()).toContain('events/malformed-json');
    expect(io.err()).toContain('events.ndjson:4:');
  });

  it('reads JSON arrays by their index and prints text on request', async () => {
    const io = createIo();
    expect(await runScan([...CACHE, '--format', 'text', '-r', 'rules/webshell.yml', 'events.json'], io)).toBe(0);
    expect(io.out()).toBe(
      'events.json:0 high Web shell (11111111-1111-4111-8111-111111111111)\nevents.json:3 high Web shell (11111111-1111-4111-8111-111111111111)\n',
    );
  });

  it('binds Windows events to the rule log source through the mappings (4688 renamed, other sources gated out)', async () => {
    const io = createIo();
    expect(await runScan([...CACHE, '--rules', 'rules/webshell.yml', 'windows.ndjson'], io)).toBe(0);
    expect(io.out().trim().split('\n').map((line) => (JSON.parse(line) as { event: number }).event)).toEqual([0]);
  });

  it('exits 1 when a rule is invalid, still running the valid ones', async () => {
    const io = createIo();
    expect(await runScan([...CACHE, '--rules', 'rules', '--rules', 'broken.yml', 'events.json'], io)).toBe(1);
    expect(io.err()).toMatch(/broken\.yml:5:5 error modifier\/unknown/);
    expect(io.out().trim().split('\n')).toHaveLength(3);
  });

  it.each([
    [['events.json'], '--rules PATH is required'],
    [['--rules', 'rules'], 'no inputs to scan'],
    [['--rules', 'rules', '--format', 'xml', 'events.json'], "--format takes ndjson, text, not 'xml'"],
    [['--rules', 'rules', '--bogus', 'events.json'], 'bogus'],
    [['--rules', 'missing-folder', 'events.json'], 'file/not-found'],
    [['--rules', 'rules', '--threads', '0', 'events.json'], '--threads takes a whole number'],
    [['--rules', 'rules', '--threads', 'two', 'events.json'], '--threads takes a whole number'],
    [['--rules', 'rules', '--no-cache', 'events.json'], '--cache-dir and --no-cache exclude each other'],
    [['--rules', 'rules', 'missing.ndjson'], 'events/unreadable-file'],
  ])('exits 2 for usage errors and unreadable input: %j', async (args, message) => {
    const io = createIo();
    expect(await runScan([...CACHE, ...args], io)).toBe(2);
    expect(io.err()).toContain(message);
  });

  it('draws a progress bar on stderr only when stderr is a terminal', async () => {
    const tty = createIo(true);
    expect(await runScan([...CACHE, '--rules', 'rules', 'events.json'], tty)).toBe(0);
    expect(tty.err()).toContain('scanning events.json |');
    // Progress is in bytes of the file being read, and which file of how many.
    const size = (await import('node:fs')).statSync(path.join(dir, 'events.json')).size;
    expect(tty.err()).toMatch(new RegExp(`100% ${formatBytes(size).replace('.', '\\.')} of ${formatBytes(size).replace('.', '\\.')}, file 1/1`));
    expect(tty.out()).not.toContain('scanning');
    const pipe = createIo(false);
    await runScan([...CACHE, '--rules', 'rules', 'events.json'], pipe);
    expect(pipe.err()).not.toContain('scanning events.json |');
  });

  it('finds the same with the rule cache, without it and in one thread', async () => {
    const first = createIo();
    expect(await runScan([...CACHE, '--rules', 'rules', 'events.ndjson'], first)).toBe(0);
    expect(await readdir(path.join(dir, 'cache'))).not.toHaveLength(0);
    for (const options of [CACHE, ['--no-cache'], [...CACHE, '--threads', '1']]) {
      const io = createIo();
      expect(await runScan([...options, '--rules', 'rules', 'events.ndjson'], io)).toBe(0);
      expect(io.out()).toBe(first.out());
      expect(io.err()).toBe(first.err());
    }
  });

  it('prints help', async () => {
    const io = createIo();
    expect(await runScan([...CACHE, '--help'], io)).toBe(0);
    expect(io.out()).toContain('usage: dac scan');
  });

  it('accounts for every record of every file, and its summary counts records read, not only those parsed', async () => {
    const io = createIo();
    expect(await runScan(['--rules', 'rules', 'events.ndjson', 'windows.ndjson'], io)).toBe(0);
    const err = io.err();
    // events.ndjson: 5 records (a blank line is none); the notepad line holds no rule literal and is not parsed.
    expect(err).toContain('events.ndjson: 5 records read: 0 recognised, 3 as taxonomy fields, 0 not recognised, 1 skipped, 1 not parsed (no rule literal occurs in them)');
    expect(err).toMatch(/ {2}as taxonomy fields \(no channel or event id: Sigma field names as they stand, seen by every rule\): 3 × flat JSON, keys \{Image, ParentImage\} \(first #0\)/);
    expect(err).toMatch(/ {2}skipped: 1 × events\/malformed-json \(first #2: not valid JSON/);
    expect(err).toContain('windows.ndjson: 2 records read: 2 recognised, 0 not recognised, 0 skipped\n  recognised: channel-system 1, security-4688 1');
    expect(err).toMatch(/dac scan: 2 rules, 2 inputs, 7 records read: 2 recognised, 3 as taxonomy fields, 0 not recognised, 1 skipped, 1 not parsed \(no rule literal occurs in them\), \d+ match/);
  });

  it('runs a rule whose logsource is only product: windows on every record of a real EVTX file', async () => {
    await writeFile(path.join(dir, 'any-windows.yml'), `title: Any Windows event\nid: 22222222-2222-4222-8222-222222222222\nlogsource: {product: windows}\ndetection:\n  selection:\n    EventID|gt: -1\n  condition: selection\n`);
    const evtx = path.resolve(import.meta.dirname, '../../fixtures/evtx/tutto_malseclogon.evtx');
    const io = createIo();
    expect(await runScan(['--rules', 'any-windows.yml', evtx], io)).toBe(0);
    expect(io.out().trim().split('\n')).toHaveLength(15);
    expect(io.err()).toContain('15 records read: 15 recognised, 0 not recognised, 0 skipped');
    expect(io.err()).not.toContain('scan/unreached-rule');
  });

  it('ends with a warning for each rule no record of the input could reach', async () => {
    await writeFile(path.join(dir, 'ps-script.yml'), `title: Script block\nid: 33333333-3333-4333-8333-333333333333\nlogsource: {category: ps_script, product: windows}\ndetection:\n  selection:\n    ScriptBlockText|contains: Invoke-Mimikatz\n  condition: selection\n`);
    const io = createIo();
    expect(await runScan(['--rules', 'ps-script.yml', '--rules', 'rules/webshell.yml', 'windows.ndjson'], io)).toBe(0);
    expect(io.err()).toMatch(/ps-script\.yml:3:\d+ warning scan\/unreached-rule rule 'Script block': no record of the input is of its logsource \{category: ps_script, product: windows\} \(its sources: powershell-4104\)/);
    expect(io.err()).not.toMatch(/webshell\.yml.*unreached/);
    expect(io.err()).toContain('1 rule no record could reach');
  });

  it('names an unreached rule, its line and its log source the same way when the rule comes from the cache', async () => {
    await writeFile(path.join(dir, 'cached-ps.yml'), `title: Cached script block\nid: 44444444-4444-4444-8444-444444444444\nlogsource:\n  category: ps_script\n  product: windows\ndetection:\n  selection:\n    ScriptBlockText|contains: Invoke-Mimikatz\n  condition: selection\n`);
    const warnings: string[] = [];
    for (const run of ['cold', 'warm']) {
      const io = createIo();
      expect(await runScan(['--rules', 'cached-ps.yml', ...CACHE, 'windows.ndjson'], io), run).toBe(0);
      warnings.push(io.err().split('\n').filter((line) => line.includes('scan/unreached-rule')).join('\n'));
    }
    expect(warnings[0]).toMatch(/^cached-ps\.yml:4:3 warning scan\/unreached-rule rule 'Cached script block': no record of the input is of its logsource \{category: ps_script, product: windows\}/);
    expect(warnings[1]).toBe(warnings[0]);
  });
});
