/**
 * Writes a Windows event read from any format (EVTX, Event XML, evtx_dump JSON, Winlogbeat) back as
 * Event XML, the inverse of the flattening in windows-event.ts: the System fields (`EventID`,
 * `Provider_Name`, `TimeCreated_SystemTime` ...) become the System header, every other field a
 * `<Data Name=...>` of EventData, a list one element per value. `copyEventXml` checks that the text
 * reads back to the same fields, so a copy that would change what a rule sees is refused, never written.
 */
import type { EventRecord, FieldValue } from '../compile/event-record.js';
import { escapeXmlAttribute } from '../report/escape.js';
import type { EventItem } from './event-item.js';
import { XmlEventParser } from './read-xml.js';

const EVENT_NAMESPACE = 'http://schemas.microsoft.com/win/2004/08/events/event';

/** System elements in schema order, with the attributes the flattening names `<Element>_<Attribute>`. */
const SYSTEM_ELEMENTS: readonly { readonly name: string; readonly text: boolean; readonly attributes: readonly string[] }[] = [
  { name: 'Provider', text: false, attributes: ['Name', 'Guid', 'EventSourceName'] },
  { name: 'EventID', text: true, attributes: ['Qualifiers'] },
  { name: 'Version', text: true, attributes: [] },
  { name: 'Level', text: true, attributes: [] },
  { name: 'Task', text: true, attributes: [] },
  { name: 'Opcode', text: true, attributes: [] },
  { name: 'Keywords', text: true, attributes: [] },
  { name: 'TimeCreated', text: false, attributes: ['SystemTime'] },
  { name: 'EventRecordID', text: true, attributes: [] },
  { name: 'Correlation', text: false, attributes: ['ActivityID', 'RelatedActivityID'] },
  { name: 'Execution', text: false, attributes: ['ProcessID', 'ThreadID', 'ProcessorID', 'SessionID', 'KernelTime', 'UserTime', 'ProcessorTime'] },
  { name: 'Channel', text: true, attributes: [] },
  { name: 'Computer', text: true, attributes: [] },
  { name: 'Security', text: false, attributes: ['UserID'] },
];

const SYSTEM_FIELDS: ReadonlySet<string> = new Set(
  SYSTEM_ELEMENTS.flatMap((element) => [...(element.text ? [element.name] : []), ...element.attributes.map((attribute) => `${element.name}_${attribute}`)]),
);

/** A field value as Event XML text, or undefined for a value XML cannot hold as one Data element. */
function formatScalar(value: FieldValue): string | undefined {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** The values of a field, one per element. */
function listValues(value: FieldValue): (string | undefined)[] {
  return Array.isArray(value) ? value.map(formatScalar) : [formatScalar(value)];
}

/** Writes a record's fields as one `<Event>` element; undefined with the reason when a value is nested. */
export function renderEventXml(record: EventRecord): { text?: string; problem?: string } {
  const names = record.fieldNames();
  // System fields come first in every flattened record; the first name outside the System set starts EventData.
  const firstData = names.findIndex((name) => !SYSTEM_FIELDS.has(name));
  const systemNames = new Set(firstData === -1 ? names : names.slice(0, firstData));
  const dataNames = firstData === -1 ? [] : names.slice(firstData);
  const systemValue = (name: string): string | undefined => {
    if (!systemNames.has(name)) return undefined;
    const value = record.get(name);
    return value === undefined ? undefined : listValues(value)[0];
  };
  let system = '';
  for (const element of SYSTEM_ELEMENTS) {
    const attributes = element.attributes
      .map((attribute) => [attribute, systemValue(`${element.name}_${attribute}`)] as const)
      .filter((pair): pair is readonly [string, string] => pair[1] !== undefined)
      .map(([attribute, value]) => ` ${attribute}="${escapeXmlAttribute(value)}"`)
      .join('');
    const text = element.text ? systemValue(element.name) : undefined;
    if (text === undefined && attributes === '') continue;
    system += text === undefined ? `<${element.name}${attributes} />` : `<${element.name}${attributes}>${escapeXmlAttribute(text)}</${element.name}>`;
  }
  let data = '';
  for (const name of dataNames) {
    const value = record.get(name);
    if (value === undefined) continue;
    for (const text of listValues(value)) {
      if (text === undefined) return { problem: `field ${name} holds a nested value, which Event XML cannot carry` };
      const attribute = `Name="${escapeXmlAttribute(name)}"`;
      data += text === '' ? `<Data ${attribute} />` : `<Data ${attribute}>${escapeXmlAttribute(text)}</Data>`;
    }
  }
  return { text: `<Event xmlns="${EVENT_NAMESPACE}"><System>${system}</System><EventData>${data}</EventData></Event>` };
}

const normalize = (value: FieldValue | undefined): string | undefined =>
  value === undefined ? undefined : JSON.stringify(Array.isArray(value) ? value.map(formatScalar) : formatScalar(value));

/**
 * The record as Event XML, checked: the text read back through the Event XML reader has exactly the
 * record's fields and values (numbers read back as text). Otherwise the field that would change.
 */
export function copyEventXml(record: EventRecord): { text?: string; problem?: string } {
  const rendered = renderEventXml(record);
  if (rendered.text === undefined) return rendered;
  const parser = new XmlEventParser('copy.xml');
  const items: EventItem[] = [...parser.feed({ text: rendered.text, invalidOffsets: [] }), ...parser.end()];
  const [item] = items;
  if (item?.kind !== 'event') return { problem: 'the written XML does not read back' };
  const copy = item.record;
  const names = new Set([...record.fieldNames(), ...copy.fieldNames()]);
  for (const name of names) {
    const before = normalize(record.get(name));
    const after = normalize(copy.get(name));
    if (before !== after) return { problem: `field ${name} would read back as ${after ?? '(absent)'} instead of ${before ?? '(absent)'}` };
  }
  return { text: rendered.text };
}
