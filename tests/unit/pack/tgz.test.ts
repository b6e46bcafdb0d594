import { mkdir, mkdtemp, chmod, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { createReproducibleTgz, PACK_MTIME } from '../../../src/pack/tgz.js';
import { readTar } from './helpers/read-tar.js';

describe('createReproducibleTgz', () => {
  const folders: string[] = [];
  afterEach(async () => {
    await Promise.all(folders.splice(0).map((folder) => rm(folder, { recursive: true, force: true })));
  });
  const stage = async (files: Record<string, string>, modes: Record<string, number> = {}) => {
    const folder = await mkdtemp(join(tmpdir(), 'dac-tgz-'));
    folders.push(folder);
    for (const [path, text] of Object.entries(files)) {
      await mkdir(join(folder, path, '..'), { recursive: true });
      await writeFile(join(folder, path), text);
      if (modes[path] !== undefined) await chmod(join(folder, path), modes[path]);
    }
    return folder;
  };

  it('gives the same bytes for the same files, whatever their order, modes or creation time', async () => {
    const files = { 'b/x.yml': 'x: 1\n', 'a.json': '{}\n', 'README.md': '# r\n' };
    const first = await stage(files, { 'a.json': 0o600 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const second = await stage(files, { 'a.json': 0o664, 'b/x.yml': 0o755 });
    const one = await createReproducibleTgz({ cwd: first, files: ['b/x.yml', 'a.json', 'README.md'], prefix: 'package' });
    const two = await createReproducibleTgz({ cwd: second, files: ['README.md', 'a.json', 'b/x.yml'], prefix: 'package' });
    expect(two.equals(one)).toBe(true);
    const changed = await createReproducibleTgz({ cwd: await stage({ ...files, 'a.json': '{"a":1}\n' }), files: Object.keys(files), prefix: 'package' });
    expect(changed.equals(one)).toBe(false);
  });

  it('writes sorted file entries under the prefix with fixed mode, owner and time, and no directory entries', async () => {
    const folder = await stage({ 'z.txt': 'z', 'a/b.txt': 'b' }, { 'z.txt': 0o600 });
    const tar = gunzipSync(await createReproducibleTgz({ cwd: folder, files: ['z.txt', 'a/b.txt'], prefix: 'package' }));
    expect(readTar(tar)).toEqual([
      { name: 'package/a/b.txt', mode: 0o644, uid: '', gid: '', mtime: PACK_MTIME.getTime() / 1000, uname: '', body: 'b' },
      { name: 'package/z.txt', mode: 0o644, uid: '', gid: '', mtime: PACK_MTIME.getTime() / 1000, uname: '', body: 'z' },
    ]);
  });

  it('writes a gzip header with no timestamp and the Unix OS byte', async () => {
    const gz = await createReproducibleTgz({ cwd: await stage({ 'a.txt': 'a' }), files: ['a.txt'] });
    expect([...gz.subarray(0, 4)]).toEqual([0x1f, 0x8b, 8, 0]); // magic, deflate, no flags (so no file name)
    expect(gz.readUInt32LE(4)).toBe(0); // MTIME
    expect(gz[9]).toBe(3); // OS: Unix
  });
});
