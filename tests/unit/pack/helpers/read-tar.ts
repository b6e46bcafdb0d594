import { gunzipSync } from 'node:zlib';

/** Reads the ustar headers of an uncompressed tar: name, mode, uid, gid, mtime, owner names, and contents. */
export function readTar(tar: Buffer): { name: string; mode: number; uid: string; gid: string; mtime: number; uname: string; body: string }[] {
  const field = (block: Buffer, start: number, length: number) => block.subarray(start, start + length).toString('latin1').replace(/\0.*$/s, '').trim();
  const entries = [];
  for (let offset = 0; offset + 512 <= tar.length; ) {
    const block = tar.subarray(offset, offset + 512);
    if (block.every((byte) => byte === 0)) break;
    const size = Number.parseInt(field(block, 124, 12), 8);
    const prefix = field(block, 345, 155);
    const name = field(block, 0, 100);
    entries.push({
      name: prefix ? `${prefix}/${name}` : name,
      mode: Number.parseInt(field(block, 100, 8), 8),
      uid: field(block, 108, 8),
      gid: field(block, 116, 8),
      mtime: Number.parseInt(field(block, 136, 12), 8),
      uname: field(block, 265, 32),
      body: tar.subarray(offset + 512, offset + 512 + size).toString('utf8'),
    });
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return entries;
}

/** Reads a gzipped tar into a map of entry name to contents. */
export function readTgzFiles(tgz: Buffer): Map<string, string> {
  return new Map(readTar(gunzipSync(tgz)).map((entry) => [entry.name, entry.body]));
}
