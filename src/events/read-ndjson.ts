import { CappedText } from './capped-text.js';
import type { DecodedChunk } from './decode-text.js';
import { createEventError, MAX_RECORD_CHARS, type EventItem, type TextEventParser } from './event-item.js';
import { InvalidOffsetQueue } from './invalid-offsets.js';
import { readJsonEventText } from './json-event.js';

const OPEN_BRACE = 0x7b;
const CARRIAGE_RETURN = 0x0d;

/** Options of the NDJSON reader. */
export interface NdjsonOptions {
  /** Cheap test on a line's raw text; false skips parsing (the line still takes its position). */
  readonly prefilter?: (rawLine: string) => boolean;
  /** Longest line read, in UTF-16 code units; longer lines are reported and skipped without being kept. */
  readonly maxLineChars?: number;
  /** Where the lines the prefilter rules out are counted. */
  readonly tally?: { prefiltered: number };
}

/**
 * Newline-delimited JSON (one event per line, https://github.com/ndjson/ndjson-spec): the event
 * position is the 0-based index among non-blank lines (DESIGN). A line that cannot be read (bad JSON,
 * invalid encoding, too long, not an object) still takes its position and yields an error item.
 */
export class NdjsonParser implements TextEventParser {
  private readonly pending: CappedText;
  private readonly invalid = new InvalidOffsetQueue();
  private line = 1;
  private lineStart = 0;
  private consumed = 0;
  private index = 0;

  constructor(
    private readonly file: string,
    private readonly options: NdjsonOptions = {},
  ) {
    this.pending = new CappedText(options.maxLineChars ?? MAX_RECORD_CHARS);
  }

  /** Reads every line the chunk completes. */
  feed(chunk: DecodedChunk): EventItem[] {
    const items: EventItem[] = [];
    const { text } = chunk;
    this.invalid.add(chunk.invalidOffsets);
    const { pending } = this;
    let position = 0;
    for (;;) {
      const newline = text.indexOf('\n', position);
      if (newline === -1) {
        pending.append(text.slice(position));
        break;
      }
      let line: string;
      if (pending.isEmpty) {
        // A line the chunk holds whole is sliced once, not copied into the pending pieces.
        if (newline - position > pending.maxChars) pending.markOverflowed();
        line = pending.overflowed ? '' : text.slice(position, newline);
      } else {
        pending.append(text.slice(position, newline));
        line = pending.text();
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
    if (!this.pending.isEmpty) this.finishLine(this.pending.text(), this.consumed, items);
    return items;
  }

  private finishLine(rawLine: string, endOffset: number, items: EventItem[]): void {
    const lineNumber = this.line;
    const overflow = this.pending.overflowed;
    const hasInvalid = this.invalid.take(this.lineStart, endOffset);
    this.line += 1;
    this.lineStart = endOffset + 1;
    this.pending.reset();

    const at = { line: lineNumber, column: 1 };
    if (overflow) {
      items.push(createEventError(this.file, at, 'events/record-too-large',
        `line longer than ${this.pending.maxChars} characters; skipped`, this.index++));
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
    if (this.options.prefilter && !this.options.prefilter(line)) {
      if (this.options.tally) this.options.tally.prefiltered += 1;
      return;
    }
    items.push(readJsonEventText(line, this.file, index, at));
  }
}
