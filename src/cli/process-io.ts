/**
 * The process's own standard streams, guarded: a write error (closed pipe, full disk, closed
 * descriptor) becomes a recorded failure instead of an unhandled 'error' event, writes wait for the
 * reader when it is slow, and `main` turns the failure into its exit status.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import type { CliIo, OutputFailure, OutputStream } from './io.js';

/** The part of a Node writable stream the guard needs. */
interface WritableLike {
  write(chunk: string, callback?: (error?: Error | null) => void): boolean;
  on(event: 'error', listener: (error: Error) => void): unknown;
  once(event: 'drain', listener: () => void): unknown;
  removeListener(event: 'drain', listener: () => void): unknown;
  readonly writableNeedDrain?: boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
}

const describeFailure = (error: unknown): OutputFailure => {
  const code = typeof (error as { code?: unknown })?.code === 'string' ? (error as { code: string }).code : 'EIO';
  const reasons: Record<string, string> = {
    EPIPE: 'the reader closed the pipe',
    ENOSPC: 'no space left on the device',
    EBADF: 'it is closed',
    EIO: 'input/output error',
    EDQUOT: 'disk quota exceeded',
  };
  return { code, message: `${reasons[code] ?? (error instanceof Error ? error.message : String(error))} (${code})` };
};

/** A process stream that records its first failure and answers back-pressure with a promise. */
export class GuardedOutput implements OutputStream {
  private failed: OutputFailure | undefined;
  private readonly waiting = new Set<() => void>();

  /**
   * @param closedAtStart the descriptor was closed when dac started (see `isClosedDescriptor`): the
   * first write fails with EBADF instead of vanishing into /dev/null.
   */
  constructor(
    private readonly stream: WritableLike,
    private readonly closedAtStart = false,
  ) {
    stream.on('error', (error) => this.fail(error));
  }

  get isTTY(): boolean {
    return this.stream.isTTY === true;
  }

  /** The terminal's width, for the progress bar. */
  get columns(): number | undefined {
    return this.stream.columns;
  }

  get failure(): OutputFailure | undefined {
    return this.failed;
  }

  write(text: string): boolean {
    if (this.failed) return false;
    if (this.closedAtStart) {
      this.fail(Object.assign(new Error('closed'), { code: 'EBADF' }));
      return false;
    }
    try {
      return this.stream.write(text);
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  readonly drained = (): Promise<void> => {
    if (this.failed || !this.stream.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        this.stream.removeListener('drain', done);
        this.waiting.delete(done);
        resolve();
      };
      this.waiting.add(done);
      this.stream.once('drain', done);
    });
  };

  readonly finished = (): Promise<void> => {
    if (this.failed || this.closedAtStart) return Promise.resolve();
    // An empty write's callback runs once everything before it has been written, or has failed.
    return new Promise((resolve) => {
      try {
        this.stream.write('', (error) => {
          if (error) this.fail(error);
          resolve();
        });
      } catch (error) {
        this.fail(error);
        resolve();
      }
    });
  };

  private fail(error: unknown): void {
    this.failed ??= describeFailure(error);
    for (const resolve of [...this.waiting]) resolve();
  }
}

/**
 * True when descriptor `fd` was closed when the process started (`dac scan ... >&-`). Node reopens a
 * closed standard descriptor on /dev/null for reading and writing, so output would vanish without an
 * error; a shell's `>/dev/null` opens it write-only. Linux shows both in /proc; elsewhere this says false.
 */
export function isClosedDescriptor(fd: number): boolean {
  try {
    if (readlinkSync(`/proc/self/fd/${fd}`) !== '/dev/null') return false;
    const flags = /^flags:\s*([0-7]+)/m.exec(readFileSync(`/proc/self/fdinfo/${fd}`, 'utf8'));
    // O_ACCMODE is 3; O_RDWR is 2. A shell redirection of stdout or stderr opens it O_WRONLY (1).
    return flags !== null && (parseInt(flags[1] as string, 8) & 3) === 2;
  } catch {
    return false;
  }
}

/** The real process streams, guarded. */
export function createProcessIo(): CliIo {
  return {
    stdout: new GuardedOutput(process.stdout, isClosedDescriptor(1)),
    stderr: new GuardedOutput(process.stderr),
    cwd: process.cwd(),
    stdin: process.stdin,
  };
}
