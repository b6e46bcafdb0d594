import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../../../src/mapping/load-mappings.js';
import type { Mapping } from '../../../src/mapping/mapping.js';
import { loadCompiledRules, type LoadedRules } from '../../../src/scan/load-rules.js';
import { FileScanner } from '../../../src/scan/parallel-scan.js';
import { createScanEngine, scanEventFile, type FileScanSummary, type ScanEngine, type ScanSink } from '../../../src/scan/scan-events.js';
import { ruleText } from '../compile/rule-fixture.js';

// Not a performance bound: a guard against a hang, generous for a busy machine.
const HANG_GUARD = 300_000;

let dir: string;
let mapping: Mapping;
let loaded: LoadedRules;
let engine: ScanEngine;

const RULES = [
  "sel:\n  Image|endswith: '\\cmd.exe'\ncondition: sel",
  "sel:\n  CommandLine|contains: 'whoami'\ncondition: sel",
  "sel:\n  ParentImage|endswith: '\\w3wp.exe'\n  Image|endswith: ['\\cmd.exe', '\\powershell.exe']\ncondition: sel",
  "sel:\n  CommandLine|re: '(?i)net\\s+user'\ncondition: sel",
  "kw:\n  - 'mimikatz'\ncondition: kw",
];

/** Lines of every kind the NDJSON reader meets: events, bad JSON, blank lines, CRLF, escapes, bad bytes. */
function buildFile(lines: number): Buffer {
  const parts: Buffer[] = [Buffer.from([0xef, 0xbb, 0xbf])];
  for (let index = 0; index < lines; index += 1) {
    const kind = index % 17;
    let line: string | Buffer;
    if (kind === 3) line = '{"Image": "C:\\\\Windows\\\\cmd.exe", "CommandLine": "cmd /c whoami"';
    else if (kind === 5) line = '';
    else if (kind === 7) line = '[1, 2]';
    else if (kind === 11) line = Buffer.concat([Buffer.from('{"CommandLine": "bad '), Buffer.from([0xc3, 0x28]), Buffer.from('"}')]);
    else if (kind === 13) line = `{"CommandLine": "net  USER x${index}", "Image": "C:\\\\Windows\\\\System32\\\\\\u0063md.exe"}\r`;
    else {
      const image = ['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\notepad.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'][index % 3];
      line = JSON.stringify({ Image: image, ParentImage: index % 5 === 0 ? 'c:\\windows\\system32\\inetsrv\\w3wp.exe' : 'C:\\Windows\\explorer.exe', CommandLine: index % 7 === 0 ? `whoami ${index}` : `run ${index} ${'x'.repeat(index % 300)}`, User: index % 101 === 0 ? 'MimiKatz' : 'CORP\\alice' });
    }
    parts.push(typeof line === 'string' ? Buffer.from(line) : line, Buffer.from('\n'));
  }
  // A last line without a newline.
  parts.push(Buffer.from('{"CommandLine": "final whoami"}'));
  return Buffer.concat(parts);
}

/** Everything a scan tells its sink, in order. */
async function record(scan: (sink: ScanSink) => Promise<FileScanSummary>): Promise<{ events: string[]; summary: FileScanSummary }> {
  const events: string[] = [];
  const sink: ScanSink = {
    match: (match) => events.push(`match ${match.file}#${match.event} ${match.rule.rule.id}`),
    diagnostic: (diagnostic: Diagnostic) => events.push(`diagnostic ${diagnostic.file}:${diagnostic.line}:${diagnostic.column} ${diagnostic.severity} ${diagnostic.code} ${diagnostic.message}`),
  };
  const summary = await scan(sink);
  return { events, summary };
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dac-parallel-scan-'));
  await mkdir(path.join(dir, 'rules'));
  await Promise.all(RULES.map((detection, index) => writeFile(path.join(dir, 'rules', `r${index}.yml`), ruleText(detection).replace('000000000000\n', `00000000000${index}\n`))));
  await writeFile(path.join(dir, 'events.ndjson'), buildFile(1500));
  await writeFile(path.join(dir, 'small.ndjson'), buildFile(40));
  mapping = (await loadMappings(DEFAULT_MAPPINGS_DIR)).mappings;
  loaded = await loadCompiledRules(['rules'], dir, {}, mapping);
  engine = createScanEngine(loaded.rules);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('FileScanner', () => {
  it('finds on several threads exactly what one thread finds, in the same order, chunk boundaries anywhere', async () => {
    const file = path.join(dir, 'events.ndjson');
    const single = await record((sink) => scanEventFile(file, 'events.ndjson', engine, sink));
    expect(single.events.filter((line) => line.startsWith('match')).length).toBeGreaterThan(250);
    expect(single.events.filter((line) => line.startsWith('diagnostic')).length).toBeGreaterThan(150);
    for (const chunkBytes of [331, 8192]) {
      const scanner = new FileScanner(engine, { threads: 3, minParallelBytes: 0, chunkBytes, pack: loaded.pack, mappingsDir: DEFAULT_MAPPINGS_DIR, mapping });
      try {
        // A first file starts the workers (the main thread scans it while they start); the scanner is then reused.
        const small = path.join(dir, 'small.ndjson');
        expect(await record((sink) => scanner.scanFile(small, 'small.ndjson', sink))).toEqual(await record((sink) => scanEventFile(small, 'small.ndjson', engine, sink)));
        await scanner.settled();
        const parallel = await record((sink) => scanner.scanFile(file, 'events.ndjson', sink));
        expect(parallel.events).toEqual(single.events);
        expect(parallel.summary).toEqual(single.summary);
        expect(scanner.workerChunks).toBeGreaterThan(10);
      } finally {
        await scanner.close();
      }
    }
  }, HANG_GUARD);

  it('scans on in the main thread, after one warning, when the workers cannot rebuild the rules', async () => {
    const file = path.join(dir, 'events.ndjson');
    const single = await record((sink) => scanEventFile(file, 'events.ndjson', engine, sink));
    const empty = path.join(dir, 'no-mappings');
    await mkdir(empty, { recursive: true });
    // The workers load other mappings than the rules were bound with, and refuse to scan.
    const scanner = new FileScanner(engine, { threads: 2, minParallelBytes: 0, chunkBytes: 200, pack: loaded.pack, mappingsDir: empty, mapping });
    try {
      // A first file starts the workers; the second meets their failure.
      const small = path.join(dir, 'small.ndjson');
      await record((sink) => scanner.scanFile(small, 'small.ndjson', sink));
      await scanner.settled();
      const parallel = await record((sink) => scanner.scanFile(file, 'events.ndjson', sink));
      const warnings = parallel.events.filter((line) => line.includes('scan/worker-failed'));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain('the mappings changed');
      expect(parallel.events.filter((line) => !line.includes('scan/worker-failed'))).toEqual(single.events);
      expect(parallel.summary).toEqual(single.summary);
    } finally {
      await scanner.close();
    }
  }, HANG_GUARD);

  it('leaves small files, and files that are not NDJSON, to the stream reader', async () => {
    const json = path.join(dir, 'array.json');
    await writeFile(json, JSON.stringify([{ Image: 'C:\\cmd.exe' }, { Image: 'x' }]));
    const scanner = new FileScanner(engine, { threads: 2, pack: loaded.pack, mappingsDir: DEFAULT_MAPPINGS_DIR, mapping });
    try {
      expect(await record((sink) => scanner.scanFile(json, 'array.json', sink))).toEqual(await record((sink) => scanEventFile(json, 'array.json', engine, sink)));
      const missing = path.join(dir, 'missing.ndjson');
      const result = await record((sink) => scanner.scanFile(missing, 'missing.ndjson', sink));
      expect(result.summary.unreadable).toBe(true);
    } finally {
      await scanner.close();
    }
  });
});
