import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import type { FieldValue } from '../../../src/compile/event-record.js';
import type { EventItem } from '../../../src/events/event-item.js';
import type { TextEventParser } from '../../../src/events/event-item.js';
import { readEvents, type ReadOptions } from '../../../src/events/read-events.js';
import type { EventRecord } from '../../../src/compile/event-record.js';

/** The event fixtures folder. */
export const EVENT_FIXTURES = fileURLToPath(new URL('../../fixtures/events/', import.meta.url));
/** The EVTX fixtures folder (owned by the EVTX reader's tests). */
export const EVTX_FIXTURES = fileURLToPath(new URL('../../fixtures/evtx/', import.meta.url));
/** The real OTRF Winlogbeat 6 sample (tests/fixtures/otrf/README.md). */
export const OTRF_FIXTURES = fileURLToPath(new URL('../../fixtures/otrf/', import.meta.url));

/** Reads every item of a file. */
export async function readAll(file: string, options?: ReadOptions): Promise<EventItem[]> {
  const items: EventItem[] = [];
  for await (const item of readEvents(file, options)) items.push(item);
  return items;
}

/** The records among items. */
export const recordsOf = (items: readonly EventItem[]): EventRecord[] =>
  items.flatMap((item) => (item.kind === 'event' ? [item.record] : []));

/** The error items among items. */
export const errorsOf = (items: readonly EventItem[]): Extract<EventItem, { kind: 'error' }>[] =>
  items.flatMap((item) => (item.kind === 'error' ? [item] : []));

/** A record's fields as a plain object, in field order. */
export function fieldsOf(record: EventRecord): Record<string, FieldValue | undefined> {
  return Object.fromEntries(record.fieldNames().map((name) => [name, record.get(name)]));
}

/** The path of a file in the event fixtures folder. */
export const resolveFixture = (name: string): string => join(EVENT_FIXTURES, name);

/** A scratch folder for files a test writes, and reads back as event items. */
export interface Scratch {
  readonly dir: string;
  /** Writes a file into the folder; returns its path. */
  write(name: string, content: string | Uint8Array): string;
  /** Writes a file into the folder and reads every item of it. */
  read(name: string, content: string | Uint8Array, options?: ReadOptions): Promise<EventItem[]>;
}

/** Makes a scratch folder for the tests of the calling file or `describe` block, removed after them. */
export function useScratch(): Scratch {
  const dir = mkdtempSync(join(tmpdir(), 'dac-readers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, content: string | Uint8Array): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  return { dir, write, read: (name, content, options) => readAll(write(name, content), options) };
}

/** Feeds text to a parser in the given piece sizes (cycled), as a file read in chunks would. */
export function feedInPieces(parser: TextEventParser, text: string, sizes: readonly number[]): EventItem[] {
  const items: EventItem[] = [];
  let offset = 0;
  let turn = 0;
  while (offset < text.length) {
    const size = Math.max(1, sizes[turn % sizes.length] ?? 1);
    items.push(...parser.feed({ text: text.slice(offset, offset + size), invalidOffsets: [] }));
    offset += size;
    turn += 1;
  }
  items.push(...parser.end());
  return items;
}

/** A comparable summary of items: records as their fields, errors as code + index + line. */
export function summarize(items: readonly EventItem[]): unknown[] {
  return items.map((item) =>
    item.kind === 'event'
      ? { index: item.record.index, fields: fieldsOf(item.record) }
      : { error: item.diagnostic.code, index: item.index, line: item.diagnostic.line, column: item.diagnostic.column },
  );
}
