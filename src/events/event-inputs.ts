/**
 * The inputs of `dac scan` as a user names them: event files, folders of them (walked by the same
 * rules as rule folders, see src/files/list-files.ts), `-` for standard input, and FIFOs or process
 * substitutions (`<(zcat logs.ndjson.gz)`), read as streams. An input that cannot be opened is a
 * diagnostic and the others are still read; a FIFO that nobody writes to is given up after a wait,
 * so it cannot hold back the inputs after it.
 */
import { close, constants, open, read, stat } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { listFiles } from '../files/list-files.js';
import type { EventStream } from './read-events.js';

/** The extensions a walked folder contributes as event files (a file named on its own is read whatever its name). */
const EVENT_EXTENSIONS = new Set(['.evtx', '.xml', '.json', '.ndjson', '.jsonl']);

/** True for the file names of event files in a folder: `.evtx`, `.xml`, `.json`, `.ndjson`, `.jsonl`, any case. */
export function isEventFileName(name: string): boolean {
  return EVENT_EXTENSIONS.has(path.extname(name).toLowerCase());
}

/** One input ready to read: a file path, or a stream; `name` is how matches and diagnostics name it. */
export interface EventInput {
  readonly name: string;
  readonly source: string | EventStream;
}

/** What resolving the inputs yields, in the order they were named. */
export type ResolvedItem =
  | { readonly kind: 'input'; readonly input: EventInput }
  /** `unreadable`: an input named by the user could not be read at all (exit status 2). */
  | { readonly kind: 'diagnostic'; readonly diagnostic: Diagnostic; readonly unreadable: boolean };

/** How inputs are resolved. */
export interface InputOptions {
  readonly cwd: string;
  /** Standard input, read for `-`. */
  readonly stdin: AsyncIterable<Uint8Array>;
  /** How long to wait for a process to open a FIFO for writing before giving it up. */
  readonly fifoWaitMs: number;
}

const AT = { line: 1, column: 1 };

const unreadable = (name: string, message: string): ResolvedItem => ({
  kind: 'diagnostic',
  diagnostic: createDiagnostic(name, AT, 'events/unreadable-file', 'error', message),
  unreadable: true,
});

const describeCode = (error: unknown): string => {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = { ENOENT: 'no such file or folder', EACCES: 'permission denied', ELOOP: 'too many symbolic links', ENOTDIR: 'a part of the path is not a folder' };
  return code ? `${reasons[code] ?? (error as Error).message} (${code})` : String(error);
};

/**
 * Resolves the named inputs one at a time, in order, so a FIFO is opened (and waited for) only when the
 * inputs before it have been read. Folders expand to their event files.
 */
export async function* resolveEventInputs(names: readonly string[], options: InputOptions): AsyncIterable<ResolvedItem> {
  let stdinTaken = false;
  for (const name of names) {
    if (name === '-') {
      if (stdinTaken) {
        yield { kind: 'diagnostic', diagnostic: createDiagnostic('-', AT, 'events/stdin-repeated', 'warning', 'standard input is read once; this - is skipped'), unreadable: false };
        continue;
      }
      stdinTaken = true;
      yield { kind: 'input', input: { name: '-', source: { name: '-', chunks: options.stdin } } };
      continue;
    }
    const absolute = path.resolve(options.cwd, name);
    let info;
    try {
      info = await statOf(absolute);
    } catch (error) {
      yield unreadable(name, `cannot read: ${describeCode(error)}`);
      continue;
    }
    if (info.isDirectory()) {
      const listing = await listFiles([name], { cwd: options.cwd, accept: isEventFileName, kind: 'event file' });
      for (const diagnostic of listing.diagnostics) yield { kind: 'diagnostic', diagnostic, unreadable: diagnostic.severity === 'error' };
      if (listing.otherFiles > 0) {
        yield {
          kind: 'diagnostic',
          diagnostic: createDiagnostic(name, AT, 'events/other-files', 'note',
            `${listing.otherFiles} file${listing.otherFiles === 1 ? '' : 's'} not read: in a folder, only .evtx, .xml, .json, .ndjson and .jsonl files are event files (name a file on its own to read it whatever its name)`),
          unreadable: false,
        };
      }
      for (const file of listing.files) yield { kind: 'input', input: { name: file.displayName, source: file.absolutePath } };
    } else if (info.isFIFO()) {
      const opened = await openFifo(absolute, name, options.fifoWaitMs);
      yield 'diagnostic' in opened ? { kind: 'diagnostic', diagnostic: opened.diagnostic, unreadable: true } : { kind: 'input', input: { name, source: opened.stream } };
    } else if (info.isSocket()) {
      yield unreadable(name, 'cannot read: it is a socket, not a file, a FIFO or a folder');
    } else {
      yield { kind: 'input', input: { name, source: absolute } };
    }
  }
}

const statOf = (file: string): Promise<import('node:fs').Stats> =>
  new Promise((resolve, reject) => stat(file, (error, info) => (error ? reject(error) : resolve(info))));

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** What a non-blocking read of a FIFO says: data, `wait` (a writer is there, nothing to read yet), or `none` (no writer). */
function probe(fd: number, buffer: Buffer): Promise<number | 'wait' | 'none' | Error> {
  return new Promise((resolve) => {
    read(fd, buffer, 0, buffer.length, null, (error, bytes) => {
      if (error) resolve((error as NodeJS.ErrnoException).code === 'EAGAIN' ? 'wait' : error);
      else resolve(bytes === 0 ? 'none' : bytes);
    });
  });
}

/**
 * Opens a FIFO (or the pipe of a process substitution) without blocking: opened for reading with
 * O_NONBLOCK, it is polled until a writer appears (a read says "try again" or returns data), for at
 * most `waitMs`; then it is read through a libuv pipe, which waits for data without holding a thread.
 * A FIFO nobody opens for writing in time is a diagnostic, and the run goes on.
 */
export async function openFifo(file: string, name: string, waitMs: number): Promise<{ stream: EventStream } | { diagnostic: Diagnostic }> {
  let fd: number;
  try {
    fd = await new Promise<number>((resolve, reject) =>
      open(file, constants.O_RDONLY | constants.O_NONBLOCK, (error, opened) => (error ? reject(error) : resolve(opened))));
  } catch (error) {
    return { diagnostic: createDiagnostic(name, AT, 'events/unreadable-file', 'error', `cannot open the FIFO: ${describeCode(error)}`) };
  }
  const buffer = Buffer.alloc(64 * 1024);
  const deadline = Date.now() + waitMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    const outcome = await probe(fd, buffer);
    if (outcome instanceof Error) {
      close(fd, () => undefined);
      return { diagnostic: createDiagnostic(name, AT, 'events/unreadable-file', 'error', `cannot read the FIFO: ${describeCode(outcome)}`) };
    }
    if (outcome !== 'none') {
      const first = typeof outcome === 'number' ? Buffer.from(buffer.subarray(0, outcome)) : undefined;
      const socket = new net.Socket({ fd, readable: true, writable: false });
      return { stream: { name, chunks: prepend(first, socket) } };
    }
    if (Date.now() >= deadline) {
      close(fd, () => undefined);
      return {
        diagnostic: createDiagnostic(name, AT, 'events/no-writer', 'error',
          `no process wrote to this FIFO within ${waitMs / 1000} s; it is skipped and the other inputs are read (start the writer first, or raise --fifo-wait)`),
      };
    }
    await delay(pause);
  }
}

/** The socket's chunks, after the bytes the probe already read; destroying the iteration closes the FIFO. */
async function* prepend(first: Buffer | undefined, socket: net.Socket): AsyncIterable<Uint8Array> {
  try {
    if (first) yield first;
    for await (const chunk of socket) yield chunk as Buffer;
  } finally {
    socket.destroy();
  }
}
