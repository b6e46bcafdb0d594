import { gzipSync } from 'node:zlib';
import { create } from 'tar';

/**
 * The time every archive entry carries: a fixed instant, so the archive depends only on the files.
 * It is a date in the 1980s rather than the Unix epoch because zip-based tools reject times before
 * 1980, and tarballs get converted.
 */
export const PACK_MTIME = new Date('1985-10-26T08:15:00.000Z');

/** Byte 9 of a gzip header names the operating system (RFC 1952 section 2.3.1); 3 is Unix. */
const GZIP_OS_BYTE = 9;
const GZIP_OS_UNIX = 3;

/** What a reproducible archive is built from. */
export interface TgzOptions {
  /** Folder holding the files. */
  readonly cwd: string;
  /** Files to pack, relative to `cwd`, forward slashes; they are packed in sorted order. */
  readonly files: readonly string[];
  /** Prefix for every entry, e.g. `package` for the npm layout. */
  readonly prefix?: string;
  readonly mtime?: Date;
}

/**
 * Builds a gzipped tar archive whose bytes depend only on the files' paths and contents: entries in
 * sorted order, no directory entries, a fixed mtime, no owner ids or names (node-tar's portable mode),
 * mode 0644 for every file, and a gzip header with no timestamp and a fixed OS byte.
 * The `tar` package writes the ustar headers; only the ordering and the metadata are pinned here.
 * The deflate stream itself comes from Node's zlib, so the same files give the same bytes on the same
 * Node release line; the checksums inside the archive (SHA256SUMS) do not depend on it at all.
 */
export async function createReproducibleTgz(options: TgzOptions): Promise<Buffer> {
  const files = [...options.files].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const stream = create(
    {
      cwd: options.cwd,
      ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
      portable: true,
      mtime: options.mtime ?? PACK_MTIME,
      gzip: false,
      // The file's mode on disk depends on the umask of whoever checked it out; the archive must not.
      filter: (_path, stat) => {
        if (stat.mode !== undefined) stat.mode = (stat.mode & ~0o7777) | 0o644;
        return true;
      },
    },
    files,
  );
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  // Node's gzip writes mtime 0 and no file name; the OS byte varies by platform, so it is pinned.
  const gzipped = gzipSync(Buffer.concat(chunks), { level: 9 });
  gzipped[GZIP_OS_BYTE] = GZIP_OS_UNIX;
  return gzipped;
}
