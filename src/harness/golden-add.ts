/**
 * `dac golden add`: copies events out of captures (EVTX, Event XML, evtx_dump or Winlogbeat JSON, flat
 * JSON) into a rule's golden set, and files of events written in Sigma taxonomy fields (YAML) as they are. Windows events are stored as Event XML (checked to read back with the
 * same fields), flat events as NDJSON, each copy in a new file under tests/rules/<rule>/events/ with a
 * rule-test.yml entry holding its verdict and provenance: what the author said of it, the source file
 * and its SHA-256, the events' positions, channels, ids and record ids. Nothing existing is overwritten:
 * event files are new, and rule-test.yml gets a targeted edit.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, sep } from 'node:path';
import type { CompiledRule } from '../compile/compile-rule.js';
import type { EventRecord } from '../compile/event-record.js';
import { readEvents } from '../events/read-events.js';
import { copyEventXml } from '../events/write-event-xml.js';
import { writeFileAtomic } from '../files/write-file-atomic.js';
import { createNewFile } from '../files/write-new-file.js';
import type { SigmaRule } from '../model/rule.js';
import { appendGoldenEntry, type GoldenEntry } from './edit-rule-test.js';
import { SPEC_FILE } from './rule-test-spec.js';
import { isTaxonomyFile, readTaxonomyEvents } from './taxonomy-events.js';
import type { Verdict } from './test-report.js';

/** One capture to copy from: the file, and which events (0-based positions; all when absent). */
export interface CaptureSelection {
  readonly path: string;
  readonly positions?: readonly number[];
}

/** What `dac golden add` was asked. */
export interface GoldenAddRequest {
  readonly repoRoot: string;
  readonly rule: SigmaRule;
  /** The rule compiled with its log source's bindings, to say what it makes of each copy today. */
  readonly compiled?: CompiledRule;
  /** The rule's test folder (tests/rules/<rule name>, absolute). */
  readonly testFolder: string;
  readonly captures: readonly CaptureSelection[];
  readonly verdict: Verdict;
  readonly falsepositive?: number;
  /** Where the events come from, in the author's words. */
  readonly source: string;
  /** The new event file's name without extension (default: the capture's name and the positions). */
  readonly name?: string;
}

/** One golden file written. */
export interface CopiedFile {
  /** Relative to the repository root, forward slashes. */
  readonly file: string;
  readonly events: number;
  /** The rule's verdict on each copied event today: match or no-match (none for taxonomy events, which dac test renders). */
  readonly verdicts: readonly ('match' | 'no-match')[];
  readonly entry: GoldenEntry;
}

/** What was written, or the one problem that stopped everything before anything was written. */
export type GoldenAddResult = { readonly copied: readonly CopiedFile[]; readonly specFile: string; readonly createdSpec: boolean } | { readonly problem: string };

const toSlashes = (path: string): string => path.split(sep).join('/');

/** The events a selection names, in order, or why they cannot be had. */
async function selectEvents(capture: CaptureSelection, display: string): Promise<{ records?: EventRecord[]; problem?: string }> {
  const wanted = capture.positions === undefined ? undefined : new Set(capture.positions);
  const records = new Map<number, EventRecord>();
  const broken = new Map<number, string>();
  let total = 0;
  for await (const item of readEvents(capture.path)) {
    if (item.kind === 'error') {
      if (item.index === undefined && item.diagnostic.severity === 'error') return { problem: `${display}: ${item.diagnostic.message}` };
      if (item.index !== undefined) broken.set(item.index, item.diagnostic.message);
      total = Math.max(total, (item.index ?? -1) + 1);
      continue;
    }
    total = Math.max(total, item.record.index + 1);
    if (wanted === undefined || wanted.has(item.record.index)) records.set(item.record.index, item.record);
  }
  const positions = capture.positions ?? [...records.keys()];
  for (const position of positions) {
    if (broken.has(position)) return { problem: `${display} #${position} cannot be read: ${broken.get(position) ?? ''}` };
    if (!records.has(position)) return { problem: `${display} has no event #${position} (it holds ${total}, numbered from 0)` };
  }
  if (positions.length === 0) return { problem: `${display} holds no event` };
  return { records: positions.map((position) => records.get(position) as EventRecord) };
}

/** The text of the copies: Event XML for Windows events, NDJSON for flat ones (never both in one file). */
function writeCopies(records: readonly EventRecord[], display: string): { text?: string; extension?: '.xml' | '.ndjson'; problem?: string } {
  const windows = records.filter((record) => record.channel !== undefined || record.eventId !== undefined);
  if (windows.length > 0 && windows.length < records.length) {
    return { problem: `${display}: the selected events mix Windows events and flat ones; copy them in two runs` };
  }
  if (windows.length === 0) {
    const lines = records.map((record) => JSON.stringify(Object.fromEntries(record.fieldNames().map((name) => [name, record.get(name)]))));
    return { text: `${lines.join('\n')}\n`, extension: '.ndjson' };
  }
  const events: string[] = [];
  for (const record of records) {
    const copy = copyEventXml(record);
    if (copy.text === undefined) return { problem: `${display} #${record.index} cannot be copied faithfully as Event XML: ${copy.problem ?? ''}; list the whole capture in ${SPEC_FILE} by hand instead` };
    events.push(copy.text);
  }
  return { text: `<Events>\n${events.join('\n')}\n</Events>\n`, extension: '.xml' };
}

/** What a copied event is, for the provenance: channel, event id and record id. */
function describeRecord(record: EventRecord): string {
  const recordId = record.get('EventRecordID');
  return `#${record.index} (${record.channel ?? 'flat'}${record.eventId === undefined ? '' : ` ${record.eventId}`}${recordId === undefined ? '' : `, EventRecordID ${String(recordId)}`})`;
}

/** A file name not taken yet in `folder`: `<stem><extension>`, else `<stem>-2<extension>` ... */
function chooseFileName(folder: string, stem: string, extension: string, taken: ReadonlySet<string>): string {
  const safe = stem.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'events';
  for (let attempt = 1; ; attempt += 1) {
    const name = `${safe}${attempt === 1 ? '' : `-${attempt}`}${extension}`;
    if (!taken.has(name) && !existsSync(join(folder, name))) return name;
  }
}

/** The rule-test.yml of a rule that has none yet. */
function describeNewSpec(rule: SigmaRule): string {
  return `# yaml-language-server: $schema=../../../schemas/rule-test.schema.json
# Golden events of '${rule.title}': each file's events take its verdict unless an override names
# their 0-based position. Add captures with \`dac golden add\`.
rule: ${rule.id ?? ''}
events: []
`;
}

/**
 * Copies the selected events into the rule's golden set and adds their rule-test.yml entries. Every
 * selection is read and checked before anything is written; a failure while writing removes the
 * files written so far.
 */
export async function addGoldenEvents(request: GoldenAddRequest): Promise<GoldenAddResult> {
  const eventsFolder = join(request.testFolder, 'events');
  const specPath = join(request.testFolder, SPEC_FILE);
  const specFile = toSlashes(relative(request.repoRoot, specPath));
  if (specFile.startsWith('..')) return { problem: `the rule's test folder ${request.testFolder} is outside the repository ${request.repoRoot}` };
  const existing = existsSync(specPath) ? await readFile(specPath, 'utf8') : undefined;
  let specText = existing ?? describeNewSpec(request.rule);
  const planned: { path: string; text: string; copied: CopiedFile }[] = [];
  const taken = new Set<string>();
  for (const capture of request.captures) {
    const display = toSlashes(relative(request.repoRoot, capture.path)) || capture.path;
    if (isTaxonomyFile(capture.path)) {
      // Events written in taxonomy fields are copied as written; dac test renders them.
      if (capture.positions !== undefined) return { problem: `${display}: events in taxonomy fields are copied whole; drop the #positions` };
      const read = await readTaxonomyEvents(capture.path, display);
      const [problem] = read.diagnostics;
      if (problem !== undefined) return { problem: `${display}:${problem.line}:${problem.column}: ${problem.message}` };
      const name = chooseFileName(eventsFolder, request.name !== undefined && request.captures.length === 1 ? request.name : basename(capture.path, extname(capture.path)), '.yml', taken);
      taken.add(name);
      const entry: GoldenEntry = {
        file: `events/${name}`,
        verdict: request.verdict,
        ...(request.falsepositive === undefined ? {} : { falsepositive: request.falsepositive }),
        provenance: `${request.source.trim()}; ${read.events.length} event${read.events.length === 1 ? '' : 's'} in Sigma taxonomy fields, copied by dac golden add from ${display}`,
      };
      const edited = appendGoldenEntry(specText, entry, specFile);
      if (edited.text === undefined) return { problem: edited.problem ?? `${specFile} cannot be edited` };
      specText = edited.text;
      planned.push({ path: join(eventsFolder, name), text: await readFile(capture.path, 'utf8'), copied: { file: toSlashes(relative(request.repoRoot, join(eventsFolder, name))), events: read.events.length, verdicts: [], entry } });
      continue;
    }
    const selected = await selectEvents(capture, display);
    if (selected.records === undefined) return { problem: selected.problem ?? `${display}: nothing to copy` };
    const copies = writeCopies(selected.records, display);
    if (copies.text === undefined || copies.extension === undefined) return { problem: copies.problem ?? `${display}: nothing to copy` };
    const positions = capture.positions === undefined ? '' : `-${capture.positions.join('-')}`;
    const stem = request.name !== undefined && request.captures.length === 1 ? request.name : `${request.name ?? basename(capture.path, extname(capture.path))}${positions}`;
    const name = chooseFileName(eventsFolder, stem, copies.extension, taken);
    taken.add(name);
    const digest = createHash('sha256').update(await readFile(capture.path)).digest('hex');
    const which = capture.positions === undefined ? `all ${selected.records.length} events` : `event${selected.records.length === 1 ? '' : 's'} ${selected.records.map(describeRecord).join(', ')}`;
    const entry: GoldenEntry = {
      file: `events/${name}`,
      verdict: request.verdict,
      ...(request.falsepositive === undefined ? {} : { falsepositive: request.falsepositive }),
      provenance: `${request.source.trim()}; copied by dac golden add from ${display}, ${which}, file SHA-256 ${digest}`,
    };
    const edited = appendGoldenEntry(specText, entry, specFile);
    if (edited.text === undefined) return { problem: edited.problem ?? `${specFile} cannot be edited` };
    specText = edited.text;
    const verdicts = selected.records.map((record) => (request.compiled?.matches(record) ? 'match' : 'no-match') as 'match' | 'no-match');
    planned.push({ path: join(eventsFolder, name), text: copies.text, copied: { file: toSlashes(relative(request.repoRoot, join(eventsFolder, name))), events: selected.records.length, verdicts, entry } });
  }
  const written: string[] = [];
  try {
    await mkdir(eventsFolder, { recursive: true });
    for (const { path, text } of planned) {
      await createNewFile(path, text);
      written.push(path);
    }
    if (existing === undefined) {
      await mkdir(dirname(specPath), { recursive: true });
      await createNewFile(specPath, specText);
    } else {
      await writeFileAtomic(specPath, specText);
    }
  } catch (error) {
    // The golden set stays as it was: copies without their entries would be replayed by nobody.
    await Promise.all(written.map((path) => rm(path, { force: true })));
    throw error;
  }
  return { copied: planned.map(({ copied }) => copied), specFile, createdSpec: existing === undefined };
}
