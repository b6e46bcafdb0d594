/**
 * Golden events written in Sigma taxonomy fields (a YAML list of field maps, or JSON/NDJSON objects
 * marked `render: true` in rule-test.yml): each is built into an event of the rule's activity, rendered
 * into every real shape of the rule's log sources (for process creations Sysmon 1 and Security 4688 of
 * each version, evtx_dump JSON, Winlogbeat; for the others Event XML, evtx_dump JSON, Winlogbeat JSON)
 * and read back through the real readers, so one hand-written event tests the rule on every source.
 */
import { extname } from 'node:path';
import type { EventRecord } from '../compile/event-record.js';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { EventItem, TextEventParser } from '../events/event-item.js';
import { readEvents } from '../events/read-events.js';
import { NdjsonParser } from '../events/read-ndjson.js';
import { XmlEventParser } from '../events/read-xml.js';
import { loadYamlFile } from '../load/yaml.js';
import type { Activity, ActivityEvent } from './activities/activity.js';

/** One taxonomy event of a file: its 0-based position and its fields. */
export interface TaxonomyEvent {
  readonly index: number;
  readonly fields: Readonly<Record<string, string | number>>;
  /** Where it is written (1-based line and column). */
  readonly line: number;
  readonly column: number;
}

/** True for the files that are always taxonomy events: YAML. */
export function isTaxonomyFile(path: string): boolean {
  return /^\.ya?ml$/i.test(extname(path));
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Field values as events carry them: text and numbers; true/false as Windows writes them. */
function readFields(value: Record<string, unknown>): { fields?: Record<string, string | number>; problem?: string } {
  const fields: Record<string, string | number> = {};
  for (const [name, raw] of Object.entries(value)) {
    if (typeof raw === 'string' || typeof raw === 'number') fields[name] = raw;
    else if (typeof raw === 'boolean') fields[name] = String(raw);
    else if (raw === null) fields[name] = '';
    else return { problem: `field '${name}' must be text or a number, not ${Array.isArray(raw) ? 'a list' : 'a mapping'}` };
  }
  return { fields };
}

/** Reads the taxonomy events of a YAML or JSON file; problems become diagnostics on their lines. */
export async function readTaxonomyEvents(path: string, file: string): Promise<{ events: TaxonomyEvent[]; diagnostics: Diagnostic[] }> {
  const events: TaxonomyEvent[] = [];
  const diagnostics: Diagnostic[] = [];
  if (!isTaxonomyFile(path)) {
    // JSON, JSON arrays and NDJSON: the readers' flat records are the field maps.
    for await (const item of readEvents(path)) {
      if (item.kind === 'error') {
        diagnostics.push({ ...item.diagnostic, file });
        continue;
      }
      const value = Object.fromEntries(item.record.fieldNames().map((name) => [name, item.record.get(name)]));
      const read = readFields(value);
      if (read.fields === undefined) diagnostics.push(createDiagnostic(file, { line: item.record.index + 1, column: 1 }, 'taxonomy/field', 'error', `event ${item.record.index}: ${read.problem ?? ''}`));
      else events.push({ index: item.record.index, fields: read.fields, line: item.record.index + 1, column: 1 });
    }
    return { events, diagnostics };
  }
  const loaded = await loadYamlFile(path, file);
  diagnostics.push(...loaded.diagnostics);
  const document = loaded.documents[0];
  if (document === undefined) return { events, diagnostics };
  const list = Array.isArray(document.value) ? document.value : [document.value];
  list.forEach((value, index) => {
    const at = document.locate(Array.isArray(document.value) ? [index] : []);
    if (!isRecord(value)) {
      diagnostics.push(createDiagnostic(file, at, 'taxonomy/not-a-mapping', 'error', `event ${index} must be a mapping of Sigma field names to values`));
      return;
    }
    const read = readFields(value);
    if (read.fields === undefined) diagnostics.push(createDiagnostic(file, at, 'taxonomy/field', 'error', `event ${index}: ${read.problem ?? ''}`));
    else events.push({ index, fields: read.fields, line: at.line, column: at.column });
  });
  if (events.length === 0 && diagnostics.length === 0) {
    diagnostics.push(createDiagnostic(file, { line: 1, column: 1 }, 'taxonomy/empty', 'error', 'the file holds no event'));
  }
  return { events, diagnostics };
}

/** One rendering of a taxonomy event read back: the record, or why it could not be read. */
export interface ReadRendering {
  readonly format: string;
  readonly record?: EventRecord;
  /** The reader's item, for the input account. */
  readonly item?: EventItem;
  readonly problem?: string;
}

/** Builds an event from taxonomy fields, or explains why the activity cannot. */
export function buildTaxonomyEvent(activity: Activity, fields: Readonly<Record<string, string | number>>, index: number): ActivityEvent | { readonly problem: string } {
  try {
    return activity.fromTaxonomy(fields, index);
  } catch (error) {
    return { problem: error instanceof Error ? error.message : String(error) };
  }
}

/** Renders an event in every format of its activity and reads each rendering back through the real readers. */
export function readBackRenderings(activity: Activity, event: ActivityEvent, file: string, index: number): ReadRendering[] {
  return activity.formats.map((format) => {
    const rendering = event.render(format);
    const parser: TextEventParser = rendering.extension === '.xml' ? new XmlEventParser(file) : new NdjsonParser(file);
    const items: EventItem[] = [...parser.feed({ text: `${rendering.text}\n`, invalidOffsets: [] }), ...parser.end()];
    const [item] = items;
    if (item?.kind !== 'event') return { format, problem: item?.kind === 'error' ? item.diagnostic.message : 'the reader returned no event' };
    // The record keeps the taxonomy event's position in its file, whatever the rendering's.
    const record: EventRecord = Object.create(item.record, { index: { value: index }, file: { value: file } }) as EventRecord;
    return { format, record, item: { ...item, record } };
  });
}
