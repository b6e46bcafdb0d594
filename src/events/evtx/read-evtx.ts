/**
 * A streaming reader for Windows XML EventLog (.evtx) files: a 4 KiB file header followed by
 * 64 KiB chunks of event records (libevtx "Windows XML Event Log (EVTX) format").
 */
import { createReadStream } from 'node:fs';
import type { XmlElement } from '../xml-element.js';
import { computeCrc32 } from './crc32.js';
import { CHUNK_SIZE, readChunkItems, type PositionCounter } from './read-chunk.js';

/**
 * One item of an .evtx file, in file order. A record, readable or not, takes the next `index`
 * (its 0-based position among the file's records). Errors about structure rather than a record
 * (header checksums, skipped bytes) carry the index the next record will get without taking it.
 * `offset` is a byte offset in the file.
 */
export type EvtxItem =
  | {
      readonly kind: 'record';
      readonly index: number;
      readonly recordId: bigint | number;
      readonly timestamp: string;
      readonly element: XmlElement;
    }
  | { readonly kind: 'error'; readonly index: number; readonly offset: number; readonly message: string };

/** Size of the file header block; the first chunk starts right after it. */
const FILE_HEADER_SIZE = 4096;
/** The part of the file header that carries fields (and is covered up to byte 120 by the checksum). */
const FILE_HEADER_FIELDS_SIZE = 128;
const FILE_SIGNATURE = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]; // "ElfFile\0"

/**
 * Checks the file header (EVTX format document, "File header"); returns diagnostics, and whether
 * chunks can follow at all. A bad signature or checksum is reported but chunks are still read,
 * since a damaged header must not cost the records behind it.
 */
function* checkFileHeader(header: Uint8Array, fileSize: number, counter: PositionCounter): Generator<EvtxItem, boolean> {
  const note = (offset: number, message: string): EvtxItem => ({ kind: 'error', index: counter.next, offset, message });
  const signatureOk = header.length >= 8 && FILE_SIGNATURE.every((b, i) => header[i] === b);
  if (fileSize < FILE_HEADER_SIZE) {
    yield note(0, signatureOk || fileSize === 0 ? `truncated file header: ${fileSize} of ${FILE_HEADER_SIZE} bytes` : 'not an EVTX file: no "ElfFile" signature');
    return false;
  }
  if (!signatureOk) {
    yield note(0, 'file header signature "ElfFile" missing; looking for chunks anyway');
    return true;
  }
  const view = new DataView(header.buffer, header.byteOffset, FILE_HEADER_FIELDS_SIZE);
  if (computeCrc32(header, 0, 120) !== view.getUint32(124, true)) {
    yield note(124, 'file header checksum mismatch');
  }
  return true;
}

/** Reads a byte stream in buffers of the caller's size, strictly in order (EVTX is read front to back). */
class SequentialReader {
  private pending: Uint8Array = new Uint8Array(0);
  private done = false;

  constructor(private readonly chunks: AsyncIterator<Uint8Array>) {}

  /** Fills `buffer` from the stream until it is full or the stream ends; returns the bytes filled. */
  async fill(buffer: Uint8Array): Promise<number> {
    let filled = 0;
    while (filled < buffer.length) {
      if (this.pending.length === 0) {
        if (this.done) break;
        const next = await this.chunks.next();
        if (next.done) {
          this.done = true;
          break;
        }
        this.pending = next.value;
        continue;
      }
      const take = Math.min(this.pending.length, buffer.length - filled);
      buffer.set(this.pending.subarray(0, take), filled);
      this.pending = this.pending.subarray(take);
      filled += take;
    }
    return filled;
  }

  async close(): Promise<void> {
    await this.chunks.return?.();
  }
}

/**
 * Streams every record of an .evtx file in file order; damage yields 'error' items and reading goes
 * on. The file is read front to back, so it may be a path or any byte stream (standard input, a FIFO).
 */
export async function* readEvtx(source: string | AsyncIterable<Uint8Array>): AsyncIterable<EvtxItem> {
  const chunks = typeof source === 'string' ? createReadStream(source, { highWaterMark: CHUNK_SIZE }) : source;
  const reader = new SequentialReader(chunks[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>);
  try {
    const counter: PositionCounter = { next: 0 };
    const header = new Uint8Array(FILE_HEADER_SIZE);
    const headerLength = await reader.fill(header);
    const headerItems = checkFileHeader(header.subarray(0, headerLength), headerLength, counter);
    let result = headerItems.next();
    while (!result.done) {
      yield result.value;
      result = headerItems.next();
    }
    if (!result.value) return;
    // One reused 64 KiB buffer: memory stays flat however large the file is.
    const buffer = new Uint8Array(CHUNK_SIZE);
    for (let offset = FILE_HEADER_SIZE; ; offset += CHUNK_SIZE) {
      const length = await reader.fill(buffer);
      if (length === 0) break;
      yield* readChunkItems(buffer.subarray(0, length), offset, counter);
      if (length < CHUNK_SIZE) break;
    }
  } finally {
    await reader.close();
  }
}

/** Same over an in-memory buffer (for tests and sniffing). */
export function* readEvtxBuffer(buffer: Uint8Array): Iterable<EvtxItem> {
  const counter: PositionCounter = { next: 0 };
  const header = buffer.subarray(0, FILE_HEADER_SIZE);
  const chunksFollow = yield* checkFileHeader(header, buffer.length, counter);
  if (!chunksFollow) return;
  for (let offset = FILE_HEADER_SIZE; offset < buffer.length; offset += CHUNK_SIZE) {
    yield* readChunkItems(buffer.subarray(offset, Math.min(offset + CHUNK_SIZE, buffer.length)), offset, counter);
  }
}
