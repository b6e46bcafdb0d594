import { SaxesParser } from 'saxes';
import type { DecodedChunk } from './decode-text.js';
import {
  countNewlines,
  createEventError,
  describeError,
  MAX_RECORD_CHARS,
  type EventItem,
  type TextEventParser,
} from './event-item.js';
import { InvalidOffsetQueue } from './invalid-offsets.js';
import { createEventElementRecord } from './windows-event.js';
import type { XmlElement } from './xml-element.js';

/** An `<Event` start tag, with or without a namespace prefix (`<Events>` and `<EventData>` do not match). */
const EVENT_START = /<(?:[A-Za-z_][\w.-]*:)?Event(?=[\s>/])/g;
const EVENT_END = /<\/(?:[A-Za-z_][\w.-]*:)?Event\s*>/g;
/** Document type declarations carry entity declarations: they are refused, never expanded. */
const DOCTYPE = /<!(?:DOCTYPE|ENTITY)/i;
/** Kept back at the end of the buffer so a tag cut by a chunk boundary is still found. */
const TAIL = 64;
/** Past this many characters without an end tag, the event's text moves out of the search buffer. */
const STASH_CHARS = 256 * 1024;

interface MutableElement {
  readonly name: string;
  readonly attributes: Record<string, string>;
  readonly children: (MutableElement | string)[];
}

const stripPrefix = (name: string): string => {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
};

type State = 'outside' | 'inside' | 'skipping';

/**
 * Windows Event XML (`wevtutil qe /f:xml`, Event Viewer "Save as XML", text pasted from Event Viewer or
 * a browser with `- ` markers before lines): one or many `<Event>` elements, with or without an
 * `<Events>` root. The text is cut at `<Event` / `</Event>` tags and each event is parsed on its own by
 * saxes (XML 1.0 well-formedness), so a broken event costs only itself and memory holds one event at a
 * time (at most 16 MiB). Event position: the index among `<Event>` elements; an event that cannot be read
 * (malformed, cut short by the next `<Event`, too large, invalid encoding) still takes its position.
 * A DOCTYPE or entity declaration is refused with a diagnostic: its entities are never expanded, so a
 * reference to one inside an event makes that event malformed (no external entities, no entity bombs).
 */
export class XmlEventParser implements TextEventParser {
  private readonly maxEventChars: number;
  private readonly stashChars: number;
  private readonly parser: SaxesParser<{ xmlns: false; position: true }>;
  private buffer = '';
  private bufferOffset = 0;
  private bufferLine = 1;
  private bufferLineStart = 0;
  private state: State = 'outside';
  private index = 0;
  private eventStart = { line: 1, column: 1 };
  private eventOffset = 0;
  private tagEnd = -1;
  private tagScan = 0;
  private tagQuote = 0;
  private tagBroken = false;
  private tagDone = false;
  private searchFrom = 0;
  /** Text of a long current event already moved out of `buffer`, so searches never rescan it. */
  private eventParts: string[] = [];
  private eventPartsLength = 0;
  private readonly invalid = new InvalidOffsetQueue();
  private sawStructure = false;
  // Per-event parse state, filled by the saxes handlers.
  private stack: MutableElement[] = [];
  private root: MutableElement | undefined;
  private parseError: { line: number; column: number; message: string } | undefined;

  constructor(
    private readonly file: string,
    options: { readonly maxEventChars?: number; readonly stashChars?: number } = {},
  ) {
    this.maxEventChars = options.maxEventChars ?? MAX_RECORD_CHARS;
    this.stashChars = options.stashChars ?? STASH_CHARS;
    this.parser = new SaxesParser({ xmlns: false, position: true });
    this.parser.on('opentag', (tag) => {
      // saxes builds a fresh attribute map without a prototype for every tag, so for-in sees own names
      // only, and the map is kept as it is unless a name needs its prefix or namespace declaration dropped.
      const written = tag.attributes as Record<string, string>;
      let attributes = written;
      for (const name in written) {
        if (name.includes(':') || name === 'xmlns') {
          attributes = Object.create(null) as Record<string, string>;
          for (const original in written) {
            if (original !== 'xmlns' && !original.startsWith('xmlns:')) attributes[stripPrefix(original)] = written[original] as string;
          }
          break;
        }
      }
      const element: MutableElement = { name: stripPrefix(tag.name), attributes, children: [] };
      const parent = this.stack[this.stack.length - 1];
      if (parent) parent.children.push(element);
      else this.root ??= element;
      this.stack.push(element);
    });
    this.parser.on('closetag', () => {
      this.stack.pop();
    });
    const onText = (text: string): void => {
      this.stack[this.stack.length - 1]?.children.push(text);
    };
    this.parser.on('text', onText);
    this.parser.on('cdata', onText);
    this.parser.on('error', (error) => {
      this.parseError ??= {
        line: this.parser.line,
        column: this.parser.column,
        message: error.message.replace(/^\d+:\d+: /, ''),
      };
    });
  }

  /** Adds text and reads every event it completes. */
  feed(chunk: DecodedChunk): EventItem[] {
    const items: EventItem[] = [];
    this.invalid.add(chunk.invalidOffsets);
    this.buffer += chunk.text;
    this.process(items, false);
    return items;
  }

  /** Reads what is left: an event without its end tag is truncated. */
  end(): EventItem[] {
    const items: EventItem[] = [];
    this.process(items, true);
    if (this.state === 'inside') {
      items.push(createEventError(this.file, this.eventStart, 'events/truncated',
        'the file ends inside this <Event> (no </Event>); skipped', this.index++));
    } else if (this.state === 'outside') {
      this.checkPreamble(this.buffer.length, items);
      this.invalidOutside(this.bufferOffset + this.buffer.length, items);
    }
    if (this.index === 0 && !this.sawStructure) {
      items.push(createEventError(this.file, { line: 1, column: 1 }, 'events/no-events',
        'no <Event> element found in this XML file', undefined, 'warning'));
    }
    this.buffer = '';
    return items;
  }

  private positionAt(relative: number): { line: number; column: number } {
    const lines = countNewlines(this.buffer, 0, relative);
    if (lines === 0) return { line: this.bufferLine, column: this.bufferOffset + relative - this.bufferLineStart + 1 };
    const lastNewline = this.buffer.lastIndexOf('\n', relative - 1);
    return { line: this.bufferLine + lines, column: relative - lastNewline };
  }

  /** Drops the first `count` characters, keeping line numbers right. */
  private advance(count: number): void {
    if (count <= 0) return;
    const lines = countNewlines(this.buffer, 0, count);
    if (lines > 0) {
      this.bufferLine += lines;
      this.bufferLineStart = this.bufferOffset + this.buffer.lastIndexOf('\n', count - 1) + 1;
    }
    this.bufferOffset += count;
    this.buffer = this.buffer.slice(count);
  }

  private process(items: EventItem[], final: boolean): void {
    for (;;) {
      if (this.state === 'outside') {
        EVENT_START.lastIndex = 0;
        const start = EVENT_START.exec(this.buffer);
        if (!start) {
          const keep = final ? 0 : Math.min(TAIL, this.buffer.length);
          const drop = this.buffer.length - keep;
          if (!final) {
            this.checkPreamble(drop, items);
            this.invalidOutside(this.bufferOffset + drop, items);
            this.advance(drop);
          }
          return;
        }
        this.checkPreamble(start.index, items);
        this.invalidOutside(this.bufferOffset + start.index, items);
        this.advance(start.index);
        this.beginEvent();
        continue;
      }
      if (this.state === 'inside') {
        if (!this.readInsideEvent(items, final)) return;
        continue;
      }
      // Skipping the rest of an event that was too large.
      const resumeAt = this.findNextBoundary(0);
      if (resumeAt === undefined) {
        this.advance(final ? this.buffer.length : Math.max(0, this.buffer.length - TAIL));
        return;
      }
      this.advance(resumeAt.at);
      if (resumeAt.kind === 'start') this.beginEvent();
      else this.state = 'outside';
    }
  }

  private beginEvent(): void {
    this.state = 'inside';
    this.sawStructure = true;
    this.eventStart = this.positionAt(0);
    this.eventOffset = this.bufferOffset;
    this.tagEnd = -1;
    this.tagScan = 1;
    this.tagQuote = 0;
    this.tagBroken = false;
    this.tagDone = false;
    this.searchFrom = 1;
    this.eventParts = [];
    this.eventPartsLength = 0;
  }

  /** The next `<Event` or `</Event>` at or after `from`, whichever comes first. */
  private findNextBoundary(from: number): { kind: 'start' | 'end'; at: number; length: number } | undefined {
    EVENT_START.lastIndex = from;
    const start = EVENT_START.exec(this.buffer);
    EVENT_END.lastIndex = from;
    const end = EVENT_END.exec(this.buffer);
    if (start && (!end || start.index < end.index)) return { kind: 'start', at: start.index, length: start[0].length };
    if (end) return { kind: 'end', at: end.index + end[0].length, length: end[0].length };
    return undefined;
  }

  /** Finds the `>` that closes the start tag (quotes may hold `>`); remembers how far it looked. */
  private scanStartTag(): void {
    const { buffer } = this;
    for (let i = this.tagScan; i < buffer.length; i += 1) {
      const c = buffer.charCodeAt(i);
      if (c === 0x3c) {
        // `<` cannot appear inside a start tag, not even in an attribute value (XML 1.0, AttValue):
        // the tag is broken; stop here and let the parser report it, rather than run into later events.
        this.tagEnd = i - 1;
        this.tagBroken = true;
        return;
      }
      if (this.tagQuote !== 0) {
        if (c === this.tagQuote) this.tagQuote = 0;
      } else if (c === 0x22 || c === 0x27) {
        this.tagQuote = c;
      } else if (c === 0x3e) {
        this.tagEnd = i;
        return;
      }
    }
    this.tagScan = buffer.length;
  }

  /** Works on the event at the buffer start; false when more text is needed. */
  private readInsideEvent(items: EventItem[], final: boolean): boolean {
    if (!this.tagDone) {
      this.scanStartTag();
      if (this.tagEnd >= 0 && !this.tagBroken && this.buffer.charCodeAt(this.tagEnd - 1) === 0x2f) {
        // `<Event ... />`: an event with no content.
        this.emitEvent(this.tagEnd + 1, items);
        return true;
      }
      if (this.tagEnd >= 0) {
        this.tagDone = true;
        this.searchFrom = Math.max(this.searchFrom, this.tagEnd + 1);
      }
    }
    if (this.tagDone) {
      const boundary = this.findNextBoundary(this.searchFrom);
      if (boundary && this.eventPartsLength + boundary.at > this.maxEventChars) {
        // Too long, however it ends: the same verdict a chunked read reaches before seeing the end.
        this.reportTooLarge(items);
        this.leaveEvent(boundary.at);
        if (boundary.kind === 'start') this.beginEvent();
        else this.state = 'outside';
        return true;
      }
      if (boundary?.kind === 'start') {
        items.push(createEventError(this.file, this.eventStart, 'events/truncated',
          'this <Event> has no </Event> before the next <Event> (truncated record); skipped', this.index++));
        this.leaveEvent(boundary.at);
        this.beginEvent();
        return true;
      }
      if (boundary) {
        this.emitEvent(boundary.at, items);
        return true;
      }
    }
    if (this.eventPartsLength + this.buffer.length > this.maxEventChars) {
      this.reportTooLarge(items);
      this.leaveEvent(Math.max(0, this.buffer.length - TAIL));
      this.state = 'skipping';
      return true;
    }
    if (final) return false;
    if (this.tagDone && this.buffer.length > this.stashChars) this.stash(this.buffer.length - TAIL);
    this.searchFrom = Math.max(this.searchFrom, this.buffer.length - TAIL);
    return false;
  }

  /**
   * Moves the first `count` characters of a long event out of the search buffer, so each later chunk
   * is searched alone instead of flattening and rescanning the whole event (linear, not quadratic).
   */
  private stash(count: number): void {
    this.eventParts.push(this.buffer.slice(0, count));
    this.eventPartsLength += count;
    this.advance(count);
    this.tagEnd -= count;
    this.searchFrom = Math.max(0, this.searchFrom - count);
  }

  /** Drops the current event's text up to `count` characters into the buffer, without reading it. */
  private leaveEvent(count: number): void {
    this.invalid.take(this.eventOffset, this.bufferOffset + count);
    this.advance(count);
    this.eventParts = [];
    this.eventPartsLength = 0;
  }

  private reportTooLarge(items: EventItem[]): void {
    items.push(createEventError(this.file, this.eventStart, 'events/record-too-large',
      `<Event> longer than ${this.maxEventChars} characters; skipped`, this.index++));
  }

  /** Invalid bytes between events are no record's; report them once per stretch. */
  private invalidOutside(end: number, items: EventItem[]): void {
    const first = this.invalid.peek();
    if (first === undefined || first >= end) return;
    this.invalid.take(first, end);
    const relative = first - this.bufferOffset;
    const position = relative >= 0 && relative <= this.buffer.length ? this.positionAt(relative) : { line: this.bufferLine, column: 1 };
    items.push(createEventError(this.file, position, 'events/invalid-encoding',
      'bytes that are not valid in the file\'s encoding between events; ignored'));
  }

  private checkPreamble(end: number, items: EventItem[]): void {
    const match = DOCTYPE.exec(this.buffer.slice(0, end));
    if (!match) return;
    this.sawStructure = true;
    items.push(createEventError(this.file, this.positionAt(match.index), 'events/doctype-rejected',
      'DOCTYPE and entity declarations are not allowed in event files (entities are never expanded); declaration ignored'));
  }

  private emitEvent(length: number, items: EventItem[]): void {
    const text = this.eventPartsLength === 0 ? this.buffer.slice(0, length) : this.eventParts.join('') + this.buffer.slice(0, length);
    const index = this.index++;
    const at = this.eventStart;
    const hasInvalid = this.invalid.take(this.eventOffset, this.eventOffset + text.length);
    this.advance(length);
    this.eventParts = [];
    this.eventPartsLength = 0;
    this.state = 'outside';
    if (hasInvalid) {
      items.push(createEventError(this.file, at, 'events/invalid-encoding',
        'the event holds bytes that are not valid in the file\'s encoding; skipped', index));
      return;
    }
    const root = this.parseEvent(text);
    if (this.parseError || !root) {
      const problem = this.parseError ?? { line: 1, column: 0, message: 'no element found' };
      const position = problem.line <= 1
        ? { line: at.line, column: at.column + problem.column }
        : { line: at.line + problem.line - 1, column: problem.column + 1 };
      items.push(createEventError(this.file, position, 'events/malformed-xml', `malformed event XML: ${problem.message}`, index));
      return;
    }
    items.push({ kind: 'event', record: createEventElementRecord(root, this.file, index), format: 'event-xml' });
  }

  private parseEvent(text: string): XmlElement | undefined {
    this.stack = [];
    this.root = undefined;
    this.parseError = undefined;
    try {
      this.parser.write(text).close();
    } catch (error) {
      this.parseError ??= { line: this.parser.line, column: this.parser.column, message: describeError(error) };
    }
    const root = this.root;
    this.stack = [];
    this.root = undefined;
    return root;
  }
}
