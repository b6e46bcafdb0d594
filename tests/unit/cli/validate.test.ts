import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import { captureIo } from './capture-io.js';

const GOOD = `title: Whoami Execution
id: 6f1c2d3e-4b5a-4c69-8d7e-0f1a2b3c4d5e
status: test
date: 2025-01-01
tags:
    - attack.discovery
    - attack.t1033
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\whoami.exe'
    condition: selection
level: low
`;

let cwd: string;

beforeEach(async () => {
  cwd = await mkdtemp(path.join(tmpdir(), 'dac-validate-cli-'));
  await mkdir(path.join(cwd, 'rules', 'windows'), { recursive: true });
});

afterEach(async () => {
  await rm(cwd, { recursive: true, force: true });
});

const write = (relative: string, text: string) => writeFile(path.join(cwd, relative), text);

describe('dac validate', () => {
  it('warns, with the logsource it read, when no mapping can route an event to a rule', async () => {
    await write('rules/windows/good.yml', GOOD.replace('category: process_creation', 'category: proces_creation'));
    const io = captureIo(cwd);
    expect(await main(['validate'], io)).toBe(0);
    expect(io.out()).toContain('rules/windows/good.yml:9:5 warning logsource/unmapped no mapping routes an event to logsource {category: proces_creation, product: windows}');
  });

  it('validates rules/ by default and exits 0 when it is clean', async () => {
    await write('rules/windows/good.yml', GOOD);
    const io = captureIo(cwd);
    expect(await main(['validate'], io)).toBe(0);
    expect(io.out()).toBe('');
    expect(io.err()).toBe('1 file, 0 errors, 0 warnings\n');
  });

  it('prints one sorted line per diagnostic, keeps going past a broken file, and exits 1', async () => {
    await write('rules/windows/b_broken_yaml.yml', "title: 'unterminated\nlevel: low\n");
    await write('rules/windows/a_bad_status.yml', GOOD.replace('status: test', 'status: done'));
    await write('rules/windows/c_good.yml', GOOD.replace('6f1c2d3e', '7a1c2d3e'));
    const io = captureIo(cwd);
    expect(await main(['validate', 'rules'], io)).toBe(1);
    const lines = io.out().trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^rules\/windows\/a_bad_status\.yml:3:9 error schema\/enum 'status' must be one of /);
    expect(lines[1]).toMatch(/^rules\/windows\/b_broken_yaml\.yml:\d+:\d+ error yaml\/syntax /);
    expect(io.err()).toBe('3 files, 2 errors, 0 warnings\n');
  });

  it('exits 0 when there are only warnings', async () => {
    await write('rules/windows/warn.yml', GOOD.replace('attack.discovery', 'attack.discovry'));
    const io = captureIo(cwd);
    expect(await main(['validate'], io)).toBe(0);
    expect(io.out()).toMatch(/^rules\/windows\/warn\.yml:6:7 warning tag\/unknown-attack-id .*did you mean 'attack\.discovery'\?\n/);
    expect(io.err()).toContain('0 errors, 2 warnings');
  });

  it('writes the JSON contract: an array of {file,line,column,code,severity,message}', async () => {
    await write('rules/windows/bad.yml', GOOD.replace('level: low', 'level: 高'));
    const io = captureIo(cwd);
    expect(await main(['validate', '--format', 'json'], io)).toBe(1);
    const rows = JSON.parse(io.out()) as Record<string, unknown>[];
    expect(rows).toHaveLength(1);
    expect(Object.keys(rows[0] ?? {})).toEqual(['file', 'line', 'column', 'code', 'severity', 'message']);
    expect(rows[0]).toMatchObject({ file: 'rules/windows/bad.yml', line: 15, column: 8, code: 'schema/enum', severity: 'error' });
    // Unicode survives: the offending value is quoted as written.
    expect(String(rows[0]?.message)).toContain("got '高'");
    expect(io.err()).toBe('');
  });

  it('takes files and folders, relative to the working directory, with forward slashes', async () => {
    await mkdir(path.join(cwd, 'more', '子目录'), { recursive: true });
    await write('more/子目录/规则.yaml', GOOD.replace('status: test', 'status: 测试'));
    await write('rules/windows/good.yml', GOOD.replace('6f1c2d3e', '8b1c2d3e'));
    const io = captureIo(cwd);
    expect(await main(['validate', 'more', path.join(cwd, 'rules/windows/good.yml')], io)).toBe(1);
    expect(io.out()).toMatch(/^more\/子目录\/规则\.yaml:3:9 error schema\/enum .* got '测试'\n$/);
    expect(io.err()).toBe('2 files, 1 error, 0 warnings\n');
  });

  it('reports duplicate ids across files in both places', async () => {
    await write('rules/windows/one.yml', GOOD);
    await write('rules/windows/two.yml', GOOD.replace('Whoami Execution', 'Whoami Copy'));
    const io = captureIo(cwd);
    expect(await main(['validate'], io)).toBe(1);
    expect(io.out().trimEnd().split('\n').map((line) => line.split(' ').slice(0, 3).join(' '))).toEqual([
      'rules/windows/one.yml:2:5 error rule/duplicate-id',
      'rules/windows/two.yml:2:5 error rule/duplicate-id',
    ]);
  });

  it.each([
    [['validate', '--format', 'xml'], /--format takes text, json, sarif, not 'xml'/],
    [['validate', '--bogus'], /Unknown option '--bogus'/],
    [['validate', '--format'], /argument missing/],
    [['validate', 'no-such-folder'], /no such file or folder: no-such-folder/],
  ])('exits 2 for %j', async (argv, message) => {
    await write('rules/windows/good.yml', GOOD);
    const io = captureIo(cwd);
    expect(await main(argv, io)).toBe(2);
    expect(io.err()).toMatch(message);
    expect(io.out()).toBe('');
  });

  it('exits 2 when the default rules/ folder does not exist', async () => {
    await rm(path.join(cwd, 'rules'), { recursive: true });
    const io = captureIo(cwd);
    expect(await main(['validate'], io)).toBe(2);
    expect(io.err()).toContain('no such file or folder: rules');
  });

  it('prints its usage with --help and exits 0', async () => {
    const io = captureIo(cwd);
    expect(await main(['validate', '--help'], io)).toBe(0);
    expect(io.out()).toMatch(/^usage: dac validate \[options\] \[paths\.\.\.\]\n/);
    expect(io.out()).toContain('-f, --format text|json|sarif');
  });

  it('condenses warnings of one code past ten in text, lists them all with --verbose, and keeps all in json', async () => {
    // Twelve rules whose tactic tag none of their techniques serves: twelve tag/tactic-mismatch warnings.
    for (let i = 10; i < 22; i += 1) {
      await write(`rules/windows/r${i}.yml`, GOOD.replace('6f1c2d3e', `6f1c2d${i}`).replace('attack.discovery', 'attack.discovery\n    - attack.impact'));
    }
    const text = captureIo(cwd);
    expect(await main(['validate'], text)).toBe(0);
    const lines = text.out().trimEnd().split('\n');
    expect(lines).toHaveLength(11);
    expect(lines.slice(0, 10).every((line) => line.includes(' warning tag/tactic-mismatch '))).toBe(true);
    expect(lines[10]).toBe('... and 2 more tag/tactic-mismatch warnings; --verbose lists them');
    expect(text.err()).toBe('12 files, 0 errors, 12 warnings (12 tag/tactic-mismatch)\n');
    const verbose = captureIo(cwd);
    expect(await main(['validate', '--verbose'], verbose)).toBe(0);
    expect(verbose.out().trimEnd().split('\n')).toHaveLength(12);
    const json = captureIo(cwd);
    expect(await main(['validate', '--format', 'json'], json)).toBe(0);
    expect(JSON.parse(json.out())).toHaveLength(12);
  });
});

describe("dac validate over SigmaHQ's rules (tests/fixtures/sigmahq)", () => {
  it("knows every ATT&CK name the corpus uses and ends in a summary that accounts for every warning", async () => {
    const io = captureIo(fileURLToPath(new URL('../../fixtures/sigmahq/', import.meta.url)));
    await main(['validate', 'rules'], io);
    const lines = io.out().trimEnd().split('\n');
    // ATT&CK v19's tactics and techniques (attack.stealth, attack.t1685, ...) are names ATT&CK uses today.
    expect(io.out()).not.toContain('tag/unknown-attack-id');
    const shown = new Map<string, number>();
    const hidden = new Map<string, number>();
    for (const line of lines) {
      const more = /^\.\.\. and ([\d,]+) more (\S+) warnings?; --verbose lists them$/.exec(line);
      if (more) hidden.set(more[2] as string, Number((more[1] as string).replaceAll(',', '')));
      else {
        const [, severity, code = ''] = line.split(' ');
        if (severity === 'warning') shown.set(code, (shown.get(code) ?? 0) + 1);
      }
    }
    for (const count of shown.values()) expect(count).toBeLessThanOrEqual(10);
    const summary = /^([\d,]+) files, ([\d,]+) errors?, ([\d,]+) warnings?/.exec(io.err().trimEnd().split('\n').at(-1) ?? '');
    expect(summary).not.toBeNull();
    const total = [...shown.values(), ...hidden.values()].reduce((sum, n) => sum + n, 0);
    expect(Number(summary?.[3]?.replaceAll(',', ''))).toBe(total);
    // A person reads it: a screenful, not thousands of lines.
    expect(lines.length).toBeLessThan(60);
  });
});
