import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { totalAccounts } from '../../../src/events/input-account.js';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../../../src/mapping/load-mappings.js';
import type { Mapping } from '../../../src/mapping/mapping.js';
import { createSourceRecogniser, type SourceRecogniser } from '../../../src/mapping/recognise-source.js';
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
  // Not a keyword search: a keyword cannot be looked for in raw text when a mapping computes fields
  // (Security 4688's user), and this pack must let the raw-text prefilter work.
  "sel:\n  CommandLine|contains: 'mimikatz'\ncondition: sel",
];

/**
 * Lines of every kind the NDJSON reader meets: flat events, Windows events of mapped and unmapped sources,
 * bad JSON, blank lines, CRLF, escapes, bad bytes; and lines no rule literal occurs in (not parsed).
 */
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
    else if (kind === 1) line = JSON.stringify({ Channel: 'Security', EventID: 4688, NewProcessName: 'C:\\Windows\\System32\\cmd.exe', CommandLine: `cmd /c whoami ${index}` });
    else if (kind === 9) line = JSON.stringify({ Channel: 'Microsoft-Windows-Sysmon/Operational', EventID: 1, Image: 'C:\\Windows\\System32\\cmd.exe', ParentImage: 'c:\\windows\\system32\\inetsrv\\w3wp.exe' });
    else if (kind === 15) line = JSON.stringify({ Channel: 'Microsoft-Windows-Sample/Operational', EventID: 1000 + (index % 3), Message: 'mimikatz' });
    else if (kind === 16) line = JSON.stringify({ Note: `nothing to see ${index}` });
    else {
      const image = ['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\notepad.exe', 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe'][index % 3];
      line = JSON.stringify({ Image: image, ParentImage: index % 5 === 0 ? 'c:\\windows\\system32\\inetsrv\\w3wp.exe' : 'C:\\Windows\\explorer.exe', CommandLine: index % 7 === 0 ? `whoami ${index}` : index % 101 === 0 ? 'MimiKatz sekurlsa' : `run ${index} ${'x'.repeat(index % 300)}`, User: 'CORP\\alice' });
    }
    parts.push(typeof line === 'string' ? Buffer.from(line) : line, Buffer.from('\n'));
  }
  // A last line without a newline.
  parts.push(Buffer.from('{"CommandLine": "final whoami"}'));
  return Buffer.concat(parts);
}

/** A recogniser of the repository's mappings, as `dac scan` gives the scanner. */
const recogniserOf = (): SourceRecogniser => createSourceRecogniser(mapping);

/** What a recogniser saw, in a stable order. */
const seenBy = (recogniser: SourceRecogniser): unknown => ({
  sawFlat: recogniser.sawFlat,
  identities: recogniser.identities().map((identity) => `${identity.channel}:${identity.eventId}`).sort(),
});

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
    const recogniser = recogniserOf();
    const single = await record((sink) => scanEventFile(file, 'events.ndjson', engine, sink, recogniser.recognise));
    expect(single.events.filter((line) => line.startsWith('match')).length).toBeGreaterThan(250);
    expect(single.events.filter((line) => line.startsWith('diagnostic')).length).toBeGreaterThan(150);
    // Every way a record is counted occurs, so comparing the accounts compares something.
    const totals = totalAccounts([single.summary.account]);
    for (const [what, count] of Object.entries(totals)) if (what !== 'files' && what !== 'unreadable') expect(count, what).toBeGreaterThan(10);
    expect(single.summary.account.recognised.map((source) => source.source).sort()).toEqual(['security-4688', 'sysmon-1']);
    for (const chunkBytes of [331, 8192]) {
      const parallelRecogniser = recogniserOf();
      const scanner = new FileScanner(engine, { threads: 3, minParallelBytes: 0, chunkBytes, pack: loaded.pack, mappingsDir: DEFAULT_MAPPINGS_DIR, mapping, recogniser: parallelRecogniser });
      try {
        // A first file starts the workers (the main thread scans it while they start); the scanner is then reused.
        const small = path.join(dir, 'small.ndjson');
        expect(await record((sink) => scanner.scanFile(small, 'small.ndjson', sink))).toEqual(await record((sink) => scanEventFile(small, 'small.ndjson', engine, sink, recogniserOf().recognise)));
        await scanner.settled();
        const parallel = await record((sink) => scanner.scanFile(file, 'events.ndjson', sink));
        expect(parallel.events).toEqual(single.events);
        // The same summary, the account of every record included (merged from the chunks in file order).
        expect(parallel.summary).toEqual(single.summary);
        expect(scanner.workerChunks).toBeGreaterThan(2);
        expect(scanner.workersUsed).toBe(2);
        // What the workers' records were reaches the main thread's recogniser (unreached-rule warnings).
        expect(seenBy(parallelRecogniser)).toEqual(seenBy(recogniser));
      } finally {
        await scanner.close();
      }
    }
  }, HANG_GUARD);

  it('scans on in the main thread, after one warning, when the workers cannot rebuild the rules', async () => {
    const file = path.join(dir, 'events.ndjson');
    const single = await record((sink) => scanEventFile(file, 'events.ndjson', engine, sink, recogniserOf().recognise));
    const empty = path.join(dir, 'no-mappings');
    await mkdir(empty, { recursive: true });
    // The workers load other mappings than the rules were bound with, and refuse to scan.
    const scanner = new FileScanner(engine, { threads: 2, minParallelBytes: 0, chunkBytes: 200, pack: loaded.pack, mappingsDir: empty, mapping, recogniser: recogniserOf() });
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

  it('waits for a slow sink without reading on, and stops when the sink throws (the output is gone)', async () => {
    const file = path.join(dir, 'events.ndjson');
    const scanner = new FileScanner(engine, { threads: 2, minParallelBytes: 0, chunkBytes: 331, pack: loaded.pack, mappingsDir: DEFAULT_MAPPINGS_DIR, mapping });
    try {
      await record((sink) => scanner.scanFile(path.join(dir, 'small.ndjson'), 'small.ndjson', sink));
      await scanner.settled();
      let release: (() => void) | undefined;
      let calls = 0;
      const gone = new Error('the reader closed the pipe (EPIPE)');
      const diagnostics: Diagnostic[] = [];
      const scan = scanner.scanFile(file, 'events.ndjson', {
        match: () => {
          calls += 1;
          if (calls === 1) return new Promise<void>((resolve) => (release = resolve));
          throw gone;
        },
        diagnostic: (diagnostic) => diagnostics.push(diagnostic),
      });
      const outcome = scan.then(() => 'finished', (error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // The first match waits: nothing more is handed out, and only a bounded number of chunks is read.
      expect(calls).toBe(1);
      const scannedWhileWaiting = scanner.workerChunks;
      expect(scannedWhileWaiting).toBeLessThan(40);
      release?.();
      // The next match throws: the scan stops with that error, which is not taken for a read error.
      expect(await outcome).toBe(gone);
      expect(calls).toBe(2);
      expect(diagnostics.filter((diagnostic) => diagnostic.code === 'events/unreadable-file')).toEqual([]);
      // The scanner still scans the next file, whole.
      const again = await record((sink) => scanner.scanFile(file, 'events.ndjson', sink));
      expect(again.events).toEqual((await record((sink) => scanEventFile(file, 'events.ndjson', engine, sink))).events);
    } finally {
      await scanner.close();
    }
  }, HANG_GUARD);

  it('reads a stream (standard input, a FIFO) in the main thread', async () => {
    const file = path.join(dir, 'events.ndjson');
    const scanner = new FileScanner(engine, { threads: 2, minParallelBytes: 0, chunkBytes: 331, pack: loaded.pack, mappingsDir: DEFAULT_MAPPINGS_DIR, mapping, recogniser: recogniserOf() });
    try {
      const bytes = await readFile(file);
      const stream = { name: '-', chunks: (async function* () { yield bytes; })() };
      const streamed = await record((sink) => scanner.scanFile(stream, '-', sink));
      const single = await record((sink) => scanEventFile(file, '-', engine, sink, recogniserOf().recognise));
      expect(streamed.events).toEqual(single.events.map((line) => line.replaceAll(file, '-')));
      expect(streamed.summary).toEqual(single.summary);
      expect(scanner.workerChunks).toBe(0);
    } finally {
      await scanner.close();
    }
  });
});
