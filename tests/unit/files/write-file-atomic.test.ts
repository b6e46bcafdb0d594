import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileWriteError, isTemporaryFileOf, stageFile, temporaryPathFor, writeFileAtomic } from '../../../src/files/write-file-atomic.js';

describe('writeFileAtomic', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dac-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes a new file and replaces an old one whole, leaving no temporary file', async () => {
    const target = join(dir, 'rules.lock.json');
    await writeFileAtomic(target, 'first\n');
    expect(await readFile(target, 'utf8')).toBe('first\n');
    await writeFileAtomic(target, new TextEncoder().encode('second\n'));
    expect(await readFile(target, 'utf8')).toBe('second\n');
    expect(await readdir(dir)).toEqual(['rules.lock.json']);
  });

  it('names the target and the system error when the folder is missing', async () => {
    const target = join(dir, 'missing', 'report.html');
    const error = await writeFileAtomic(target, 'x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FileWriteError);
    expect(error).toMatchObject({ path: target, code: 'ENOENT' });
    expect((error as Error).message).toBe(`cannot write ${target}: the folder does not exist (ENOENT)`);
  });

  it('leaves the target as it was and removes its temporary file when the rename fails', async () => {
    const target = join(dir, 'summary.md');
    await mkdir(target);
    await writeFile(join(target, 'inside'), 'kept');
    const error = await writeFileAtomic(target, 'new').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(FileWriteError);
    expect((error as FileWriteError).path).toBe(target);
    expect(await readdir(dir)).toEqual(['summary.md']);
    expect(await readFile(join(target, 'inside'), 'utf8')).toBe('kept');
  });

  it('puts the temporary file beside the target, hidden and unique', () => {
    const a = temporaryPathFor(join(dir, 'pack.tgz'));
    const b = temporaryPathFor(join(dir, 'pack.tgz'));
    expect(a.startsWith(join(dir, '.pack.tgz.dac-'))).toBe(true);
    expect(a).not.toBe(b);
  });

  it('stages a file without touching the target, then commits it whole or discards it', async () => {
    const target = join(dir, 'report.json');
    await writeFile(target, 'old');
    const staged = await stageFile(target, 'new');
    expect(await readFile(target, 'utf8')).toBe('old');
    const [temporary] = (await readdir(dir)).filter((name) => name !== 'report.json');
    expect(isTemporaryFileOf(temporary!, 'report.json')).toBe(true);
    expect(isTemporaryFileOf(temporary!, 'junit.xml')).toBe(false);
    await staged.commit();
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['report.json']);
    const discarded = await stageFile(target, 'newer');
    await discarded.discard();
    expect(await readFile(target, 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['report.json']);
    expect(isTemporaryFileOf('.report.json.dac-1-xyz.tmp', 'report.json')).toBe(false);
  });
});
