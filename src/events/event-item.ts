import { createDiagnostic, type Diagnostic, type Severity } from '../diagnostics/diagnostic.js';
import type { EventRecord } from '../compile/event-record.js';

/**
 * One thing read from an event file: an event, or a problem. A problem that is a record which could
 * not be read carries that record's `index` (it still takes its position, DESIGN); a problem that is
 * not a record (text between JSON values, a DOCTYPE, an unreadable file) has no `index`.
 *
 * Diagnostic positions: text formats give the 1-based line and column where the record (or the problem)
 * starts; EVTX, a binary format, gives line = record index + 1 and column 1, with the byte offset in the
 * message.
 */
export type EventItem =
  | {
      readonly kind: 'event';
      readonly record: EventRecord;
      /** The shape the record was read in (what accounting names when no log source recognises it). */
      readonly format: RecordFormat;
      /** For JSON records: the top-level keys of the object, in source order (computed when asked). */
      readonly keys?: () => readonly string[];
    }
  | { readonly kind: 'error'; readonly diagnostic: Diagnostic; readonly index?: number };

/**
 * The shapes a record can be read in: an EVTX record, an `<Event>` element of Event XML, evtx_dump
 * JSON, a Winlogbeat 7+/8 (ECS, `winlog.*`) document, a Winlogbeat 6.x document (`log_name`,
 * `event_id`, `event_data`), an Azure Monitor Log Analytics / Microsoft Sentinel row (`WindowsEvent`,
 * `Event` or `SecurityEvent`), or a flat JSON object taken as Sigma field names.
 */
export type RecordFormat =
  | 'evtx'
  | 'event-xml'
  | 'evtx-dump-json'
  | 'winlogbeat-ecs'
  | 'winlogbeat-legacy'
  | 'log-analytics'
  | 'flat-json';

/** How reports name each record format. */
export const RECORD_FORMAT_NAMES: Readonly<Record<RecordFormat, string>> = {
  evtx: 'EVTX record',
  'event-xml': 'Event XML',
  'evtx-dump-json': 'evtx_dump JSON',
  'winlogbeat-ecs': 'Winlogbeat 7+ (ECS) JSON',
  'winlogbeat-legacy': 'Winlogbeat 6 JSON',
  'log-analytics': 'Log Analytics / Sentinel row',
  'flat-json': 'flat JSON',
};

/** Stable diagnostic codes of the event readers. */
export type EventProblemCode =
  | 'events/unreadable-file'
  | 'events/unknown-format'
  | 'events/invalid-encoding'
  | 'events/record-too-large'
  | 'events/malformed-json'
  | 'events/not-an-object'
  | 'events/stray-text'
  | 'events/truncated'
  | 'events/malformed-xml'
  | 'events/doctype-rejected'
  | 'events/no-events'
  | 'events/evtx-record';

/** Builds an error item; pass `index` when the problem is a record that takes a position. */
export function createEventError(
  file: string,
  position: { readonly line: number; readonly column: number },
  code: EventProblemCode,
  message: string,
  index?: number,
  severity: Severity = 'error',
): EventItem {
  const diagnostic = createDiagnostic(file, position, code, severity, message);
  return index === undefined ? { kind: 'error', diagnostic } : { kind: 'error', diagnostic, index };
}

/** Longest record (line, JSON value or `<Event>` element) read, in UTF-16 code units: 16 MiB. */
export const MAX_RECORD_CHARS = 16 * 1024 * 1024;

/** Counts line feeds in `text` between `from` (inclusive) and `to` (exclusive). */
export function countNewlines(text: string, from = 0, to = text.length): number {
  let count = 0;
  let at = text.indexOf('\n', from);
  while (at !== -1 && at < to) {
    count += 1;
    at = text.indexOf('\n', at + 1);
  }
  return count;
}

/** Where JSON.parse says it failed, as an offset into the parsed text, when its message tells. */
export function findJsonErrorOffset(error: unknown): number | undefined {
  const match = error instanceof Error ? /position (\d+)/.exec(error.message) : null;
  return match ? Number(match[1]) : undefined;
}

/** The message of a thrown value. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A format reader fed decoded text chunk by chunk (synchronously, so no per-line promise is paid). */
export interface TextEventParser {
  /** Reads what the chunk completes; keeps an unfinished record for the next call. */
  feed(chunk: { readonly text: string; readonly invalidOffsets: readonly number[] }): EventItem[];
  /** Reads what is left at the end of the file. */
  end(): EventItem[];
}
