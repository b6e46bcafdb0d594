import type { Position } from '../diagnostics/diagnostic.js';
import { countNewlines, createEventError, describeError, findJsonErrorOffset, type EventItem } from './event-item.js';
import type { EventRecord, FieldValue } from '../compile/event-record.js';
import { FlatRecord } from './flat-record.js';
import { addField, flattenEventElement, WindowsEventRecord, type WindowsFields } from './windows-event.js';
import type { XmlElement } from './xml-element.js';

type JsonObject = { readonly [key: string]: unknown };

const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** evtx_dump nests no deeper than Event/UserData/x/y; deeper input is hostile and its excess is ignored. */
const MAX_DEPTH = 32;
const SYSMON_CHANNEL = 'microsoft-windows-sysmon/operational';

/** JSON scalars as Event XML would render them: numbers and booleans as text, null as an empty element. */
function renderScalar(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function createAttributes(): Record<string, string> {
  return Object.create(null) as Record<string, string>;
}

/**
 * Rebuilds the element tree evtx_dump serialised: `#attributes` are attributes, `#text` is text (a list
 * of texts is the same element repeated, as evtx_dump writes unnamed `<Data>`), other keys are child
 * elements (a list is a repeated element), so evtx_dump JSON flattens exactly like Event XML.
 */
function convertJsonToElements(name: string, value: unknown, depth: number): XmlElement[] {
  if (depth > MAX_DEPTH) return [];
  if (Array.isArray(value)) return value.flatMap((item) => convertJsonToElements(name, item, depth + 1));
  if (!isJsonObject(value)) {
    const text = renderScalar(value);
    return [{ name, attributes: createAttributes(), children: text === '' ? [] : [text] }];
  }
  const attributes = createAttributes();
  const children: (XmlElement | string)[] = [];
  let texts: readonly unknown[] | undefined;
  for (const [key, child] of Object.entries(value)) {
    if (key === '#attributes') {
      if (isJsonObject(child)) for (const [attribute, text] of Object.entries(child)) attributes[attribute] = renderScalar(text);
    } else if (key === '#text') {
      texts = Array.isArray(child) ? child : [child];
    } else {
      children.push(...convertJsonToElements(key, child, depth + 1));
    }
  }
  if (texts === undefined) return [{ name, attributes, children }];
  if (texts.length === 1 || children.length > 0) {
    return [{ name, attributes, children: [texts.map(renderScalar).join(''), ...children] }];
  }
  return texts.map((text) => ({ name, attributes, children: [renderScalar(text)] }));
}

/** Reads a path of keys through nested objects. */
function readPath(object: JsonObject, path: readonly string[]): unknown {
  let current: unknown = object;
  for (const key of path) {
    if (!isJsonObject(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

/**
 * Winlogbeat (ECS) keeps System values under `winlog.*`; these are the ones that carry the same value
 * as the Event XML (Winlogbeat renders Level, Task, Opcode and Keywords as display names, which are not
 * the numbers the XML holds, so those are not mapped back). Order follows the XML's System element.
 */
const WINLOG_SYSTEM_FIELDS: readonly (readonly [string, readonly string[]])[] = [
  ['Provider_Name', ['winlog', 'provider_name']],
  ['Provider_Guid', ['winlog', 'provider_guid']],
  ['EventID', ['winlog', 'event_id']],
  ['Version', ['winlog', 'version']],
  ['TimeCreated_SystemTime', ['@timestamp']],
  ['EventRecordID', ['winlog', 'record_id']],
  ['Correlation_ActivityID', ['winlog', 'activity_id']],
  ['Correlation_RelatedActivityID', ['winlog', 'related_activity_id']],
  ['Execution_ProcessID', ['winlog', 'process', 'pid']],
  ['Execution_ThreadID', ['winlog', 'process', 'thread', 'id']],
  ['Channel', ['winlog', 'channel']],
  ['Computer', ['winlog', 'computer_name']],
  ['Security_UserID', ['winlog', 'user', 'identifier']],
];

/**
 * Winlogbeat's Sysmon module moves some `event_data` fields into ECS fields (`Image` becomes
 * `process.executable`, ...). For Sysmon events these ECS fields give back the Sysmon (= Sigma) name
 * when `event_data` no longer has it. `eventIds` limits an entry to the Sysmon events whose field it is.
 */
const SYSMON_ECS_FIELDS: readonly { readonly field: string; readonly path: readonly string[]; readonly eventIds?: readonly number[] }[] = [
  { field: 'Image', path: ['process', 'executable'] },
  { field: 'CommandLine', path: ['process', 'command_line'] },
  { field: 'CurrentDirectory', path: ['process', 'working_directory'] },
  // The module moves the version resource's name out of event_data too; rules read it to see through renames.
  { field: 'OriginalFileName', path: ['process', 'pe', 'original_file_name'], eventIds: [1] },
  { field: 'ProcessId', path: ['process', 'pid'] },
  { field: 'ProcessGuid', path: ['process', 'entity_id'] },
  { field: 'ParentImage', path: ['process', 'parent', 'executable'] },
  { field: 'ParentCommandLine', path: ['process', 'parent', 'command_line'] },
  { field: 'ParentProcessId', path: ['process', 'parent', 'pid'] },
  { field: 'ParentProcessGuid', path: ['process', 'parent', 'entity_id'] },
  { field: 'SourceIp', path: ['source', 'ip'], eventIds: [3] },
  { field: 'SourcePort', path: ['source', 'port'], eventIds: [3] },
  { field: 'SourceHostname', path: ['source', 'domain'], eventIds: [3] },
  { field: 'DestinationIp', path: ['destination', 'ip'], eventIds: [3] },
  { field: 'DestinationPort', path: ['destination', 'port'], eventIds: [3] },
  { field: 'DestinationHostname', path: ['destination', 'domain'], eventIds: [3] },
  { field: 'Protocol', path: ['network', 'transport'], eventIds: [3] },
  { field: 'ImageLoaded', path: ['file', 'path'], eventIds: [6, 7] },
  { field: 'TargetFilename', path: ['file', 'path'], eventIds: [2, 11, 15, 23, 26, 27, 28, 29] },
  { field: 'QueryName', path: ['dns', 'question', 'name'], eventIds: [22] },
];

function convertToFieldValue(value: unknown): FieldValue {
  if (Array.isArray(value)) return value.map(convertToFieldValue);
  return renderScalar(value);
}

function addUserData(fields: WindowsFields, object: JsonObject, depth: number): void {
  if (depth > MAX_DEPTH) return;
  for (const [key, value] of Object.entries(object)) {
    // `xml_name` is Winlogbeat's note of the UserData element's name, not a field of the event.
    if (depth === 0 && key === 'xml_name') continue;
    if (isJsonObject(value)) addUserData(fields, value, depth + 1);
    else addField(fields, key, convertToFieldValue(value));
  }
}

/** Flattens a Winlogbeat / ECS document that has `winlog` into the Event XML field names. */
function flattenEcs(object: JsonObject): WindowsFields {
  const fields: WindowsFields = new Map();
  for (const [field, path] of WINLOG_SYSTEM_FIELDS) {
    const value = readPath(object, path);
    if (value !== undefined && value !== null && value !== '') fields.set(field, renderScalar(value));
  }
  const eventData = readPath(object, ['winlog', 'event_data']);
  if (isJsonObject(eventData)) for (const [key, value] of Object.entries(eventData)) addField(fields, key, convertToFieldValue(value));
  const userData = readPath(object, ['winlog', 'user_data']);
  if (isJsonObject(userData)) addUserData(fields, userData, 0);
  const channel = fields.get('Channel');
  if (typeof channel === 'string' && channel.toLowerCase() === SYSMON_CHANNEL) addSysmonEcsFields(fields, object);
  return fields;
}

function addSysmonEcsFields(fields: WindowsFields, object: JsonObject): void {
  const eventId = Number(fields.get('EventID'));
  for (const { field, path, eventIds } of SYSMON_ECS_FIELDS) {
    if (fields.has(field) || (eventIds && !eventIds.includes(eventId))) continue;
    const value = readPath(object, path);
    if (value !== undefined && value !== null) fields.set(field, convertToFieldValue(value));
  }
  if (!fields.has('User')) {
    // Sysmon writes the account as DOMAIN\user; ECS splits it into user.domain and user.name.
    const name = readPath(object, ['user', 'name']);
    const domain = readPath(object, ['user', 'domain']);
    if (typeof name === 'string') fields.set('User', typeof domain === 'string' && domain !== '' ? `${domain}\\${name}` : name);
  }
}

/** The kinds of JSON event documents told apart by shape. */
export type JsonEventKind = 'evtx-dump' | 'ecs' | 'flat';

/** Tells evtx_dump output (`{"Event":{"System":...}}`), Winlogbeat/ECS (`winlog`) and flat objects apart. */
export function classifyJsonEvent(object: JsonObject): JsonEventKind {
  const event = object['Event'];
  if (isJsonObject(event) && isJsonObject(event['System'])) return 'evtx-dump';
  const winlog = object['winlog'];
  if (isJsonObject(winlog) && (winlog['event_id'] !== undefined || winlog['channel'] !== undefined)) return 'ecs';
  return 'flat';
}

/** Builds the record of one parsed JSON value, or explains why it is not an event. */
export function createJsonEventRecord(value: unknown, file: string, index: number): EventRecord | { readonly problem: string } {
  if (!isJsonObject(value)) {
    return { problem: `an event must be a JSON object, not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}` };
  }
  switch (classifyJsonEvent(value)) {
    case 'evtx-dump': {
      const [element] = convertJsonToElements('Event', value['Event'], 0);
      return new WindowsEventRecord(file, index, element ? flattenEventElement(element) : new Map());
    }
    case 'ecs':
      return new WindowsEventRecord(file, index, flattenEcs(value));
    case 'flat':
      return new FlatRecord(file, index, value);
  }
}

/**
 * Parses the text of one JSON record (an NDJSON line, a value of a JSON stream) into an event item.
 * `at` is where the text starts; a JSON syntax error is placed where JSON.parse says it is, counting
 * the line breaks a pretty-printed value holds.
 */
export function readJsonEventText(text: string, file: string, index: number, at: Position): EventItem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const offset = findJsonErrorOffset(error);
    let position = at;
    if (offset !== undefined) {
      const lines = countNewlines(text, 0, offset);
      const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
      position = lines === 0
        ? { line: at.line, column: at.column + offset }
        : { line: at.line + lines, column: offset - lineStart + 1 };
    }
    return createEventError(file, position, 'events/malformed-json', `not valid JSON: ${describeError(error)}`, index);
  }
  const record = createJsonEventRecord(value, file, index);
  return 'problem' in record ? createEventError(file, at, 'events/not-an-object', record.problem, index) : { kind: 'event', record };
}
