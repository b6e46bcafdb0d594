import type { DecodedChunk } from './decode-text.js';
import {
  createEventError,
  describeError,
  findJsonErrorOffset,
  MAX_RECORD_CHARS,
  type EventItem,
  type TextEventParser,
} from './event-item.js';
import { createJsonEventRecord } from './json-event.js';

const OPEN_BRACE = 0x7b;
const CARRIAGE_RETURN = 0x0d;

/** Options of the NDJSON reader. */
export interface NdjsonOptions {
  /** Cheap test on a line's raw text; false skips parsing (the line still takes its position). */
  readonly prefilter?: (rawLine: string) => boolean;
  /** Longest line read, in UTF-16 code units; longer lines are reported and skipped without being kept. */
  readonly maxLineChars?: number;
}

/**
 * Newline-delimited JSON (one event per line, https://github.com/ndjson/ndjson-spec): the event
 * position is the 0-based index among non-blank lines (DESIGN). A line that cannot be read (bad JSON,
 * invalid encoding, too long, not an object) still takes its position and yields an error item.
 */
export class NdjsonParser implements TextEventParser {
  private readonly maxLineChars: number;
  private parts: string[] = [];
  private pendingLength = 0;
  private overflow = false;
  private line = 1;
  private lineStart = 0;
  private consumed = 0;
  private index = 0;
  private invalid: number[] = [];
  private invalidHead = 0;

  constructor(
    private readonly file: string,
    private readonly options: NdjsonOptions = {},
  ) {
    this.maxLineChars = options.maxLineChars ?? MAX_RECORD_CHARS;
  }

  /** Reads every line the chunk completes. */
  feed(chunk: DecodedChunk): EventItem[] {
    const items: EventItem[] = [];
    const { text } = chunk;
    for (const offset of chunk.invalidOffsets) this.invalid.push(offset);
    let position = 0;
    for (;;) {
      const newline = text.indexOf('\n', position);
      if (newline === -1) {
        this.keep(text.slice(position));
        break;
      }
      let line: string;
      if (this.pendingLength === 0 && !this.overflow) {
        if (newline - position > this.maxLineChars) this.overflow = true;
        line = this.overflow ? '' : text.slice(position, newline);
      } else {
        this.keep(text.slice(position, newline));
        line = this.overflow ? '' : this.parts.join('');
      }
      this.finishLine(line, this.consumed + newline, items);
      position = newline + 1;
    }
    this.consumed += text.length;
    return items;
  }

  /** Reads a last line that has no newline after it. */
  end(): EventItem[] {
    const items: EventItem[] = [];
    if (this.pendingLength > 0 || this.overflow) this.finishLine(this.overflow ? '' : this.parts.join(''), this.consumed, items);
    return items;
  }

  private keep(piece: string): void {
    if (piece === '' || this.overflow) return;
    if (this.pendingLength + piece.length > this.maxLineChars) {
      // Past the cap nothing more of the line is kept: a 100 MB line costs no more memory than the cap.
      this.overflow = true;
      this.parts = [];
      return;
    }
    this.parts.push(piece);
    this.pendingLength += piece.length;
  }

  private takesInvalidOffset(start: number, end: number): boolean {
    let found = false;
    while (this.invalidHead < this.invalid.length && (this.invalid[this.invalidHead] as number) < end) {
      if ((this.invalid[this.invalidHead] as number) >= start) found = true;
      this.invalidHead += 1;
    }
    if (this.invalidHead > 1024) {
      this.invalid = this.invalid.slice(this.invalidHead);
      this.invalidHead = 0;
    }
    return found;
  }

  private finishLine(rawLine: string, endOffset: number, items: EventItem[]): void {
    const lineNumber = this.line;
    const overflow = this.overflow;
    const hasInvalid = this.takesInvalidOffset(this.lineStart, endOffset);
    this.line += 1;
    this.lineStart = endOffset + 1;
    this.parts = [];
    this.pendingLength = 0;
    this.overflow = false;

    const at = { line: lineNumber, column: 1 };
    if (overflow) {
      items.push(createEventError(this.file, at, 'events/record-too-large',
        `line longer than ${this.maxLineChars} characters; skipped`, this.index++));
      return;
    }
    const line = rawLine.charCodeAt(rawLine.length - 1) === CARRIAGE_RETURN ? rawLine.slice(0, -1) : rawLine;
    if (line.charCodeAt(0) !== OPEN_BRACE && line.trim() === '') return;
    const index = this.index++;
    if (hasInvalid) {
      items.push(createEventError(this.file, at, 'events/invalid-encoding',
        'the line holds bytes that are not valid in the file\'s encoding; skipped', index));
      return;
    }
    if (this.options.prefilter && !this.options.prefilter(line)) return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      const offset = findJsonErrorOffset(error);
      items.push(createEventError(this.file, { line: lineNumber, column: offset === undefined ? 1 : offset + 1 },
        'events/malformed-json', `not valid JSON: ${describeError(error)}`, index));
      return;
    }
    const record = createJsonEventRecord(value, this.file, index);
    if ('problem' in record) items.push(createEventError(this.file, at, 'events/not-an-object', record.problem, index));
    else items.push({ kind: 'event', record });
  }
}
