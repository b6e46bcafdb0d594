/**
 * The one way dac writes a file: a temporary file in the target's folder, flushed to disk, then
 * renamed over the target. rename(2) within one folder is atomic, so a reader (or a run killed at any
 * moment) sees the old file or the new one, never a part of either.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A write that failed: the file it was for, and the system's error code (ENOSPC, EACCES, EROFS ...). */
export class FileWriteError extends Error {
  constructor(
    /** The file that was being written (the target, not the temporary file). */
    readonly path: string,
    /** The system error code, e.g. `ENOSPC`; `EUNKNOWN` when the error had none. */
    readonly code: string,
    readonly reason: string,
  ) {
    super(`cannot write ${path}: ${reason}`);
    this.name = 'FileWriteError';
  }
}

const describeSystemError = (error: unknown): { code: string; reason: string } => {
  const code = typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string'
    ? (error as { code: string }).code
    : 'EUNKNOWN';
  const messages: Record<string, string> = {
    ENOSPC: 'no space left on the device',
    EDQUOT: 'disk quota exceeded',
    EACCES: 'permission denied',
    EPERM: 'operation not permitted',
    EROFS: 'the file system is read-only',
    ENOENT: 'the folder does not exist',
    ENOTDIR: 'a part of the path is not a folder',
    EISDIR: 'the target is a folder',
    EIO: 'input/output error',
  };
  const reason = messages[code] ?? (error instanceof Error ? error.message : String(error));
  return { code, reason: messages[code] ? `${reason} (${code})` : reason };
};

/** The name of a temporary file beside `path`: hidden, unique, and recognisable as dac's. */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.dac-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes `data` to `path` atomically: whole or not at all. On failure the temporary file is removed,
 * the target is left as it was, and a {@link FileWriteError} naming the target is thrown.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporaryPathFor(path);
  try {
    const handle = await open(temporary, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      // Flushed before the rename, so a crash after it cannot leave a renamed but empty file.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    const { code, reason } = describeSystemError(error);
    throw new FileWriteError(path, code, reason);
  }
}
