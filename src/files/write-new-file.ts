/**
 * Writes a file that must not exist yet, whole or not at all: the text goes to a temporary file beside
 * it (flushed), which is then hard-linked to the target name. link(2) fails when the target exists, so a
 * file someone else wrote in the meantime is never replaced, and a reader never sees a part of the text.
 */
import { link, rm } from 'node:fs/promises';
import { temporaryPathFor, toFileWriteError, writeFlushed } from './write-file-atomic.js';

/** Writes `data` to `path` unless a file is there; returns false, writing nothing, when one is. */
export async function writeNewFile(path: string, data: string | Uint8Array): Promise<boolean> {
  const temporary = temporaryPathFor(path);
  try {
    await writeFlushed(temporary, data);
    await link(temporary, path);
    return true;
  } catch (error) {
    const failure = toFileWriteError(path, error);
    if (failure.code === 'EEXIST') return false;
    throw failure;
  } finally {
    await rm(temporary, { force: true }).catch(() => undefined);
  }
}

/** The target already exists: nothing was written. */
export class FileExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} already exists; it is left as it is`);
    this.name = 'FileExistsError';
  }
}

/** Like {@link writeNewFile}, for callers that stop at an existing file: throws {@link FileExistsError} instead of returning false. */
export async function createNewFile(path: string, data: string | Uint8Array): Promise<void> {
  if (!(await writeNewFile(path, data))) throw new FileExistsError(path);
}
