import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { detectEncoding, StreamTextDecoder, type DecodedChunk } from './decode-text.js';
import { createEventError, describeError, type EventItem, type TextEventParser } from './event-item.js';
import { readEvtx } from './evtx/read-evtx.js';
import { readEvtxEvents } from './read-evtx-events.js';
import { JsonStreamParser } from './read-json-stream.js';
import { NdjsonParser } from './read-ndjson.js';
import { XmlEventParser } from './read-xml.js';

export type { EventItem } from './event-item.js';

/** How `readEvents` reads a file. */
export interface ReadOptions {
  /** Cheap test on an NDJSON line's raw text before it is parsed; false = skip parsing (the event still takes its position). Only used for line-based JSON formats. */
  readonly prefilter?: (rawLine: string) => boolean;
  /** Told the bytes of the file read so far, after each block, for a progress display. */
  readonly onBytesRead?: (bytes: number) => void;
  /** Counts what reading did without yielding an item: the lines the prefilter kept from parsing. */
  readonly tally?: ReadTally;
}

/** What a reader counts without yielding items (an item per skipped line would cost what the prefilter saves). */
export interface ReadTally {
  /** NDJSON lines the prefilter ruled out: they took a position but were not parsed. */
  prefiltered: number;
}

/** The formats `readEvents` tells apart. */
export type EventFileFormat = 'evtx' | 'xml' | 'ndjson' | 'json-stream';

/** Codes of the errors that mean a whole file could not be read (missing, unreadable, unknown format). */
export const UNREADABLE_FILE_CODES: ReadonlySet<string> = new Set(['events/unreadable-file', 'events/unknown-format']);

/** Bytes read at a time: memory stays flat whatever the file size. */
const READ_CHUNK_BYTES = 64 * 1024;
/** How much text sniffing may look at before it must decide. */
const SNIFF_CHARS = 1024 * 1024;
const EVTX_SIGNATURE = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]; // "ElfFile\0"
const LINE_FORMAT_EXTENSIONS = new Set(['.ndjson', '.jsonl']);

const hasEvtxSignature = (bytes: Uint8Array): boolean => EVTX_SIGNATURE.every((byte, i) => bytes[i] === byte);

/**
 * A line that starts an Event XML element, as pasted from Event Viewer (`- <Event xmlns=...>`) or copied
 * from a browser, inside other text: a write-up, a ticket, a Markdown code block.
 */
const EMBEDDED_EVENT_START = /^[ \t]*(?:[-+][ \t]*)?<(?:[A-Za-z_][\w.-]*:)?Event[\s>/]/m;

/**
 * Decides a text format from the start of the decoded text (content first, extension only when the
 * content does not tell): `<` (or `- <` as pasted from Event Viewer) is Event XML; `[` a JSON array;
 * `{` NDJSON when the first line is a complete JSON value by itself, else concatenated JSON values
 * (pretty-printed evtx_dump output); `Record N` evtx_dump's record header. Text that starts otherwise
 * (prose, a Markdown write-up) is Event XML when a line of its first MiB starts an `<Event>` element,
 * whatever the extension: the XML reader reads the events and ignores the text around them. Undefined
 * while more text is needed; `unknown` when nothing fits.
 */
export function sniffTextFormat(text: string, extension: string, complete: boolean): EventFileFormat | 'empty' | 'unknown' | undefined {
  const start = text.search(/\S/);
  if (start === -1) return complete ? 'empty' : undefined;
  const rest = text.slice(start);
  const first = rest[0];
  if (first === '<') return 'xml';
  if ((first === '-' || first === '+') && /^[-+]\s*</.test(rest)) return 'xml';
  if (first === '-' || first === '+') {
    if (!complete && !/[^-+\s]/.test(rest)) return undefined;
  }
  if (first === '[') return 'json-stream';
  if (first === '{') {
    if (LINE_FORMAT_EXTENSIONS.has(extension)) return 'ndjson';
    const newline = rest.indexOf('\n');
    if (newline === -1) return complete || rest.length >= SNIFF_CHARS ? 'ndjson' : undefined;
    try {
      JSON.parse(rest.slice(0, newline));
      return 'ndjson';
    } catch {
      return 'json-stream';
    }
  }
  if (/^Record \d/.test(rest)) return 'json-stream';
  if (EMBEDDED_EVENT_START.test(rest)) return 'xml';
  if (extension === '.xml') return 'xml';
  if (extension === '.json' || LINE_FORMAT_EXTENSIONS.has(extension)) return 'ndjson';
  // An event may still start further down a long write-up: look until the sniffing limit.
  return complete ? 'unknown' : undefined;
}

function createParser(format: Exclude<EventFileFormat, 'evtx'>, file: string, options: ReadOptions): TextEventParser {
  switch (format) {
    case 'xml':
      return new XmlEventParser(file);
    case 'ndjson':
      return new NdjsonParser(file, {
        ...(options.prefilter ? { prefilter: options.prefilter } : {}),
        ...(options.tally ? { tally: options.tally } : {}),
      });
    case 'json-stream':
      return new JsonStreamParser(file);
  }
}

/** An event input that is a stream of bytes rather than a file path: standard input, a FIFO. */
export interface EventStream {
  /** The name diagnostics carry (`-` for standard input); its extension helps sniffing as a file's does. */
  readonly name: string;
  readonly chunks: AsyncIterable<Uint8Array>;
}

/** Yields `first`, then the rest of the iterator: the bytes sniffing has read are not lost. */
async function* continueWith(first: readonly Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncIterable<Uint8Array> {
  yield* first;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield next.value;
  }
}

/** The iterator's pieces, telling `onBytesRead` the bytes taken so far after each (for a progress display). */
function countBytes(chunks: AsyncIterator<Uint8Array>, onBytesRead: (bytes: number) => void): AsyncIterator<Uint8Array> {
  let bytes = 0;
  return {
    async next() {
      const next = await chunks.next();
      if (!next.done) onBytesRead((bytes += next.value.length));
      return next;
    },
    async return() {
      return (await chunks.return?.()) ?? { done: true, value: undefined };
    },
  };
}

/**
 * Reads events from a file, or a stream of bytes (standard input, a FIFO, a process substitution), of
 * any supported format, chosen by sniffing content and then by extension. Everything is read front to
 * back in 64 KiB pieces, so the same code serves files and pipes and memory stays flat.
 *
 * Formats: EVTX (by its `ElfFile` signature), Windows Event XML, evtx_dump JSON (concatenated or one per
 * line), Winlogbeat/ECS JSON, flat NDJSON and JSON arrays; UTF-8 with or without BOM, UTF-16LE/BE with
 * BOM. Windows events are flattened to one field naming whatever the source (see windows-event.ts).
 * Event position N (DESIGN): NDJSON = index among non-blank lines; JSON array = array index;
 * concatenated JSON = index among top-level values; XML = index among `<Event>` elements; EVTX = record
 * order. Bad input never throws: it yields error items (see {@link EventItem}) and reading goes on.
 * NDJSON lines refused by `options.prefilter` yield nothing but still take their position.
 */
export async function* readEvents(source: string | EventStream, options: ReadOptions = {}): AsyncIterable<EventItem> {
  const file = typeof source === 'string' ? source : source.name;
  const extension = extname(file).toLowerCase();
  const stream = typeof source === 'string' ? createReadStream(source, { highWaterMark: READ_CHUNK_BYTES }) : undefined;
  const read = (stream ?? (source as EventStream).chunks)[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
  const chunks = options.onBytesRead ? countBytes(read, options.onBytesRead) : read;
  let decoder: StreamTextDecoder | undefined;
  let parser: TextEventParser | undefined;
  let handedOver = false;
  try {
    let first: IteratorResult<Uint8Array>;
    try {
      first = await chunks.next();
    } catch (error) {
      yield createEventError(file, { line: 1, column: 1 }, 'events/unreadable-file', `cannot read the file: ${describeError(error)}`);
      return;
    }
    if (first.done) return;
    let head = first.value;
    // The signature and a byte-order mark need the first 8 bytes; a pipe may deliver fewer at first.
    let ended = false;
    while (head.length < EVTX_SIGNATURE.length && !ended) {
      const more = await chunks.next();
      if (more.done) ended = true;
      else head = Buffer.concat([head, more.value]);
    }
    if (hasEvtxSignature(head)) {
      handedOver = true;
      yield* readEvtxEvents(file, readEvtx(continueWith([head], chunks)));
      return;
    }
    const raw: Uint8Array[] = [head];
    const { encoding, bomLength } = detectEncoding(head);
    decoder = new StreamTextDecoder(encoding);
    head = head.subarray(bomLength);
    const sniffed: DecodedChunk[] = [decoder.decode(head)];
    let sniffedText = sniffed[0]?.text ?? '';
    let done = ended;
    if (ended) {
      const last = decoder.end();
      sniffed.push(last);
      sniffedText += last.text;
    }
    let format = sniffTextFormat(sniffedText, extension, ended);
    while (format === undefined && !done) {
      const next = await chunks.next();
      if (next.done) {
        done = true;
        const last = decoder.end();
        sniffed.push(last);
        sniffedText += last.text;
        format = sniffTextFormat(sniffedText, extension, true);
        break;
      }
      raw.push(next.value);
      const decoded = decoder.decode(next.value);
      sniffed.push(decoded);
      sniffedText += decoded.text;
      format = sniffTextFormat(sniffedText, extension, sniffedText.length >= SNIFF_CHARS);
    }
    if (format === 'empty') return;
    if (format === 'unknown' && extension === '.evtx') {
      // Not text: an .evtx whose file header is damaged. The EVTX reader still looks for its chunks.
      handedOver = true;
      yield* readEvtxEvents(file, readEvtx(continueWith(raw, chunks)));
      return;
    }
    raw.length = 0;
    if (format === undefined || format === 'unknown' || format === 'evtx') {
      yield createEventError(file, { line: 1, column: 1 }, 'events/unknown-format',
        'not a supported event file (EVTX, Event XML, JSON array, NDJSON or evtx_dump JSON)');
      return;
    }
    sniffedText = '';
    parser = createParser(format, file, options);
    for (const chunk of sniffed) yield* parser.feed(chunk);
    sniffed.length = 0;
    while (!done) {
      const next = await chunks.next();
      if (next.done) break;
      yield* parser.feed(decoder.decode(next.value));
    }
    if (!done) yield* parser.feed(decoder.end());
    yield* parser.end();
  } catch (error) {
    yield createEventError(file, { line: 1, column: 1 }, 'events/unreadable-file', `reading stopped: ${describeError(error)}`);
  } finally {
    // The EVTX reader closes what it was handed; otherwise the input is let go here, read or not.
    if (!handedOver) await chunks.return?.().catch(() => undefined);
    stream?.destroy();
  }
}
