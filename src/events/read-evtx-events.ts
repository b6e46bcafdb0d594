import { createEventError, type EventItem } from './event-item.js';
import { readEvtx, type EvtxItem } from './evtx/read-evtx.js';
import { createEventElementRecord } from './windows-event.js';

/** Diagnostic position of an EVTX item: line = record index + 1, column 1 (a binary file has no lines). */
const locateRecord = (index: number): { line: number; column: number } => ({ line: index + 1, column: 1 });

function toErrorItem(file: string, item: Extract<EvtxItem, { kind: 'error' }>, tookPosition: boolean): EventItem {
  return createEventError(file, locateRecord(item.index), 'events/evtx-record',
    `${tookPosition ? `record ${item.index}` : `before record ${item.index}`} (byte offset ${item.offset}): ${item.message}`,
    tookPosition ? item.index : undefined);
}

/**
 * Reads an .evtx file through the native EVTX reader and flattens each record like Event XML. The EVTX
 * reader gives structural errors (header checksum, skipped bytes) the index the next record will take;
 * an error is known to be a record's own only when the next item moves past its index, so each error
 * waits for the next item before it is passed on (one item of lookahead, nothing more is held).
 */
export async function* readEvtxEvents(file: string, items: AsyncIterable<EvtxItem> = readEvtx(file)): AsyncIterable<EventItem> {
  let pending: Extract<EvtxItem, { kind: 'error' }> | undefined;
  for await (const item of items) {
    if (pending) {
      yield toErrorItem(file, pending, item.index > pending.index);
      pending = undefined;
    }
    if (item.kind === 'error') {
      pending = item;
      continue;
    }
    yield { kind: 'event', record: createEventElementRecord(item.element, file, item.index), format: 'evtx' };
  }
  if (pending) yield toErrorItem(file, pending, false);
}
