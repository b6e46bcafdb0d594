/**
 * One 64 KiB EVTX chunk: header checks, then its event records in order (EVTX format document,
 * sections "Chunk", "Event record", "Recovery" and "Corruption scenarios").
 */
import type { XmlElement } from '../xml-element.js';
import { EvtxFormatError, createChunkContext, parseDocument, renderDocument, type ChunkContext } from './binxml.js';
import { computeCrc32, updateCrc32 } from './crc32.js';
import { formatFiletime } from './format-value.js';
import type { EvtxItem } from './read-evtx.js';

/** Size of a chunk, header included. */
export const CHUNK_SIZE = 65536;
/** Size of the chunk header; the first record starts right after it. */
export const CHUNK_HEADER_SIZE = 512;
/** Record header: signature, size, identifier, written time; the BinXML follows. */
const RECORD_HEADER_SIZE = 24;
/** Smallest possible record: header plus the trailing copy of the size. */
const MIN_RECORD_SIZE = RECORD_HEADER_SIZE + 4;

const CHUNK_SIGNATURE = [0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00]; // "ElfChnk\0"

/** The running position counter: a record, readable or not, takes the next index. */
export interface PositionCounter {
  next: number;
}

/**
 * Yields the items of one chunk. `chunk` may be shorter than 64 KiB when the file is truncated.
 * Structural diagnostics (checksums, skipped bytes) carry the index the next record will get and
 * do not use it up; every record found, readable or not, takes an index of its own.
 */
export function* readChunkItems(chunk: Uint8Array, fileOffset: number, counter: PositionCounter): Generator<EvtxItem> {
  const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  const note = (offset: number, message: string): EvtxItem => ({
    kind: 'error',
    index: counter.next,
    offset: fileOffset + offset,
    message,
  });
  if (isZeroFilled(chunk, 0, chunk.length)) {
    // Unused, preallocated chunks are zero-filled; only a short one is worth a word.
    if (chunk.length < CHUNK_SIZE) yield note(0, `truncated chunk: ${chunk.length} of ${CHUNK_SIZE} bytes`);
    return;
  }
  if (chunk.length < CHUNK_SIZE) yield note(0, `truncated chunk: ${chunk.length} of ${CHUNK_SIZE} bytes`);
  let end = chunk.length;
  if (!hasChunkSignature(chunk)) {
    yield note(0, 'chunk header signature "ElfChnk" missing; scanning the chunk for records');
  } else if (chunk.length >= CHUNK_HEADER_SIZE) {
    // Header checksum: CRC-32 of bytes 0-120 and 128-512 (EVTX format document, "Chunk header").
    const headerCrc = updateCrc32(computeCrc32(chunk, 0, 120), chunk, 128, CHUNK_HEADER_SIZE);
    const headerOk = headerCrc === view.getUint32(124, true);
    if (!headerOk) yield note(124, 'chunk header checksum mismatch; reading the chunk anyway');
    const freeSpace = view.getUint32(48, true);
    if (freeSpace < CHUNK_HEADER_SIZE || freeSpace > CHUNK_SIZE) {
      yield note(48, `chunk free space offset ${freeSpace} is out of range; scanning the whole chunk`);
    } else if (headerOk) {
      // Only a header that checks out is trusted to bound the records; past it lie stale records.
      end = Math.min(freeSpace, chunk.length);
      if (freeSpace <= chunk.length && computeCrc32(chunk, CHUNK_HEADER_SIZE, freeSpace) !== view.getUint32(52, true)) {
        yield note(52, 'chunk records checksum mismatch; reading the records anyway');
      }
    }
  }
  const ctx = createChunkContext(chunk);
  let pos = CHUNK_HEADER_SIZE;
  while (pos + MIN_RECORD_SIZE <= end) {
    if (hasRecordSignature(chunk, pos)) {
      const size = view.getUint32(pos + 4, true);
      if (isPlausibleRecord(view, pos, size)) {
        yield readRecord(ctx, pos, size, fileOffset, counter);
        pos += size;
        continue;
      }
      yield {
        kind: 'error',
        index: counter.next++,
        offset: fileOffset + pos,
        message: `event record has an invalid size (${size}) or its copy of the size differs`,
      };
      const next = findNextRecord(chunk, view, pos + 4, end);
      if (next < 0) break;
      pos = next;
      continue;
    }
    if (isZeroFilled(chunk, pos, end)) break;
    const next = findNextRecord(chunk, view, pos + 1, end);
    const skipped = (next < 0 ? end : next) - pos;
    yield note(pos, `no event record signature; skipped ${skipped} bytes`);
    if (next < 0) break;
    pos = next;
  }
}

/** Reads one record whose signature and sizes checked out; BinXML damage turns into an error item. */
function readRecord(ctx: ChunkContext, pos: number, size: number, fileOffset: number, counter: PositionCounter): EvtxItem {
  const index = counter.next++;
  const rawId = ctx.view.getBigUint64(pos + 8, true);
  const recordId = rawId <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(rawId) : rawId;
  try {
    const timestamp = formatFiletime(ctx.view.getBigUint64(pos + 16, true));
    const nodes = parseDocument(ctx, pos + RECORD_HEADER_SIZE, pos + size - 4, false, 0);
    const element = renderDocument(ctx, nodes).find((node): node is XmlElement => typeof node !== 'string');
    if (element === undefined) {
      return { kind: 'error', index, offset: fileOffset + pos, message: `event record ${recordId} holds no XML element` };
    }
    return { kind: 'record', index, recordId, timestamp, element };
  } catch (error) {
    if (error instanceof EvtxFormatError) {
      // Damage found while rendering has no byte position: point at the record itself.
      const at = error.offset > pos && error.offset < ctx.bytes.length ? error.offset : pos;
      return { kind: 'error', index, offset: fileOffset + at, message: `event record ${recordId}: ${error.message}` };
    }
    // Stack exhaustion on hostile nesting the depth limit did not catch is damage, not a bug.
    if (error instanceof RangeError) {
      return { kind: 'error', index, offset: fileOffset + pos, message: `event record ${recordId}: ${error.message}` };
    }
    throw error;
  }
}

function hasChunkSignature(chunk: Uint8Array): boolean {
  if (chunk.length < CHUNK_SIGNATURE.length) return false;
  return CHUNK_SIGNATURE.every((b, i) => chunk[i] === b);
}

/** The record signature is `**\0\0` (EVTX format document, "Event record"). */
function hasRecordSignature(chunk: Uint8Array, pos: number): boolean {
  return chunk[pos] === 0x2a && chunk[pos + 1] === 0x2a && chunk[pos + 2] === 0 && chunk[pos + 3] === 0;
}

/** A record is plausible when it fits the chunk and its trailing copy of the size matches. */
function isPlausibleRecord(view: DataView, pos: number, size: number): boolean {
  return size >= MIN_RECORD_SIZE && pos + size <= view.byteLength && view.getUint32(pos + size - 4, true) === size;
}

/** Scans for the next plausible record (EVTX format document, "Recovery"); -1 when there is none. */
function findNextRecord(chunk: Uint8Array, view: DataView, from: number, end: number): number {
  let at = chunk.indexOf(0x2a, from);
  while (at >= 0 && at + MIN_RECORD_SIZE <= end) {
    if (hasRecordSignature(chunk, at) && isPlausibleRecord(view, at, view.getUint32(at + 4, true))) return at;
    at = chunk.indexOf(0x2a, at + 1);
  }
  return -1;
}

function isZeroFilled(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}
