import { CappedText } from './capped-text.js';
import type { DecodedChunk } from './decode-text.js';
import { createEventError, MAX_RECORD_CHARS, type EventItem, type TextEventParser } from './event-item.js';
import { InvalidOffsetQueue } from './invalid-offsets.js';
import { readJsonEventText } from './json-event.js';

const LF = 0x0a;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isWhitespace = (c: number): boolean => c === 0x20 || c === LF || c === 0x0d || c === 0x09;
/** Inside a string only these matter; the scanner jumps straight to the next one. */
const STRING_SPECIAL = /["\\\n]/g;
/** evtx_dump prints `Record <id>` before each record unless told not to; that is not stray text. */
const EVTX_DUMP_HEADER = /^Record \d+$/;
const MAX_STRAY_PREVIEW = 60;

type ValueKind = 'none' | 'composite' | 'string' | 'bare';

/**
 * JSON arrays of events and streams of concatenated JSON values (evtx_dump writes pretty-printed
 * objects one after another, sometimes with no separator at all), read without holding the file: a
 * bracket-counting scanner (RFC 8259 tokens) cuts out each top-level object, or each element of a
 * top-level array, and only that slice is parsed. Event position: the array index, or the index among
 * top-level values. A value that cannot be read still takes its position; text between values is
 * reported without taking one. A string broken by a raw line feed (not allowed in JSON) is taken as a
 * truncated record, and the scanner starts again at the next line that opens an object.
 */
export class JsonStreamParser implements TextEventParser {
  private readonly value: CappedText;
  private readonly invalid = new InvalidOffsetQueue();
  private level = 0;
  private inArray = false;
  private inString = false;
  private escape = false;
  private valueKind: ValueKind = 'none';
  private valueBase = 0;
  private valueStart = { line: 1, column: 1 };
  private stray = '';
  private strayLength = 0;
  private strayStart = { line: 1, column: 1 };
  private resync = false;
  private atLineStart = true;
  private line = 1;
  private lineStart = 0;
  private consumed = 0;
  private index = 0;
  private valueStartOffset = 0;

  constructor(
    private readonly file: string,
    options: { readonly maxValueChars?: number } = {},
  ) {
    this.value = new CappedText(options.maxValueChars ?? MAX_RECORD_CHARS);
  }

  /** Scans a chunk and reads every value it completes. */
  feed(chunk: DecodedChunk): EventItem[] {
    const items: EventItem[] = [];
    const { text } = chunk;
    this.invalid.add(chunk.invalidOffsets);
    let pieceStart = 0;
    let i = 0;
    while (i < text.length) {
      let c = text.charCodeAt(i);
      if (this.valueKind !== 'none' && this.inString && !this.escape && c !== QUOTE && c !== BACKSLASH && c !== LF) {
        STRING_SPECIAL.lastIndex = i;
        const next = STRING_SPECIAL.exec(text);
        if (!next) {
          i = text.length;
          break;
        }
        i = next.index;
        c = text.charCodeAt(i);
      }
      if (this.resync && !this.tryLeaveResync(c)) {
        this.advanceLine(c, i);
        i += 1;
        continue;
      }
      if (this.valueKind === 'none') {
        if (this.startsValue(c, i, items)) pieceStart = i;
        this.advanceLine(c, i);
        i += 1;
        continue;
      }
      // Inside a value.
      if (this.inString) {
        if (this.escape) this.escape = false;
        else if (c === BACKSLASH) this.escape = true;
        else if (c === QUOTE) {
          this.inString = false;
          if (this.valueKind === 'string') {
            this.completeValue(text, pieceStart, i + 1, items);
          }
        } else if (c === LF) {
          this.breakValue(items);
        }
        this.advanceLine(c, i);
        i += 1;
        continue;
      }
      if (this.valueKind === 'bare') {
        if (c === COMMA || c === CLOSE_BRACKET || c === CLOSE_BRACE || isWhitespace(c)) {
          this.completeValue(text, pieceStart, i, items);
          continue; // the delimiter is read again between values
        }
        this.advanceLine(c, i);
        i += 1;
        continue;
      }
      if (c === QUOTE) this.inString = true;
      else if (c === OPEN_BRACE || c === OPEN_BRACKET) this.level += 1;
      else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
        this.level -= 1;
        if (this.level === this.valueBase) this.completeValue(text, pieceStart, i + 1, items);
      }
      this.advanceLine(c, i);
      i += 1;
    }
    if (this.valueKind !== 'none') this.value.append(text.slice(pieceStart));
    this.consumed += text.length;
    return items;
  }

  /** Reports what the end of the file leaves open. */
  end(): EventItem[] {
    const items: EventItem[] = [];
    this.flushStray(items);
    if (this.valueKind !== 'none') {
      items.push(createEventError(this.file, this.valueStart, 'events/truncated',
        'the file ends inside this JSON value (truncated?)', this.index++));
      this.valueKind = 'none';
    } else if (this.inArray && !this.resync) {
      items.push(createEventError(this.file, this.position(this.consumed), 'events/truncated',
        'the file ends before the JSON array is closed (truncated?)'));
    }
    return items;
  }

  private position(offset: number): { line: number; column: number } {
    return { line: this.line, column: offset - this.lineStart + 1 };
  }

  private advanceLine(c: number, i: number): void {
    if (c === LF) {
      this.line += 1;
      this.lineStart = this.consumed + i + 1;
      this.atLineStart = true;
    } else if (!isWhitespace(c)) {
      this.atLineStart = false;
    }
  }

  /** While resynchronising, only a line that starts with `{` (or closes the array) ends the wait. */
  private tryLeaveResync(c: number): boolean {
    if (!this.atLineStart || isWhitespace(c)) return false;
    if (c === OPEN_BRACE || (c === CLOSE_BRACKET && this.inArray)) {
      this.resync = false;
      this.level = this.inArray ? 1 : 0;
      return true;
    }
    return false;
  }

  /** Handles a character between values; true when it starts one. */
  private startsValue(c: number, i: number, items: EventItem[]): boolean {
    const offset = this.consumed + i;
    if (this.level === 0) {
      if (isWhitespace(c)) {
        if (c === LF) this.flushStray(items);
        else if (this.strayLength > 0 && this.stray.length < MAX_STRAY_PREVIEW) this.stray += ' ';
        return false;
      }
      if (c === OPEN_BRACE || c === OPEN_BRACKET) {
        this.flushStray(items);
        if (c === OPEN_BRACKET) {
          this.inArray = true;
          this.level = 1;
          return false;
        }
        this.beginValue('composite', offset);
        this.level = 1;
        return true;
      }
      if (this.strayLength === 0) this.strayStart = this.position(offset);
      if (this.stray.length < MAX_STRAY_PREVIEW) this.stray += String.fromCharCode(c);
      this.strayLength += 1;
      return false;
    }
    // Between the elements of a top-level array.
    if (isWhitespace(c) || c === COMMA) return false;
    if (c === CLOSE_BRACKET) {
      this.level = 0;
      this.inArray = false;
      return false;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      this.beginValue('composite', offset);
      this.level += 1;
    } else if (c === QUOTE) {
      this.beginValue('string', offset);
      this.inString = true;
    } else {
      this.beginValue('bare', offset);
    }
    return true;
  }

  private beginValue(kind: ValueKind, offset: number): void {
    this.valueKind = kind;
    this.valueBase = this.level;
    this.valueStart = this.position(offset);
    this.valueStartOffset = offset;
    this.value.reset();
  }

  private completeValue(text: string, pieceStart: number, end: number, items: EventItem[]): void {
    this.value.append(text.slice(pieceStart, end));
    const index = this.index++;
    const at = this.valueStart;
    const hasInvalid = this.invalid.take(this.valueStartOffset, this.consumed + end);
    const tooLarge = this.value.overflowed;
    const valueText = this.value.text();
    this.valueKind = 'none';
    this.value.reset();
    if (tooLarge) {
      items.push(createEventError(this.file, at, 'events/record-too-large',
        `JSON value longer than ${this.value.maxChars} characters; skipped`, index));
      return;
    }
    if (hasInvalid) {
      items.push(createEventError(this.file, at, 'events/invalid-encoding',
        'the value holds bytes that are not valid in the file\'s encoding; skipped', index));
      return;
    }
    items.push(readJsonEventText(valueText, this.file, index, at));
  }

  /** A raw line feed inside a string: the value is cut short; wait for a line that opens an object. */
  private breakValue(items: EventItem[]): void {
    items.push(createEventError(this.file, this.valueStart, 'events/truncated',
      'a string in this JSON value is cut by a line break (truncated or damaged record); skipped', this.index++));
    this.valueKind = 'none';
    this.value.reset();
    this.inString = false;
    this.escape = false;
    this.resync = true;
  }

  private flushStray(items: EventItem[]): void {
    if (this.strayLength === 0) return;
    const text = this.stray.trim();
    if (!EVTX_DUMP_HEADER.test(text) || this.strayLength > MAX_STRAY_PREVIEW) {
      const preview = this.strayLength > MAX_STRAY_PREVIEW ? `${text}…` : text;
      items.push(createEventError(this.file, this.strayStart, 'events/stray-text',
        `text between JSON values is not an event: ${JSON.stringify(preview)}`));
    }
    this.stray = '';
    this.strayLength = 0;
  }
}
