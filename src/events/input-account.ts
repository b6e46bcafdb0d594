/**
 * The account of one input file: every record read is counted once, as recognised (by the log source
 * that recognises it), read as taxonomy fields (a flat record without channel or event id, which DESIGN
 * takes as already in Sigma field names: every rule sees it, by its shape), not recognised (by its
 * shape), skipped (damaged or too large, by reason) or not parsed (an NDJSON line `dac scan`'s
 * prefilter ruled out). One module, shared by `dac scan`, the golden
 * replay of `dac test` and `dac predict`, so the three say the same thing about the same file.
 */
import type { EventRecord } from '../compile/event-record.js';
import { RECORD_FORMAT_NAMES, type EventItem, type RecordFormat } from './event-item.js';
import { UNREADABLE_FILE_CODES } from './read-events.js';

/** Names the log source a record comes from (a mapping source id), or undefined when none recognises it. */
export type RecogniseRecord = (record: EventRecord) => string | undefined;

/** Records recognised as one log source. */
export interface SourceCount {
  /** The mapping source id, e.g. `sysmon-1`, `security-4688`, `channel-security`. */
  readonly source: string;
  readonly count: number;
}

/** Records of one shape: flat records read as taxonomy fields, or records no log source recognises. */
export interface ShapeCount {
  /** The format and what identifies it: a Windows event's channel and event id, a JSON object's top-level keys. */
  readonly shape: string;
  readonly count: number;
  /** 0-based position of the first such record in the file. */
  readonly first: number;
}

/** Records that could not be read, for one reason. */
export interface SkipCount {
  /** The reader's diagnostic code, e.g. `events/malformed-json`, `events/record-too-large`. */
  readonly code: string;
  readonly count: number;
  /** 0-based position of the first such record, and what the reader said about it. */
  readonly first: number;
  readonly reason: string;
}

/** How every record of one input file was accounted for. */
export interface InputAccount {
  /** The file as the user or the spec named it. */
  readonly file: string;
  /** Records that took a position in the file: the sum of recognised, taxonomy, not recognised, skipped and not parsed. */
  readonly read: number;
  /** NDJSON lines not parsed because no literal of any rule occurs in them (`dac scan`'s prefilter). */
  readonly notParsed: number;
  readonly recognised: readonly SourceCount[];
  /** Flat records (no channel, no event id) read as Sigma taxonomy field names, by shape: every rule sees them. */
  readonly taxonomy: readonly ShapeCount[];
  readonly unrecognised: readonly ShapeCount[];
  readonly skipped: readonly SkipCount[];
  /** Problems that are not records (text between JSON values, a DOCTYPE, an XML file without events). */
  readonly problems: number;
  /** Why the file could not be read at all (missing, unreadable, not an event file); absent when it was read. */
  readonly unreadable?: string;
}

/** The totals of one or more accounts. */
export interface AccountTotals {
  readonly files: number;
  readonly read: number;
  readonly notParsed: number;
  readonly recognised: number;
  readonly taxonomy: number;
  readonly unrecognised: number;
  readonly skipped: number;
  readonly unreadable: number;
}

/** Most keys a shape lists before it says how many more there are. */
const MAX_SHAPE_KEYS = 12;

/** What a shape is described from, kept once per group of records. */
interface ShapeFacts {
  readonly format: RecordFormat;
  readonly channel?: string;
  readonly eventId?: number;
  readonly keys?: readonly string[];
}

/** `{a, b, c, and 3 more}`: a record's top-level keys, sorted, the first dozen named. */
function listKeys(keys: readonly string[]): string {
  const sorted = [...keys].sort();
  const shown = sorted.slice(0, MAX_SHAPE_KEYS).join(', ');
  const more = sorted.length > MAX_SHAPE_KEYS ? `, and ${sorted.length - MAX_SHAPE_KEYS} more` : '';
  return `{${shown}${more}}`;
}

function describeShape({ format, channel, eventId, keys }: ShapeFacts): string {
  const name = RECORD_FORMAT_NAMES[format];
  if (channel !== undefined || eventId !== undefined) {
    const parts = [channel === undefined ? 'no channel' : `channel '${channel}'`, eventId === undefined ? 'no event id' : `event id ${eventId}`];
    // A JSON record's top-level keys (of the first of the group) show what the reader was given.
    if (keys !== undefined) parts.push(`keys ${listKeys(keys)}`);
    return `${name}, ${parts.join(', ')}: no mapping knows this log source`;
  }
  return `${name}, keys ${listKeys(keys ?? [])}`;
}

/** A cheap key that groups records of one shape (keys in source order; groups of one description merge at the end). */
function readShapeFacts(item: Extract<EventItem, { kind: 'event' }>): { key: string; facts: () => ShapeFacts } {
  const { record, format } = item;
  const { channel, eventId } = record;
  if (channel !== undefined || eventId !== undefined) {
    return {
      key: `${format}\u0000${channel ?? ''}\u0000${eventId ?? ''}`,
      facts: () => ({
        format,
        ...(channel !== undefined ? { channel } : {}),
        ...(eventId !== undefined ? { eventId } : {}),
        ...(item.keys !== undefined ? { keys: item.keys() } : {}),
      }),
    };
  }
  const keys = item.keys?.() ?? record.fieldNames();
  return { key: `${format}\u0001${keys.join('\u0000')}`, facts: () => ({ format, keys }) };
}

/** Counts the items read from one file; `finish` gives the account. */
export class InputAccountant {
  private read = 0;
  private notParsed = 0;
  private problems = 0;
  private unreadable: string | undefined;
  private readonly sources = new Map<string, number>();
  private readonly shapes = new Map<string, { facts: ShapeFacts; flat: boolean; count: number; first: number }>();
  private readonly skips = new Map<string, { code: string; count: number; first: number; reason: string }>();

  constructor(
    readonly file: string,
    private readonly recognise: RecogniseRecord,
  ) {}

  /** Counts one item a reader yielded. */
  count(item: EventItem): void {
    if (item.kind === 'error') {
      const { code, message } = item.diagnostic;
      if (item.index !== undefined) {
        this.read += 1;
        const skip = this.skips.get(code);
        if (skip === undefined) this.skips.set(code, { code, count: 1, first: item.index, reason: message });
        else skip.count += 1;
      } else if (UNREADABLE_FILE_CODES.has(code)) {
        this.unreadable ??= message;
      } else {
        this.problems += 1;
      }
      return;
    }
    this.read += 1;
    const source = this.recognise(item.record);
    if (source !== undefined) {
      this.sources.set(source, (this.sources.get(source) ?? 0) + 1);
      return;
    }
    const { key, facts } = readShapeFacts(item);
    // Flat records are grouped apart: they are read, as Sigma field names, not left unrecognised.
    const flat = item.record.channel === undefined && item.record.eventId === undefined;
    const known = this.shapes.get(key);
    if (known === undefined) this.shapes.set(key, { facts: facts(), flat, count: 1, first: item.record.index });
    else known.count += 1;
  }

  /** Counts lines that took a position but were not parsed (ruled out by the raw-text prefilter). */
  countNotParsed(lines: number): void {
    this.read += lines;
    this.notParsed += lines;
  }

  /** The account so far, largest groups first. */
  finish(): InputAccount {
    const byCount = <T extends { count: number }>(a: T, b: T): number => b.count - a.count;
    // Groups whose keys differ only in order describe the same shape: merged here, once.
    const shapes = new Map<string, { shape: string; flat: boolean; count: number; first: number }>();
    for (const { facts, flat, count, first } of this.shapes.values()) {
      const shape = describeShape(facts);
      const known = shapes.get(shape);
      if (known === undefined) shapes.set(shape, { shape, flat, count, first });
      else {
        known.count += count;
        known.first = Math.min(known.first, first);
      }
    }
    const groups = [...shapes.values()].sort((a, b) => byCount(a, b) || a.first - b.first);
    return {
      file: this.file,
      read: this.read,
      notParsed: this.notParsed,
      recognised: [...this.sources].map(([source, count]) => ({ source, count })).sort((a, b) => byCount(a, b) || (a.source < b.source ? -1 : 1)),
      taxonomy: groups.filter((group) => group.flat).map(({ shape, count, first }) => ({ shape, count, first })),
      unrecognised: groups.filter((group) => !group.flat).map(({ shape, count, first }) => ({ shape, count, first })),
      skipped: [...this.skips.values()].map((s) => ({ ...s })).sort((a, b) => byCount(a, b) || a.first - b.first),
      problems: this.problems,
      ...(this.unreadable !== undefined ? { unreadable: this.unreadable } : {}),
    };
  }
}

const sum = (counts: readonly { readonly count: number }[]): number => counts.reduce((total, entry) => total + entry.count, 0);

/** Adds up accounts: files, records read, recognised, taxonomy, not recognised, skipped, not parsed, unreadable files. */
export function totalAccounts(accounts: readonly InputAccount[]): AccountTotals {
  return {
    files: accounts.length,
    read: accounts.reduce((total, a) => total + a.read, 0),
    notParsed: accounts.reduce((total, a) => total + a.notParsed, 0),
    recognised: accounts.reduce((total, a) => total + sum(a.recognised), 0),
    taxonomy: accounts.reduce((total, a) => total + sum(a.taxonomy), 0),
    unrecognised: accounts.reduce((total, a) => total + sum(a.unrecognised), 0),
    skipped: accounts.reduce((total, a) => total + sum(a.skipped), 0),
    unreadable: accounts.filter((a) => a.unreadable !== undefined).length,
  };
}

/** Writes a count with its noun, adding `s` unless the count is one. */
const plural = (count: number, noun: string): string => `${count} ${noun}${count === 1 ? '' : 's'}`;

/**
 * One line of totals: `N records read: R recognised, T as taxonomy fields, U not recognised, S skipped, P
 * not parsed (...)`; the taxonomy count only when there are such records.
 */
export function formatAccountTotals(totals: Omit<AccountTotals, 'files' | 'unreadable'>): string {
  const parts = [
    `${totals.recognised} recognised`,
    ...(totals.taxonomy > 0 ? [`${totals.taxonomy} as taxonomy fields`] : []),
    `${totals.unrecognised} not recognised`,
    `${totals.skipped} skipped`,
  ];
  if (totals.notParsed > 0) parts.push(`${totals.notParsed} not parsed (no rule literal occurs in them)`);
  return `${plural(totals.read, 'record')} read: ${parts.join(', ')}`;
}

/**
 * The account of one file for people: a line of totals, then one indented line per group that is not
 * empty (sources recognised, shapes not recognised, reasons skipped). Positions are 0-based (`#N`).
 */
export function formatInputAccount(account: InputAccount): string {
  if (account.unreadable !== undefined) return `${account.file}: not read: ${account.unreadable}`;
  const lines = [`${account.file}: ${formatAccountTotals({ ...totalAccounts([account]) })}`];
  if (account.recognised.length > 0) {
    lines.push(`  recognised: ${account.recognised.map((s) => `${s.source} ${s.count}`).join(', ')}`);
  }
  for (const shape of account.taxonomy) {
    lines.push(`  as taxonomy fields (no channel or event id: Sigma field names as they stand, seen by every rule): ${shape.count} × ${shape.shape} (first #${shape.first})`);
  }
  for (const shape of account.unrecognised) {
    lines.push(`  not recognised: ${shape.count} × ${shape.shape} (first #${shape.first})`);
  }
  for (const skip of account.skipped) {
    lines.push(`  skipped: ${skip.count} × ${skip.code} (first #${skip.first}: ${skip.reason})`);
  }
  if (account.problems > 0) lines.push(`  ${plural(account.problems, 'problem')} outside any record (see the diagnostics)`);
  return lines.join('\n');
}
