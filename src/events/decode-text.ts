import { isUtf8 } from 'node:buffer';

/** The text encodings event files come in: UTF-8 (with or without BOM) and UTF-16 as Windows exports it. */
export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

/** A piece of decoded text and where invalid byte sequences were replaced inside the whole stream. */
export interface DecodedChunk {
  readonly text: string;
  /** Offsets (in UTF-16 code units from the start of the decoded stream) of U+FFFD put in for bad bytes. */
  readonly invalidOffsets: readonly number[];
}

/** The replacement character decoders put where bytes could not be decoded. */
const REPLACEMENT = '\uFFFD';
const EMPTY: readonly number[] = [];

/**
 * Picks the encoding from a byte-order mark, or from the zero bytes ASCII markup leaves in UTF-16
 * without one (`<\0` is UTF-16LE); everything else is read as UTF-8.
 */
export function detectEncoding(head: Uint8Array): { encoding: TextEncodingName; bomLength: number } {
  const [a, b, c] = [head[0], head[1], head[2]];
  if (a === 0xef && b === 0xbb && c === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (a === 0xff && b === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (a === 0xfe && b === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  if (head.length >= 2 && a !== 0 && b === 0) return { encoding: 'utf-16le', bomLength: 0 };
  if (head.length >= 2 && a === 0 && b !== 0) return { encoding: 'utf-16be', bomLength: 0 };
  return { encoding: 'utf-8', bomLength: 0 };
}

/** How many bytes a UTF-8 sequence with this lead byte has, or 0 when the byte cannot lead one. */
function measureSequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** The allowed range of the second byte after a lead byte (Unicode 15, table 3-7: no overlongs, no surrogates). */
function findSecondByteRange(lead: number): readonly [number, number] {
  if (lead === 0xe0) return [0xa0, 0xbf];
  if (lead === 0xed) return [0x80, 0x9f];
  if (lead === 0xf0) return [0x90, 0xbf];
  if (lead === 0xf4) return [0x80, 0x8f];
  return [0x80, 0xbf];
}

/** Length of the well-formed sequence at `i`, or the negated length of its invalid maximal prefix (at least 1). */
function measureUtf8(bytes: Uint8Array, i: number, end: number): number {
  const lead = bytes[i] as number;
  const length = measureSequenceLength(lead);
  if (length === 0) return -1;
  for (let k = 1; k < length; k += 1) {
    if (i + k >= end) return -k;
    const byte = bytes[i + k] as number;
    const [low, high] = k === 1 ? findSecondByteRange(lead) : [0x80, 0xbf];
    if (byte < low || byte > high) return -k;
  }
  return length;
}

/** Where a trailing, possibly incomplete UTF-8 sequence begins (so it can wait for the next chunk). */
function findIncompleteTail(bytes: Uint8Array): number {
  const end = bytes.length;
  for (let back = 1; back <= 3 && back <= end; back += 1) {
    const byte = bytes[end - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: keep looking for its lead
    const length = measureSequenceLength(byte);
    return length > back ? end - back : end;
  }
  return end;
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a, 0);
  joined.set(b, a.length);
  return joined;
}

const viewAsBuffer = (bytes: Uint8Array, start = 0, end = bytes.length): Buffer =>
  Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start);

/**
 * Decodes a byte stream chunk by chunk without ever failing: invalid UTF-8 sequences and unpaired
 * UTF-16 surrogates become U+FFFD and their offsets are reported, so readers can flag exactly the
 * record that held them and go on (the WHATWG Encoding standard's replacement behaviour).
 */
export class StreamTextDecoder {
  private carry: Uint8Array = new Uint8Array(0);
  private emitted = 0;

  constructor(readonly encoding: TextEncodingName) {}

  /** Decodes the next chunk; bytes of a sequence cut by the chunk end wait for the next call. */
  decode(chunk: Uint8Array): DecodedChunk {
    const bytes = concatBytes(this.carry, chunk);
    return this.encoding === 'utf-8' ? this.decodeUtf8(bytes, false) : this.decodeUtf16(bytes, false);
  }

  /** Flushes what is left: an incomplete final sequence is invalid. */
  end(): DecodedChunk {
    const bytes = this.carry;
    this.carry = new Uint8Array(0);
    if (bytes.length === 0) return { text: '', invalidOffsets: EMPTY };
    return this.encoding === 'utf-8' ? this.decodeUtf8(bytes, true) : this.decodeUtf16(bytes, true);
  }

  private finish(text: string, invalid: number[]): DecodedChunk {
    this.emitted += text.length;
    return { text, invalidOffsets: invalid.length ? invalid : EMPTY };
  }

  private decodeUtf8(bytes: Uint8Array, final: boolean): DecodedChunk {
    const cut = final ? bytes.length : findIncompleteTail(bytes);
    this.carry = final ? new Uint8Array(0) : bytes.slice(cut);
    const body = bytes.subarray(0, cut);
    if (isUtf8(body)) return this.finish(viewAsBuffer(body).toString('utf8'), []);
    // Slow path, only for damaged input: decode the valid runs and mark each invalid sequence.
    const pieces: string[] = [];
    const invalid: number[] = [];
    let length = 0;
    let runStart = 0;
    let i = 0;
    while (i < cut) {
      if ((body[i] as number) < 0x80) {
        i += 1;
        continue;
      }
      const measured = measureUtf8(body, i, cut);
      if (measured > 0) {
        i += measured;
        continue;
      }
      if (runStart < i) {
        const run = viewAsBuffer(body, runStart, i).toString('utf8');
        pieces.push(run);
        length += run.length;
      }
      invalid.push(this.emitted + length);
      pieces.push(REPLACEMENT);
      length += 1;
      i += -measured;
      runStart = i;
    }
    if (runStart < cut) pieces.push(viewAsBuffer(body, runStart, cut).toString('utf8'));
    return this.finish(pieces.join(''), invalid);
  }

  private decodeUtf16(bytes: Uint8Array, final: boolean): DecodedChunk {
    let cut = bytes.length - (bytes.length % 2);
    let source = bytes;
    if (this.encoding === 'utf-16be') {
      source = Buffer.from(bytes.subarray(0, cut)).swap16();
    }
    let text = viewAsBuffer(source, 0, cut).toString('utf16le');
    // A high surrogate at the very end may be completed by the next chunk.
    if (!final && text.length > 0) {
      const last = text.charCodeAt(text.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        text = text.slice(0, -1);
        cut -= 2;
      }
    }
    this.carry = final ? new Uint8Array(0) : bytes.slice(cut);
    const invalid: number[] = [];
    if (/[\uD800-\uDFFF]/.test(text)) text = this.replaceLoneSurrogates(text, invalid);
    if (final && bytes.length % 2 === 1) {
      invalid.push(this.emitted + text.length);
      text += REPLACEMENT;
    }
    return this.finish(text, invalid);
  }

  private replaceLoneSurrogates(text: string, invalid: number[]): string {
    const units: string[] = [];
    let runStart = 0;
    for (let i = 0; i < text.length; i += 1) {
      const unit = text.charCodeAt(i);
      if (unit < 0xd800 || unit > 0xdfff) continue;
      const next = i + 1 < text.length ? text.charCodeAt(i + 1) : -1;
      if (unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i += 1;
        continue;
      }
      units.push(text.slice(runStart, i), REPLACEMENT);
      invalid.push(this.emitted + i);
      runStart = i + 1;
    }
    units.push(text.slice(runStart));
    return units.join('');
  }
}
