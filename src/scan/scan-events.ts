/**
 * Runs compiled rules over one event file, streaming: memory does not grow with the file. The
 * prefilters of ./prefilter.ts decide which lines are parsed and which rules run on each event.
 */
import type { CompiledRule } from '../compile/compile-rule.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { InputAccountant, type InputAccount, type RecogniseRecord } from '../events/input-account.js';
import { readEvents, UNREADABLE_FILE_CODES, type EventStream } from '../events/read-events.js';
import { createLinePrefilter, createRuleSelector, type RuleSelector, type TextPrefilter } from './prefilter.js';

/** The rules of a scan, with their prefilters built once. */
export interface ScanEngine {
  readonly rules: readonly CompiledRule[];
  readonly linePrefilter: TextPrefilter | undefined;
  readonly selectRules: RuleSelector;
}

/** Builds the prefilters for a set of rules. */
export function createScanEngine(rules: readonly CompiledRule[]): ScanEngine {
  return { rules, linePrefilter: createLinePrefilter(rules), selectRules: createRuleSelector(rules) };
}

/** One rule matching one event. */
export interface ScanMatch {
  readonly rule: CompiledRule;
  /** The event file as named on the command line. */
  readonly file: string;
  /** The event's 0-based position in the file (DESIGN). */
  readonly event: number;
}

/**
 * Where a scan reports what it finds. A sink call that returns a promise is waited for before reading goes
 * on (back-pressure: a slow reader of the output slows the scan instead of filling memory); a sink that
 * throws stops the scan (the reader of the output went away).
 */
export interface ScanSink {
  match(match: ScanMatch): unknown;
  diagnostic(diagnostic: Diagnostic): unknown;
  /** Called now and then with the events and the bytes read so far in this file. */
  progress?(events: number, bytes: number): void;
}

/** What scanning one file came to. */
export interface FileScanSummary {
  /** Events parsed (lines the prefilter ruled out not included; the account counts those). */
  readonly events: number;
  readonly matches: number;
  /** The file could not be read at all (missing, unreadable, unknown format). */
  readonly unreadable: boolean;
  /** Every record of the file: read, recognised, not recognised, skipped, not parsed. */
  readonly account: InputAccount;
}

const PROGRESS_EVERY = 4096;

/**
 * Scans the file at `path` (or a stream of bytes), naming it `name` in matches and diagnostics;
 * `recognise` names the log source of each record for the file's account (see ../events/input-account.ts).
 */
export async function scanEventFile(
  path: string | EventStream,
  name: string,
  engine: ScanEngine,
  sink: ScanSink,
  recognise: RecogniseRecord = () => undefined,
): Promise<FileScanSummary> {
  let events = 0;
  let matches = 0;
  let unreadable = false;
  let bytes = 0;
  const progress = sink.progress?.bind(sink);
  const tally = { prefiltered: 0 };
  const accountant = new InputAccountant(name, recognise);
  const options = {
    ...(engine.linePrefilter ? { prefilter: engine.linePrefilter, tally } : {}),
    ...(progress ? { onBytesRead: (read: number) => progress(events, (bytes = read)) } : {}),
  };
  for await (const item of readEvents(path, options)) {
    accountant.count(item);
    if (item.kind === 'error') {
      if (UNREADABLE_FILE_CODES.has(item.diagnostic.code)) unreadable = true;
      const named = item.diagnostic.file === (typeof path === 'string' ? path : path.name) ? { ...item.diagnostic, file: name } : item.diagnostic;
      const waited = sink.diagnostic(named);
      if (waited instanceof Promise) await waited;
      continue;
    }
    events += 1;
    if (progress && events % PROGRESS_EVERY === 0) progress(events, bytes);
    const record = item.record;
    for (const rule of engine.selectRules(record)) {
      if (rule.matches(record)) {
        matches += 1;
        const waited = sink.match({ rule, file: name, event: record.index });
        if (waited instanceof Promise) await waited;
      }
    }
  }
  progress?.(events, bytes);
  accountant.countNotParsed(tally.prefiltered);
  return { events, matches, unreadable, account: accountant.finish() };
}
