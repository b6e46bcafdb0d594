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
    EEXIST: 'a file is in the way of the folder',
    EIO: 'input/output error',
  };
  const reason = messages[code] ?? (error instanceof Error ? error.message : String(error));
  return { code, reason: messages[code] ? `${reason} (${code})` : reason };
};

/** Wraps a system error met while writing `path` (the target the user knows) into a {@link FileWriteError}. */
export function toFileWriteError(path: string, error: unknown): FileWriteError {
  if (error instanceof FileWriteError) return error;
  const { code, reason } = describeSystemError(error);
  return new FileWriteError(path, code, reason);
}

/** The name of a temporary file beside `path`: hidden, unique, and recognisable as dac's. */
export function temporaryPathFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.dac-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes `data` to `temporary`, a file that must not exist, and flushes it to disk: flushed before it
 * is renamed or linked to its target, so a crash after that cannot leave a target that is empty.
 */
export async function writeFlushed(temporary: string, data: string | Uint8Array): Promise<void> {
  const handle = await open(temporary, 'wx', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** A file written to its temporary name and flushed, waiting to be renamed over its target. */
export interface StagedFile {
  /** The target. */
  readonly path: string;
  /** Renames the temporary file over the target: the target changes whole, at once. */
  commit(): Promise<void>;
  /** Removes the temporary file; the target stays as it was. */
  discard(): Promise<void>;
}

/**
 * Writes `data` to a temporary file beside `path` and flushes it, without touching `path`: several
 * files can be staged first and committed in an order of the caller's choosing (see the report folder).
 * Throws a {@link FileWriteError} naming `path` when the data cannot be written.
 */
export async function stageFile(path: string, data: string | Uint8Array): Promise<StagedFile> {
  const temporary = temporaryPathFor(path);
  try {
    await writeFlushed(temporary, data);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw toFileWriteError(path, error);
  }
  return {
    path,
    commit: async () => {
      try {
        await rename(temporary, path);
      } catch (error) {
        await rm(temporary, { force: true }).catch(() => undefined);
        throw toFileWriteError(path, error);
      }
    },
    discard: () => rm(temporary, { force: true }).catch(() => undefined),
  };
}

/** True for the name of a temporary file dac left beside `target` (a run killed before its rename). */
export function isTemporaryFileOf(name: string, target: string): boolean {
  const prefix = `.${target}.dac-`;
  return name.startsWith(prefix) && /^\d+-[0-9a-f]{8}\.tmp$/.test(name.slice(prefix.length));
}

/**
 * Writes `data` to `path` atomically: whole or not at all. On failure the temporary file is removed,
 * the target is left as it was, and a {@link FileWriteError} naming the target is thrown.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const staged = await stageFile(path, data);
  await staged.commit();
}
