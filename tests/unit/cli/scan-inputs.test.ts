import { execFileSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runScan } from '../../../src/cli/scan.js';
import type { CliIo, OutputFailure } from '../../../src/cli/io.js';
import { captureIo } from './capture-io.js';

const EVTX = fileURLToPath(new URL('../../fixtures/evtx/DE_RDP_Tunnel_5156.evtx', import.meta.url));

// A rule that matches every process creation, so counting matches counts events.
const everyProcess = `title: Every process
id: 22222222-2222-4222-8222-222222222222
level: low
logsource: {category: process_creation, product: windows}
detection:
  selection:
    Image|contains: '\\'
  condition: selection
`;
// A rule that matches what the EVTX sample holds (network connections), by a keyword.
const anyEvent = `title: Any event
id: 33333333-3333-4333-8333-333333333333
level: informational
logsource: {product: windows}
detection:
  keywords: ['Windows']
  condition: keywords
`;
const line = (image: string): string => `${JSON.stringify({ Image: image, ParentImage: 'C:\\w3wp.exe' })}\n`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dac-scan-inputs-'));
  await mkdir(path.join(dir, 'logs/sub'), { recursive: true });
  await mkdir(path.join(dir, 'logs/.cache'), { recursive: true });
  await writeFile(path.join(dir, 'every.yml'), everyProcess);
  await writeFile(path.join(dir, 'any.yml'), anyEvent);
  await writeFile(path.join(dir, 'logs/a.ndjson'), line('C:\\a.exe') + line('C:\\b.exe'));
  await writeFile(path.join(dir, 'logs/sub/c.json'), `[${line('C:\\c.exe').trim()}]`);
  await writeFile(path.join(dir, 'logs/.hidden.ndjson'), line('C:\\hidden.exe'));
  await writeFile(path.join(dir, 'logs/.cache/d.ndjson'), line('C:\\cached.exe'));
  await writeFile(path.join(dir, 'logs/readme.txt'), 'not events');
  await writeFile(path.join(dir, 'outside.ndjson'), line('C:\\outside.exe'));
  await symlink(path.join(dir, 'outside.ndjson'), path.join(dir, 'logs/linked.ndjson'));
  await writeFile(path.join(dir, 'good.ndjson'), line('C:\\good.exe'));
});

afterAll(async () => rm(dir, { recursive: true, force: true }));

const withStdin = (bytes: Uint8Array | string): CliIo & { out(): string; err(): string } => ({
  ...captureIo(dir),
  stdin: Readable.from([typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes)]),
});

const files = (out: string): string[] => out.trim().split('\n').filter(Boolean).map((text) => (JSON.parse(text) as { file: string }).file);

describe('dac scan inputs', () => {
  it('walks a folder for event files as rule folders are walked: hidden files, links and other files are said, not read', async () => {
    const io = captureIo(dir);
    expect(await runScan(['--rules', 'every.yml', 'logs'], io)).toBe(2);
    expect(files(io.out())).toEqual(['logs/a.ndjson', 'logs/a.ndjson', 'logs/sub/c.json']);
    expect(io.err()).toContain('logs/.hidden.ndjson:1:1 warning file/hidden');
    expect(io.err()).toContain('logs/linked.ndjson:1:1 error file/symbolic-link');
    expect(io.err()).toContain('logs:1:1 note events/other-files 1 file not read');
    expect(io.out()).not.toContain('outside');
    expect(io.err()).toMatch(/dac scan: 1 rule, 2 inputs, 3 records read: .*, 3 matches/);
  });

  it('reads standard input for -, text or EVTX, and only once', async () => {
    const text = withStdin(line('C:\\x.exe') + line('C:\\y.exe'));
    expect(await runScan(['--rules', 'every.yml', '-', '-'], text)).toBe(0);
    expect(files(text.out())).toEqual(['-', '-']);
    expect(text.err()).toContain('-:1:1 warning events/stdin-repeated');

    const evtx = withStdin(await readFile(EVTX));
    expect(await runScan(['--rules', 'any.yml', '-'], evtx)).toBe(0);
    expect(evtx.err()).toContain('dac scan: 1 rule, 1 input, 101 records read: 101 recognised');
  });

  it('reports an input it cannot open and still reads the others', async () => {
    const io = captureIo(dir);
    expect(await runScan(['--rules', 'every.yml', 'missing.ndjson', 'good.ndjson'], io)).toBe(2);
    expect(io.err()).toContain('missing.ndjson:1:1 error events/unreadable-file cannot read: no such file or folder (ENOENT)');
    expect(files(io.out())).toEqual(['good.ndjson']);
  });

  it('gives up a FIFO nobody writes to, and reads the inputs after it', async () => {
    const fifo = path.join(dir, 'silent.fifo');
    execFileSync('mkfifo', [fifo]);
    const io = captureIo(dir);
    expect(await runScan(['--rules', 'every.yml', '--fifo-wait', '0.2', 'silent.fifo', 'good.ndjson'], io)).toBe(2);
    expect(io.err()).toContain('silent.fifo:1:1 error events/no-writer no process wrote to this FIFO within 0.2 s');
    expect(files(io.out())).toEqual(['good.ndjson']);
  });

  it('reads a FIFO as a stream once its writer comes', async () => {
    const fifo = path.join(dir, 'busy.fifo');
    execFileSync('mkfifo', [fifo]);
    // The writer opens the FIFO a little after dac starts waiting, and writes in two bursts.
    const writer = new Promise<void>((resolve, reject) => {
      setTimeout(() => {
        const stream = createWriteStream(fifo);
        stream.write(line('C:\\one.exe'));
        setTimeout(() => stream.end(line('C:\\two.exe'), () => resolve()), 50);
        stream.on('error', reject);
      }, 100);
    });
    const io = captureIo(dir);
    expect(await runScan(['--rules', 'every.yml', '--fifo-wait', '30', 'busy.fifo', 'good.ndjson'], io)).toBe(0);
    await writer;
    expect(files(io.out())).toEqual(['busy.fifo', 'busy.fifo', 'good.ndjson']);
  });
});

describe('dac scan output', () => {
  it('shows control characters of events and rules escaped in text, and encoded in NDJSON', async () => {
    // YAML writes control characters as escapes in double quotes (YAML 1.2 §5.7).
    await writeFile(path.join(dir, 'evil.yml'), everyProcess.replace('title: Every process', 'title: "Evil \\e]0;pwned\\a \\x9b2J title"'));
    const text = captureIo(dir);
    await writeFile(path.join(dir, 'evil\u001b[2J.ndjson'), line('C:\\e.exe'));
    expect(await runScan(['--rules', 'evil.yml', '--format', 'text', 'evil\u001b[2J.ndjson'], text)).toBe(0);
    expect(text.out()).toBe('evil\\x1b[2J.ndjson:0 low Evil \\x1b]0;pwned\\x07 \\u009b2J title (22222222-2222-4222-8222-222222222222)\n');
    const json = captureIo(dir);
    expect(await runScan(['--rules', 'evil.yml', 'evil\u001b[2J.ndjson'], json)).toBe(0);
    expect(json.out()).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
    expect(JSON.parse(json.out())).toMatchObject({ title: 'Evil \u001b]0;pwned\u0007 \u009b2J title', file: 'evil\u001b[2J.ndjson' });
  });

  it('waits for a slow reader (back-pressure), and stops reading when the output fails', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => line(`C:\\p${i}.exe`)).join('');
    await writeFile(path.join(dir, 'many.ndjson'), many);
    let written = 0;
    let release: (() => void) | undefined;
    let failure: OutputFailure | undefined;
    const slow = captureIo(dir);
    const io: CliIo = {
      ...slow,
      stdout: {
        write: (text: string) => {
          written += text.length;
          return false;
        },
        drained: () => new Promise<void>((resolve) => (release = resolve)),
        get failure() {
          return failure;
        },
      },
    };
    const run = runScan(['--rules', 'every.yml', 'many.ndjson'], io);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // One block of 64 KiB went out; the scan waits for the reader instead of buffering the rest.
    expect(written).toBeGreaterThanOrEqual(64 * 1024);
    expect(written).toBeLessThan(70 * 1024);
    failure = { code: 'EPIPE', message: 'the reader closed the pipe (EPIPE)' };
    release?.();
    expect(await run).toBe(1);
    expect(written).toBeLessThan(70 * 1024);
    expect(slow.err()).not.toContain('dac scan: 1 rule');
  });
});
