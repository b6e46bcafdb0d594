/**
 * Scanning one chunk of an NDJSON file: whole lines of UTF-8, read and matched exactly as the stream
 * reader would read them (same decoder, same line parser, same prefilter), with positions and line
 * numbers counted from the chunk's start. A worker thread does this for the chunks it is given; the
 * main thread puts the results back in file order and rebases them (./parallel-scan.ts).
 */
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { StreamTextDecoder } from '../events/decode-text.js';
import type { EventItem } from '../events/event-item.js';
import { InputAccountant, type AccountPart, type RecogniseRecord } from '../events/input-account.js';
import { NdjsonParser } from '../events/read-ndjson.js';
import type { ScanEngine } from './scan-events.js';

/** What a chunk held, counted from its start. */
export interface ChunkResult {
  /** Events parsed (lines the prefilter skipped and unreadable records not included). */
  readonly events: number;
  /** Positions the chunk's records take (non-blank lines, skipped ones included). */
  readonly positions: number;
  readonly lines: number;
  /** Matches as pairs: the event's position in the chunk, then the rule's index in the engine. */
  readonly matches: readonly number[];
  /** Problems in chunk order; lines are counted from the chunk's first line. */
  readonly diagnostics: readonly Diagnostic[];
  /** For each problem, how many matches come before it (matches and problems interleave as read). */
  readonly diagnosticsAfter: readonly number[];
  /** Every record of the chunk counted (../events/input-account.ts), prefiltered lines as not parsed; positions from the chunk's start. */
  readonly account: AccountPart;
}

/** Bytes of a chunk decoded and parsed at a time (the stream reader reads 64 KiB at a time). */
const SLICE_BYTES = 64 * 1024;

/**
 * Reads and matches the records of `bytes`, whole lines of UTF-8 text from `file`, and counts every
 * record; `recognise` names the log source of each (as `scanEventFile` is told).
 */
export function scanChunk(engine: ScanEngine, file: string, bytes: Uint8Array, recognise: RecogniseRecord): ChunkResult {
  const decoder = new StreamTextDecoder('utf-8');
  const tally = { prefiltered: 0 };
  const parser = new NdjsonParser(file, engine.linePrefilter ? { prefilter: engine.linePrefilter, tally } : {});
  const accountant = new InputAccountant(file, recognise);
  let events = 0;
  const matches: number[] = [];
  const diagnostics: Diagnostic[] = [];
  const diagnosticsAfter: number[] = [];
  const take = (items: readonly EventItem[]): void => {
    for (const item of items) {
      accountant.count(item);
      if (item.kind === 'error') {
        diagnostics.push(item.diagnostic);
        diagnosticsAfter.push(matches.length / 2);
        continue;
      }
      events += 1;
      for (const ruleIndex of engine.index.matchEvent(item.record)) matches.push(item.record.index, ruleIndex);
    }
  };
  // Decoded and parsed a slice at a time, as the stream reader reads a file: the slice's text and events
  // die young, where a whole chunk's would outlive the nursery and grow the old heap.
  for (let start = 0; start < bytes.length; start += SLICE_BYTES) take(parser.feed(decoder.decode(bytes.subarray(start, start + SLICE_BYTES))));
  take(parser.feed(decoder.end()));
  take(parser.end());
  accountant.countNotParsed(tally.prefiltered);
  return { events, positions: parser.positions, lines: parser.lines, matches, diagnostics, diagnosticsAfter, account: accountant.part() };
}
