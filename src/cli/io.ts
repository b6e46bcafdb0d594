import type { FileWriteError } from '../files/write-file-atomic.js';
import { escapeControlCharacters } from '../text/control-characters.js';

/** A stream a command writes text to: the process's stdout or stderr, or a capture in tests. */
export interface OutputStream {
  /** Writes text; false means the stream's buffer is full (see `drained`). */
  write(text: string): unknown;
  readonly isTTY?: boolean;
  /** Resolves when the stream can take more text again (back-pressure); absent on streams that never push back. */
  readonly drained?: () => Promise<void>;
  /** Resolves when everything written so far has left the process, or writing has failed. */
  readonly finished?: () => Promise<void>;
  /** Why writing to the stream failed (closed pipe, full disk, closed descriptor); later writes are dropped. */
  readonly failure?: OutputFailure;
}

/** A failed write to standard output or standard error. */
export interface OutputFailure {
  /** The system error code: `EPIPE` (the reader went away), `ENOSPC`, `EBADF` ... */
  readonly code: string;
  readonly message: string;
}

/** Where a command reads and writes: injected so tests can capture output without spawning processes. */
export interface CliIo {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  /** Working directory against which relative paths are resolved. */
  readonly cwd: string;
  /** Standard input, for commands that read `-`; the process's own when absent. */
  readonly stdin?: NodeJS.ReadableStream;
}

/** A `dac` subcommand: takes its own arguments, returns the process exit code. */
export type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

/** Exit status of a run that found nothing wrong. */
export const EXIT_OK = 0;

/** Exit status when the run found failures: a failing rule, an invalid rule, a verdict not predicted. */
export const EXIT_FAILURE = 1;

/** Exit status for usage errors and unreadable input (DESIGN's CLI contract). */
export const EXIT_USAGE = 2;

/** Exit status of a bug in dac itself (sysexits.h EX_SOFTWARE): one line on stderr, never a stack trace. */
export const EXIT_INTERNAL = 70;

/**
 * Exit status when a file or standard output could not be written (sysexits.h EX_IOERR): a full disk,
 * a read-only folder, a closed standard output. Never confused with "a rule failed" (1).
 */
export const EXIT_IO = 74;

/**
 * Exit status when the reader of standard output went away (`dac scan ... | head -1`): 128 + SIGPIPE,
 * what a shell reports for `grep` or `cat` in the same place, so pipelines behave as with any Unix tool.
 */
export const EXIT_CLOSED_PIPE = 141;

/** Writes text and, when the stream asks for it, waits until it has room again (back-pressure). */
export async function writeWithBackPressure(stream: OutputStream, text: string): Promise<void> {
  if (stream.write(text) === false && stream.drained) await stream.drained();
}

/** The one line a failed file write becomes: which file, and what the system said. */
export function describeWriteError(command: string, error: FileWriteError): string {
  return `dac ${command}: ${escapeControlCharacters(error.message)}\n`;
}

/**
 * Writes text for people: control characters from rules, events and file names are shown escaped
 * (terminal safety), line breaks are kept. Machine formats use escapeJsonControlCharacters instead.
 */
export function printText(stream: OutputStream, text: string): void {
  stream.write(escapeControlCharacters(text, { keepLineBreaks: true }));
}
