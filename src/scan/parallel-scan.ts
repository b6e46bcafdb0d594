/**
 * Scans files on every core. A large NDJSON file (UTF-8, the format hunting and back-testing use for
 * millions of events) is read by the main thread in chunks of whole lines, without decoding; worker
 * threads decode, parse, count and match the chunks (./scan-chunk.ts, the same reader, accounting and
 * engine as one thread), and the main thread hands their results to the sink in file order, with
 * positions and line numbers rebased, and merges their accounts of records in the same order. So
 * output, diagnostics and the account are exactly those of one thread, in the same order. Other inputs
 * (EVTX, XML, JSON arrays, UTF-16, small files, and every stream: standard input, FIFOs) are scanned
 * in the main thread.
 *
 * The sink sets the pace: while it waits (a slow reader of the output), no chunk is read, so memory
 * stays bounded by the chunks in flight; when it throws (the reader went away), the scan stops there.
 *
 * If the workers cannot start, or one stops, the main thread scans what is left itself (re-reading the
 * chunks the workers had), after one warning: slower, never different.
 */
import { existsSync } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { CompiledRule } from '../compile/compile-rule.js';
import { getDefaultPlaceholders } from '../compile/placeholders.js';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { detectEncoding } from '../events/decode-text.js';
import { createEventError, describeError, MAX_RECORD_CHARS } from '../events/event-item.js';
import { InputAccountant, type RecogniseRecord } from '../events/input-account.js';
import { sniffTextFormat, type EventStream } from '../events/read-events.js';
import type { Mapping } from '../mapping/mapping.js';
import type { SeenSources, SourceRecogniser } from '../mapping/recognise-source.js';
import type { RulePack } from './load-rules.js';
import { fingerprintMapping, fingerprintPlaceholders } from './rule-cache.js';
import { scanChunk, type ChunkResult } from './scan-chunk.js';
import { scanEventFile, type FileScanSummary, type ScanEngine, type ScanEngineOptions, type ScanSink } from './scan-events.js';
import { ensureWorkerBundle } from './worker-bundle.js';

/** What a worker needs to rebuild the scan's engine. */
export interface WorkerInit {
  readonly pack: RulePack;
  readonly mappingsDir?: string;
  readonly mappingFingerprint: string;
  readonly placeholderFingerprint: string;
  readonly engine: ScanEngineOptions;
  /** Recognise the log source of each record by the mapping (the main thread has a recogniser). */
  readonly recognise: boolean;
}

/** One chunk for a worker: whole lines of the file named `file` in diagnostics. */
export interface ChunkJob {
  readonly id: number;
  readonly file: string;
  readonly bytes: Uint8Array;
}

/** A worker's reply: ready, a chunk's result, or why it cannot go on. */
export type WorkerReply =
  | { readonly ready: true }
  | { readonly id: number; readonly result: ChunkResult; readonly seen?: SeenSources }
  | { readonly id?: number; readonly error: string };

/** How a file scanner works; defaults suit the machine it runs on. */
export interface FileScannerOptions {
  /** Worker threads for large NDJSON files; 0 or 1 scans everything in the main thread. Default: the cores available. */
  readonly threads?: number;
  /** Files smaller than this are scanned in the main thread (workers cost a start-up). Default 8 MiB. */
  readonly minParallelBytes?: number;
  /** Bytes per chunk. Default 512 KiB: small enough that chunks in flight weigh little. */
  readonly chunkBytes?: number;
  /** The mappings folder the rules were bound with, so workers bind them alike. */
  readonly mappingsDir?: string;
  readonly mapping?: Mapping;
  /**
   * Names the log source of each record for the accounts (`scanEventFile`'s `recognise`), and learns
   * what the workers' records were too, so reachability counts every record. Without it, no record is
   * recognised.
   */
  readonly recogniser?: SourceRecogniser;
  /** The rules as plain data (`LoadedRules.pack`), in the engine's order. */
  readonly pack: RulePack;
  /** Where the bundled worker is kept in the repository (./worker-bundle.ts); without it, workers start through tsx. */
  readonly cacheDir?: string;
  readonly engineOptions?: ScanEngineOptions;
}

// In the package npm pack builds (lib/, no sources), this module is compiled JavaScript and so is the
// worker beside it: workers start from it as it is, with no loader and no bundler. In the repository the
// worker is TypeScript: bundled with esbuild into the cache folder (./worker-bundle.ts), or else started
// through bin/scan-worker.js, which registers tsx as bin/dac.js does.
const COMPILED_WORKER_ENTRY = new URL('./scan-worker.js', import.meta.url);
const TSX_WORKER_ENTRY = new URL('../../bin/scan-worker.js', import.meta.url);

/** True when this module runs compiled, from the package (its worker compiled beside it). */
export const RUNS_COMPILED = existsSync(fileURLToPath(COMPILED_WORKER_ENTRY));

/** An error of reading the file being scanned (a sink's error, such as a closed output, is not one). */
class ReadFailure extends Error {
  constructor(readonly reason: unknown) {
    super(describeError(reason));
  }
}
const SNIFF_BYTES = 1024 * 1024;
// A line of more UTF-8 bytes than this has more UTF-16 code units than any record may (each unit takes
// at most 3 bytes): it is reported as too large without being kept, as the stream reader does.
const OVERLONG_LINE_BYTES = 3 * MAX_RECORD_CHARS + 3;

/** A chunk read from the file: where it starts and ends (to read it again), and its bytes until scanned. */
interface Chunk {
  readonly id: number;
  readonly start: number;
  readonly end: number;
  bytes: Buffer | undefined;
  /** A line too long to read: its result is the stream reader's diagnostic, without reading it. */
  readonly overlong?: boolean;
}

/** A worker thread and the chunks it has been given. */
interface PoolWorker {
  readonly worker: Worker;
  ready: boolean;
  readonly inFlight: Set<number>;
  /** Chunks it has scanned. */
  scanned: number;
}

/** Decides whether a file goes to the workers: a regular, large, UTF-8 NDJSON file. Returns its BOM length. */
async function inspectFile(path: string, minBytes: number): Promise<{ bomLength: number; size: number } | undefined> {
  let handle: FileHandle | undefined;
  try {
    const info = await stat(path);
    if (!info.isFile() || info.size < minBytes) return undefined;
    handle = await open(path, 'r');
    const head = Buffer.alloc(Math.min(SNIFF_BYTES, info.size));
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    const { encoding, bomLength } = detectEncoding(bytes);
    if (encoding !== 'utf-8') return undefined;
    const text = new TextDecoder('utf-8').decode(bytes.subarray(bomLength));
    const format = sniffTextFormat(text, extname(path).toLowerCase(), bytesRead === info.size || bytesRead >= SNIFF_BYTES);
    return format === 'ndjson' ? { bomLength, size: info.size } : undefined;
  } catch {
    // Whatever cannot be inspected is read by the stream reader, which reports it properly.
    return undefined;
  } finally {
    await handle?.close();
  }
}

/** The result of a line too long to be a record: one position, one diagnostic, one record skipped, as NdjsonParser gives. */
function describeOverlongLine(file: string): ChunkResult {
  const item = createEventError(file, { line: 1, column: 1 }, 'events/record-too-large', `line longer than ${MAX_RECORD_CHARS} characters; skipped`, 0);
  const accountant = new InputAccountant(file, () => undefined);
  accountant.count(item);
  return { events: 0, positions: 1, lines: 1, matches: [], diagnostics: item.kind === 'error' ? [item.diagnostic] : [], diagnosticsAfter: [0], account: accountant.part() };
}

const recogniseNothing: RecogniseRecord = () => undefined;

/** Chunks queued per worker: enough to keep it busy while the main thread reads or scans a chunk. */
const WORKER_QUEUE = 4;
/** Most chunks read but not yet handed to the sink: bounds memory while an early chunk is slow. */
const MAX_PENDING = 32;
/** A worker's young generation: chunks make short-lived garbage in bursts; a small nursery keeps its memory low. */
const YOUNG_GENERATION_MB = 8;

/**
 * Scans event files. `threads` threads scan a large NDJSON file: the main thread and `threads - 1`
 * workers; the main thread also reads the file and hands results to the sink in order.
 */
export class FileScanner {
  private readonly threads: number;
  private readonly minBytes: number;
  private readonly chunkBytes: number;
  private pool: PoolWorker[] | undefined;
  private starting: Promise<void> | undefined;
  /** Why the bundled worker could not be had in the repository (workers then start through tsx), if it could not. */
  entryProblem: string | undefined;
  /** Set once the workers failed: everything is then scanned in the main thread. */
  private failure: string | undefined;
  /** The first error a worker reported, not yet acted upon. */
  private workerError: string | undefined;
  private readonly results = new Map<number, ChunkResult>();
  /** The chunks of the file being scanned, by id: a result for any other (of a scan that stopped) is dropped. */
  private expected: ReadonlyMap<number, unknown> | undefined;
  /** Chunk ids run on across files, so a late result is never taken for another file's. */
  private nextChunkId = 0;
  /** Chunks the workers have scanned so far (the rest were scanned in the main thread). */
  workerChunks = 0;
  /** Worker threads that have scanned a chunk so far. */
  workersUsed = 0;
  private wake: (() => void) | undefined;

  constructor(
    private readonly engine: ScanEngine,
    private readonly options: FileScannerOptions,
  ) {
    this.threads = options.threads ?? availableParallelism();
    this.minBytes = options.minParallelBytes ?? 8 * 1024 * 1024;
    this.chunkBytes = options.chunkBytes ?? 512 * 1024;
  }

  /**
   * Scans the file at `path`, or a stream (read in this thread), naming it `name` in matches and
   * diagnostics; every record is counted in the summary's account.
   */
  async scanFile(path: string | EventStream, name: string, sink: ScanSink): Promise<FileScanSummary> {
    const recognise = this.options.recogniser?.recognise ?? recogniseNothing;
    const inspected = typeof path === 'string' && this.threads > 1 && this.failure === undefined ? await inspectFile(path, this.minBytes) : undefined;
    if (typeof path !== 'string' || inspected === undefined) return scanEventFile(path, name, this.engine, sink, recognise);
    return this.scanInChunks(path, name, inspected.bomLength, sink, recognise);
  }

  /** Resolves once every worker started is ready or has failed (for tests and measurements). */
  async settled(): Promise<void> {
    await this.starting;
    while (this.pool !== undefined && this.workerError === undefined && !this.pool.every((member) => member.ready)) {
      await new Promise<void>((resolve) => {
        this.wake = resolve;
      });
    }
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    await this.starting;
    if (pool) await Promise.all(pool.map(({ worker }) => worker.terminate()));
  }

  private signal(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  private fail(error: unknown): void {
    this.workerError ??= error instanceof Error ? error.message : String(error);
    this.signal();
  }

  /**
   * Starts the workers once, in the background: from the compiled worker in the package; in the
   * repository, the bundled worker when it can be had (./worker-bundle.ts), else through tsx. The main
   * thread scans meanwhile; workers are used as they become ready.
   */
  private startPool(): PoolWorker[] {
    if (this.pool) return this.pool;
    const pool: PoolWorker[] = [];
    this.pool = pool;
    const { pack, mappingsDir, mapping, engineOptions, cacheDir, recogniser } = this.options;
    const init: WorkerInit = {
      pack,
      ...(mappingsDir !== undefined ? { mappingsDir } : {}),
      mappingFingerprint: fingerprintMapping(mapping),
      placeholderFingerprint: fingerprintPlaceholders(getDefaultPlaceholders()),
      engine: engineOptions ?? {},
      recognise: recogniser !== undefined,
    };
    this.starting = (async () => {
      let entry = RUNS_COMPILED ? COMPILED_WORKER_ENTRY : TSX_WORKER_ENTRY;
      if (!RUNS_COMPILED && cacheDir !== undefined) {
        const bundle = await ensureWorkerBundle(cacheDir);
        if ('url' in bundle) entry = bundle.url;
        else this.entryProblem = bundle.problem;
      }
      // Closed while the bundle was being made: start nothing.
      if (this.pool !== pool) return;
      for (let index = 1; index < this.threads; index += 1) pool.push(this.startWorker(entry, init, pool));
      this.signal();
    })();
    return pool;
  }

  private startWorker(entry: URL, init: WorkerInit, pool: readonly PoolWorker[]): PoolWorker {
    const worker = new Worker(entry, { workerData: init, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    const member: PoolWorker = { worker, ready: false, inFlight: new Set(), scanned: 0 };
    worker.on('message', (reply: WorkerReply) => {
      if ('ready' in reply) {
        member.ready = true;
      } else if ('result' in reply) {
        member.inFlight.delete(reply.id);
        if (this.expected?.has(reply.id)) this.results.set(reply.id, reply.result);
        // What the worker's records were, for reachability: a set, so arrival order does not matter.
        if (reply.seen) this.options.recogniser?.include(reply.seen);
        this.workerChunks += 1;
        if (member.scanned++ === 0) this.workersUsed += 1;
      } else {
        this.fail(new Error(reply.error));
        return;
      }
      this.signal();
    });
    worker.on('error', (error) => this.fail(error));
    worker.on('exit', (code) => {
      if (this.pool === pool) this.fail(new Error(`a scan worker stopped (exit code ${code})`));
    });
    return member;
  }

  private async scanInChunks(path: string, name: string, bomLength: number, sink: ScanSink, recognise: RecogniseRecord): Promise<FileScanSummary> {
    const handle = await open(path, 'r');
    const pool = this.startPool();
    const { results } = this;
    results.clear();
    /** Chunks read and not yet handed to the sink, by id. */
    const pending = new Map<number, Chunk>();
    this.expected = pending;
    /** Chunks this thread scans itself, in order. */
    const local: Chunk[] = [];
    const accountant = new InputAccountant(name, recognise);

    let events = 0;
    let matches = 0;
    let unreadable = false;
    let positionOffset = 0;
    let lineOffset = 0;
    let nextToEmit = this.nextChunkId;
    const takeId = (): number => this.nextChunkId++;
    /** Why reading stopped mid-file; what was read before is still scanned and reported. */
    let readError: ReadFailure | undefined;
    let readPosition = bomLength;
    let carry: Buffer = Buffer.alloc(0);
    let skippingOverlong = false;
    let endOfFile = false;

    // A sink call that returns a promise is waited for (back-pressure); one that throws stops the scan.
    const emit = async (result: ChunkResult, bytesRead: number): Promise<void> => {
      const emitDiagnostic = (index: number): unknown => {
        const diagnostic = result.diagnostics[index] as Diagnostic;
        return sink.diagnostic({ ...diagnostic, file: diagnostic.file === path ? name : diagnostic.file, line: diagnostic.line + lineOffset });
      };
      // Matches and problems go out interleaved as the stream reader reports them.
      let problem = 0;
      for (let index = 0; index < result.matches.length; index += 2) {
        while (problem < result.diagnostics.length && (result.diagnosticsAfter[problem] as number) <= index / 2) {
          const waited = emitDiagnostic(problem++);
          if (waited instanceof Promise) await waited;
        }
        matches += 1;
        const rule = this.engine.rules[result.matches[index + 1] as number] as CompiledRule;
        const waited = sink.match({ rule, file: name, event: positionOffset + (result.matches[index] as number) });
        if (waited instanceof Promise) await waited;
      }
      while (problem < result.diagnostics.length) {
        const waited = emitDiagnostic(problem++);
        if (waited instanceof Promise) await waited;
      }
      accountant.merge(result.account, positionOffset);
      events += result.events;
      positionOffset += result.positions;
      lineOffset += result.lines;
      sink.progress?.(events, bytesRead);
    };
    // Hands finished results to the sink in file order.
    const flush = async (): Promise<void> => {
      for (let result = results.get(nextToEmit); result !== undefined; result = results.get(nextToEmit)) {
        const chunk = pending.get(nextToEmit) as Chunk;
        results.delete(nextToEmit);
        pending.delete(nextToEmit);
        nextToEmit += 1;
        await emit(result, chunk.end);
      }
    };
    const read = async (buffer: Buffer, offset: number, length: number, position: number): Promise<number> => {
      try {
        return (await handle.read(buffer, offset, length, position)).bytesRead;
      } catch (error) {
        throw new ReadFailure(error);
      }
    };
    const readRange = async (start: number, end: number): Promise<Buffer> => {
      const bytes = Buffer.allocUnsafe(end - start);
      let filled = 0;
      while (filled < bytes.length) {
        const bytesRead = await read(bytes, filled, bytes.length - filled, start + filled);
        if (bytesRead === 0) throw new ReadFailure(new Error('the file became shorter while it was scanned'));
        filled += bytesRead;
      }
      return bytes;
    };
    const scanHere = async (chunk: Chunk): Promise<void> => {
      if (chunk.overlong) {
        results.set(chunk.id, describeOverlongLine(path));
        return;
      }
      // A chunk a failed worker had is read again: its bytes moved to the worker.
      const bytes = chunk.bytes ?? (await readRange(chunk.start, chunk.end));
      chunk.bytes = undefined;
      results.set(chunk.id, scanChunk(this.engine, path, bytes, recognise));
    };
    // After a worker failure: one warning, the workers stopped, and every unfinished chunk scanned here.
    const takeOver = async (): Promise<void> => {
      if (this.failure === undefined) {
        this.failure = this.workerError ?? 'unknown error';
        const waited = sink.diagnostic(createDiagnostic(name, { line: 1, column: 1 }, 'scan/worker-failed', 'warning',
          `scan workers stopped (${this.failure}); the rest is scanned in one thread`));
        if (waited instanceof Promise) await waited;
        await this.close();
      }
      local.length = 0;
      for (const chunk of [...pending.values()].sort((a, b) => a.id - b.id)) if (!results.has(chunk.id)) await scanHere(chunk);
      await flush();
    };
    const findIdleWorker = (): PoolWorker | undefined => {
      if (this.failure !== undefined || this.workerError !== undefined) return undefined;
      let best: PoolWorker | undefined;
      for (const member of pool) if (member.ready && member.inFlight.size < WORKER_QUEUE && (!best || member.inFlight.size < best.inFlight.size)) best = member;
      return best;
    };
    const dispatch = (chunk: Chunk): void => {
      pending.set(chunk.id, chunk);
      const worker = chunk.overlong ? undefined : findIdleWorker();
      if (worker === undefined || chunk.bytes === undefined) {
        local.push(chunk);
        return;
      }
      worker.inFlight.add(chunk.id);
      const job: ChunkJob = { id: chunk.id, file: path, bytes: chunk.bytes };
      // The chunk's buffer is its own (allocUnsafeSlow), so it moves to the worker without a copy.
      worker.worker.postMessage(job, [chunk.bytes.buffer as ArrayBuffer]);
      chunk.bytes = undefined;
    };
    /** Reads the next chunk of whole lines and dispatches it. */
    const readChunk = async (): Promise<void> => {
      for (;;) {
        const size = Math.max(this.chunkBytes, carry.length);
        const buffer = Buffer.allocUnsafeSlow(carry.length + size);
        carry.copy(buffer, 0);
        const bytesRead = await read(buffer, carry.length, size, readPosition);
        const chunkStart = readPosition - carry.length;
        readPosition += bytesRead;
        const filled = carry.length + bytesRead;
        if (bytesRead === 0) {
          endOfFile = true;
          carry = Buffer.alloc(0);
          if (filled > 0 && !skippingOverlong) dispatch({ id: takeId(), start: chunkStart, end: chunkStart + filled, bytes: buffer.subarray(0, filled) });
          return;
        }
        const newline = buffer.lastIndexOf(10, filled - 1);
        if (skippingOverlong) {
          // The rest of a line too long to read is dropped up to its newline.
          if (newline !== -1) {
            skippingOverlong = false;
            carry = Buffer.from(buffer.subarray(buffer.indexOf(10) + 1, filled));
          } else {
            carry = Buffer.alloc(0);
          }
          continue;
        }
        if (newline === -1) {
          if (filled <= OVERLONG_LINE_BYTES) {
            carry = Buffer.from(buffer.subarray(0, filled));
            continue;
          }
          skippingOverlong = true;
          carry = Buffer.alloc(0);
          dispatch({ id: takeId(), start: chunkStart, end: chunkStart + filled, bytes: undefined, overlong: true });
          return;
        }
        carry = Buffer.from(buffer.subarray(newline + 1, filled));
        dispatch({ id: takeId(), start: chunkStart, end: chunkStart + newline + 1, bytes: buffer.subarray(0, newline + 1) });
        return;
      }
    };

    try {
      for (;;) {
        // Keep ready workers fed, and one chunk at hand for this thread.
        while (!endOfFile && pending.size < MAX_PENDING && (findIdleWorker() !== undefined || local.length === 0)) {
          try {
            await readChunk();
          } catch (error) {
            if (!(error instanceof ReadFailure)) throw error;
            readError = error;
            endOfFile = true;
          }
        }
        await flush();
        if (this.workerError !== undefined && (this.failure === undefined || pending.size > local.length)) {
          await takeOver();
          continue;
        }
        const chunk = local.shift();
        if (chunk !== undefined) {
          await scanHere(chunk);
          await flush();
          continue;
        }
        if (endOfFile && pending.size === 0) break;
        // Everything read is with the workers: wait for a result (or for a worker to become ready).
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
      }
    } catch (error) {
      // The sink's own errors (the output is gone) stop the scan; the caller says how it ended.
      if (!(error instanceof ReadFailure)) throw error;
      // A chunk could not be read again after a worker failure: what came before it is reported.
      readError = error;
      await flush();
    } finally {
      this.expected = undefined;
      await handle.close();
    }
    if (readError !== undefined) {
      // A read error mid-file: what was read is reported, then the error, as the stream reader does.
      unreadable = true;
      const item = createEventError(path, { line: 1, column: 1 }, 'events/unreadable-file', `reading stopped: ${readError.message}`);
      accountant.count(item);
      if (item.kind === 'error') {
        const waited = sink.diagnostic({ ...item.diagnostic, file: name });
        if (waited instanceof Promise) await waited;
      }
    }
    return { events, matches, unreadable, account: accountant.finish() };
  }
}
