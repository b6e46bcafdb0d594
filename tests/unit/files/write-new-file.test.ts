import { chmod, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileWriteError } from '../../../src/files/write-file-atomic.js';
import { FileExistsError, writeNewFile } from '../../../src/files/write-new-file.js';

describe('writeNewFile', () => {
  it('creates a file whole, leaving no temporary file behind', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dac-new-file-'));
    await writeNewFile(join(folder, 'a.yml'), 'title: a\n');
    expect(await readFile(join(folder, 'a.yml'), 'utf8')).toBe('title: a\n');
    expect(await readdir(folder)).toEqual(['a.yml']);
  });

  it('never replaces an existing file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dac-new-file-'));
    await writeFile(join(folder, 'a.yml'), 'mine\n');
    await expect(writeNewFile(join(folder, 'a.yml'), 'theirs\n')).rejects.toBeInstanceOf(FileExistsError);
    expect(await readFile(join(folder, 'a.yml'), 'utf8')).toBe('mine\n');
    expect(await readdir(folder)).toEqual(['a.yml']);
  });

  it('names the target and the system code when the folder refuses', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'dac-new-file-'));
    await expect(writeNewFile(join(folder, 'missing', 'a.yml'), 'x')).rejects.toMatchObject({ path: join(folder, 'missing', 'a.yml'), code: 'ENOENT' });
    if (process.getuid?.() === 0) return; // root writes anywhere
    await chmod(folder, 0o500);
    const error = await writeNewFile(join(folder, 'b.yml'), 'x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FileWriteError);
    await chmod(folder, 0o700);
    expect(await readdir(folder)).toEqual([]);
  });
});
