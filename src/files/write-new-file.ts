/**
 * Creating a file that must not exist yet (a scaffolded rule, a copied golden event), whole or not at
 * all: the data goes to a temporary file beside the target, is flushed, then linked to the target name.
 * link(2) fails when the name exists, so an existing file is never replaced, not even by a race.
 */
import { link, rm } from 'node:fs/promises';
import { FileWriteError, temporaryPathFor, writeFileAtomic } from './write-file-atomic.js';

/** The target already exists: nothing was written. */
export class FileExistsError extends Error {
  constructor(readonly path: string) {
    super(`${path} already exists; it is left as it is`);
    this.name = 'FileExistsError';
  }
}

/**
 * Writes `data` to a new file `path`: throws {@link FileExistsError} when `path` exists, a
 * {@link FileWriteError} naming `path` when the file system refuses; in both cases nothing is left behind.
 */
export async function writeNewFile(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = temporaryPathFor(path);
  // The temporary file is written atomically itself, so a crash never leaves a partial target.
  await writeFileAtomic(temporary, data).catch((error: unknown) => {
    throw error instanceof FileWriteError ? new FileWriteError(path, error.code, error.reason) : error;
  });
  try {
    await link(temporary, path);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === 'EEXIST') throw new FileExistsError(path);
    throw new FileWriteError(path, typeof code === 'string' ? code : 'EUNKNOWN', error instanceof Error ? error.message : String(error));
  } finally {
    await rm(temporary, { force: true });
  }
}
