/**
 * Runs compiled rules over one event file, streaming: memory does not grow with the file. The raw-text
 * prefilter (./prefilter.ts) decides which lines are parsed, the rule index (./rule-index.ts) which
 * rules are evaluated on each event.
 */
import type { CompiledRule } from '../compile/compile-rule.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { readEvents, UNREADABLE_FILE_CODES } from '../events/read-events.js';
import { createLinePrefilter, type TextPrefilter } from './prefilter.js';
import { RuleIndex, type RuleIndexOptions } from './rule-index.js';

/** The rules of a scan, with their prefilter and index built once. */
export interface ScanEngine {
  readonly rules: readonly CompiledRule[];
  readonly linePrefilter: TextPrefilter | undefined;
  readonly index: RuleIndex;
}

/** Which optimisations a scan engine uses; all on by default. None of them changes the matches. */
export interface ScanEngineOptions extends RuleIndexOptions {
  /** Skip NDJSON lines whose raw text holds no needle of any rule. */
  readonly prefilter?: boolean;
}

/** Builds the prefilter and the index for a set of rules. */
export function createScanEngine(rules: readonly CompiledRule[], options: ScanEngineOptions = {}): ScanEngine {
  const linePrefilter = options.prefilter === false ? undefined : createLinePrefilter(rules);
  return { rules, linePrefilter, index: new RuleIndex(rules, options) };
}

/** One rule matching one event. */
export interface ScanMatch {
  readonly rule: CompiledRule;
  /** The event file as named on the command line. */
  readonly file: string;
  /** The event's 0-based position in the file (DESIGN). */
  readonly event: number;
}

/** Where a scan reports what it finds. */
export interface ScanSink {
  match(match: ScanMatch): void;
  diagnostic(diagnostic: Diagnostic): void;
  /** Called now and then with the number of events read so far in this file. */
  progress?(events: number): void;
}

/** What scanning one file came to. */
export interface FileScanSummary {
  /** Events read (lines skipped by the prefilter not included). */
  readonly events: number;
  readonly matches: number;
  /** The file could not be read at all (missing, unreadable, unknown format). */
  readonly unreadable: boolean;
}

const PROGRESS_EVERY = 4096;

/** Scans the file at `path`, naming it `name` in matches and diagnostics. */
export async function scanEventFile(path: string, name: string, engine: ScanEngine, sink: ScanSink): Promise<FileScanSummary> {
  let events = 0;
  let matches = 0;
  let unreadable = false;
  const options = engine.linePrefilter ? { prefilter: engine.linePrefilter } : {};
  for await (const item of readEvents(path, options)) {
    if (item.kind === 'error') {
      if (UNREADABLE_FILE_CODES.has(item.diagnostic.code)) unreadable = true;
      sink.diagnostic(item.diagnostic.file === path ? { ...item.diagnostic, file: name } : item.diagnostic);
      continue;
    }
    events += 1;
    if (sink.progress && events % PROGRESS_EVERY === 0) sink.progress(events);
    const record = item.record;
    for (const ruleIndex of engine.index.matchEvent(record)) {
      matches += 1;
      sink.match({ rule: engine.rules[ruleIndex] as CompiledRule, file: name, event: record.index });
    }
  }
  sink.progress?.(events);
  return { events, matches, unreadable };
}
