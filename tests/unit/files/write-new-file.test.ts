import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileWriteError } from '../../../src/files/write-file-atomic.js';
import { writeNewFile } from '../../../src/files/write-new-file.js';

describe('writeNewFile', () => {
  it('writes a file that is not there, and leaves no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dac-new-file-'));
    expect(await writeNewFile(join(dir, 'a.yml'), 'rules: rules\n')).toBe(true);
    expect(readFileSync(join(dir, 'a.yml'), 'utf8')).toBe('rules: rules\n');
    expect(readdirSync(dir)).toEqual(['a.yml']);
  });

  it('never replaces a file that is there, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dac-new-file-'));
    writeFileSync(join(dir, 'a.yml'), 'mine\n');
    expect(await writeNewFile(join(dir, 'a.yml'), 'theirs\n')).toBe(false);
    expect(readFileSync(join(dir, 'a.yml'), 'utf8')).toBe('mine\n');
    expect(readdirSync(dir)).toEqual(['a.yml']);
  });

  it('names the file it could not write', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dac-new-file-'));
    const target = join(dir, 'no-such-folder', 'a.yml');
    await expect(writeNewFile(target, 'x')).rejects.toThrow(FileWriteError);
    await expect(writeNewFile(target, 'x')).rejects.toMatchObject({ path: target, code: 'ENOENT' });
    // The same words as every other write dac makes.
    await expect(writeNewFile(target, 'x')).rejects.toThrow(`cannot write ${target}: the folder does not exist (ENOENT)`);
  });
});

describe('createNewFile', () => {
  it('throws, writing nothing, when the file is there', async () => {
    const { createNewFile, FileExistsError } = await import('../../../src/files/write-new-file.js');
    const dir = mkdtempSync(join(tmpdir(), 'dac-new-file-'));
    writeFileSync(join(dir, 'a.yml'), 'mine\n');
    await expect(createNewFile(join(dir, 'a.yml'), 'theirs\n')).rejects.toBeInstanceOf(FileExistsError);
    expect(readFileSync(join(dir, 'a.yml'), 'utf8')).toBe('mine\n');
    await createNewFile(join(dir, 'b.yml'), 'new\n');
    expect(readFileSync(join(dir, 'b.yml'), 'utf8')).toBe('new\n');
  });
});
