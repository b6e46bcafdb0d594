import type { EventRecord, FieldValue } from '../compile/event-record.js';
import type { XmlElement } from './xml-element.js';

/**
 * Flattening of a Windows event (the Event XML schema, `http://schemas.microsoft.com/win/2004/08/events/event`)
 * into one flat field map, the same whatever the source (Event XML, EVTX, evtx_dump JSON, Winlogbeat):
 *
 * - `System` leaf elements by name: `EventID`, `Version`, `Level`, `Task`, `Opcode`, `Keywords`,
 *   `EventRecordID`, `Channel`, `Computer`; empty ones without attributes (`<Correlation />`) are left out.
 * - `System` attributes as `<Element>_<Attribute>`: `Provider_Name`, `Provider_Guid`,
 *   `Provider_EventSourceName`, `EventID_Qualifiers`, `TimeCreated_SystemTime`, `Execution_ProcessID`,
 *   `Execution_ThreadID`, `Security_UserID`, `Correlation_ActivityID`, `Correlation_RelatedActivityID`.
 * - `EventData`: `<Data Name="X">v</Data>` as field `X` (empty element: `''`); unnamed `<Data>` values
 *   as field `Data`, other children (`<Binary>`) by their element name. A name with spaces (Windows
 *   Defender writes `Threat Name`, `Process Name`) is also given without them (`ThreatName`), the name
 *   Sigma rules use (Sigma specification, "Field Usage": strip all spaces).
 * - `UserData`: every leaf element by its local name, attributes as `<Element>_<Attribute>`.
 * - Values are text, as the XML renders them (`%%1936` message ids stay as written); a name seen twice
 *   holds a list. `RenderingInfo` and namespace declarations are ignored.
 */
export type WindowsFields = Map<string, FieldValue>;

/** Adds a value, turning a repeated name into a list in source order. */
export function addField(fields: WindowsFields, name: string, value: FieldValue): void {
  const existing = fields.get(name);
  if (existing === undefined) {
    fields.set(name, value);
  } else if (Array.isArray(existing)) {
    (existing as FieldValue[]).push(value);
  } else {
    fields.set(name, [existing, value]);
  }
}

/**
 * Adds an event data value under its name and, when the name holds spaces, under the name without them
 * too: the Sigma specification ("Field Usage", rule 2) names such fields with all spaces stripped, so
 * SigmaHQ's Defender rules read `ThreatName` where the event writes `Threat Name`.
 */
export function addDataField(fields: WindowsFields, name: string, value: FieldValue): void {
  addField(fields, name, value);
  if (!/\s/.test(name)) return;
  const stripped = name.replace(/\s+/g, '');
  if (stripped !== '') addField(fields, stripped, value);
}

const isNamespaceAttribute = (name: string): boolean => name === 'xmlns' || name.startsWith('xmlns:');

const listChildElements = (element: XmlElement): XmlElement[] =>
  element.children.filter((child): child is XmlElement => typeof child !== 'string');

/** True when the element has no element children (its content is text only). */
function isLeaf(element: XmlElement): boolean {
  for (const child of element.children) if (typeof child !== 'string') return false;
  return true;
}

/** The text of an element: its string children joined (markup children are not text). */
function readText(element: XmlElement): string {
  const { children } = element;
  if (children.length === 1 && typeof children[0] === 'string') return children[0];
  let text = '';
  for (const child of children) if (typeof child === 'string') text += child;
  return text;
}

function addAttributes(fields: WindowsFields, element: XmlElement): void {
  const { attributes } = element;
  for (const name in attributes) {
    if (Object.hasOwn(attributes, name) && !isNamespaceAttribute(name)) {
      addField(fields, `${element.name}_${name}`, attributes[name] as string);
    }
  }
}

function flattenSystem(fields: WindowsFields, system: XmlElement): void {
  for (const child of system.children) {
    if (typeof child === 'string') continue;
    const text = isLeaf(child) ? readText(child) : '';
    if (text !== '') addField(fields, child.name, text);
    addAttributes(fields, child);
  }
}

function flattenEventData(fields: WindowsFields, eventData: XmlElement): void {
  for (const child of eventData.children) {
    if (typeof child === 'string') continue;
    if (child.name === 'Data') {
      const name = child.attributes['Name'];
      addDataField(fields, name !== undefined && name !== '' ? name : 'Data', readText(child));
    } else {
      addField(fields, child.name, readText(child));
    }
  }
}

function flattenUserData(fields: WindowsFields, element: XmlElement, depth: number): void {
  // Windows never nests UserData deeply; the bound keeps hostile input from exhausting the stack.
  if (depth > 32) return;
  for (const child of listChildElements(element)) {
    addAttributes(fields, child);
    if (isLeaf(child)) addField(fields, child.name, readText(child));
    else flattenUserData(fields, child, depth + 1);
  }
}

/** Flattens an `<EventData>` or `<UserData>` element on its own (as log pipelines store it) into `fields`. */
export function flattenDataElement(fields: WindowsFields, element: XmlElement, depth = 0): void {
  if (element.name === 'EventData') flattenEventData(fields, element);
  else if (element.name === 'UserData') flattenUserData(fields, element, 0);
  else if (element.name === 'Event') flattenEventElement(element, fields);
  // Wrappers (Log Analytics' <DataItem>) hold the data a level or two down; deeper is not an event.
  else if (depth < 4) for (const child of listChildElements(element)) flattenDataElement(fields, child, depth + 1);
}

/** Flattens an `<Event>` element (from Event XML or EVTX) into fields (see {@link WindowsFields}). */
export function flattenEventElement(event: XmlElement, fields: WindowsFields = new Map()): WindowsFields {
  for (const part of event.children) {
    if (typeof part === 'string') continue;
    if (part.name === 'System') flattenSystem(fields, part);
    else if (part.name === 'EventData') flattenEventData(fields, part);
    else if (part.name === 'UserData') flattenUserData(fields, part, 0);
  }
  return fields;
}

/** Reads a whole decimal number from a field value (`4688`, `"4688"`), or undefined. */
export function readInteger(value: FieldValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value === 'string' && /^\s*\d{1,15}\s*$/.test(value)) return Number(value);
  return undefined;
}

/**
 * Sets what gates a record by log source (DESIGN): its channel, event id and event version, from the
 * values of its Channel, EventID and Version fields. Records call it from their constructor.
 */
export function setEventIdentity(
  record: { channel?: string; eventId?: number; version?: number },
  channel: FieldValue | undefined,
  eventId: FieldValue | undefined,
  version: FieldValue | undefined,
): void {
  if (typeof channel === 'string') record.channel = channel;
  const id = readInteger(eventId);
  if (id !== undefined) record.eventId = id;
  const eventVersion = readInteger(version);
  if (eventVersion !== undefined) record.version = eventVersion;
}

const takeFirst = (value: FieldValue | undefined): FieldValue | undefined => (Array.isArray(value) ? value[0] : value);

/** A Windows event as a neutral record: fields by their flattened names, plus channel, id and version. */
export class WindowsEventRecord implements EventRecord {
  readonly channel?: string;
  readonly eventId?: number;
  readonly version?: number;

  constructor(
    readonly file: string,
    readonly index: number,
    private readonly fields: WindowsFields,
  ) {
    // System comes first, so when EventData or UserData repeats a name the System value is the first.
    setEventIdentity(this, takeFirst(fields.get('Channel')), takeFirst(fields.get('EventID')), takeFirst(fields.get('Version')));
  }

  /** The value of a flattened field. */
  get(field: string): FieldValue | undefined {
    return this.fields.get(field);
  }

  /** The flattened field names in source order. */
  fieldNames(): readonly string[] {
    return [...this.fields.keys()];
  }
}

/** Builds the record of an `<Event>` element read from Event XML or EVTX. */
export function createEventElementRecord(event: XmlElement, file: string, index: number): WindowsEventRecord {
  return new WindowsEventRecord(file, index, flattenEventElement(event));
}
