import type { Position } from '../diagnostics/diagnostic.js';
import { countNewlines, createEventError, describeError, findJsonErrorOffset, type EventItem, type RecordFormat } from './event-item.js';
import type { EventRecord, FieldValue } from '../compile/event-record.js';
import { FlatRecord } from './flat-record.js';
import { parseXmlText } from './parse-xml-text.js';
import { addDataField, flattenDataElement, flattenEventElement, readInteger, WindowsEventRecord, type WindowsFields } from './windows-event.js';
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
    else addDataField(fields, key, convertToFieldValue(value));
  }
}

/** Event data as a JSON object (`event_data`, a Log Analytics row's `EventData`): names with their values. */
function addEventData(fields: WindowsFields, data: JsonObject): void {
  for (const [key, value] of Object.entries(data)) {
    if (isJsonObject(value)) addUserData(fields, value, 1);
    else addDataField(fields, key, convertToFieldValue(value));
  }
}

/** Sets System fields read from paths of a document (a value that is absent, null or empty is left out). */
function addSystemFields(fields: WindowsFields, object: JsonObject, paths: readonly (readonly [string, readonly string[]])[]): void {
  for (const [field, path] of paths) {
    const value = readPath(object, path);
    if (value !== undefined && value !== null && value !== '' && !isJsonObject(value)) fields.set(field, renderScalar(value));
  }
}

/**
 * Winlogbeat's Security module (7+) also writes ECS fields for 4688; when `event_data` lacks a process
 * field, the ECS one gives it back under the event's own name.
 */
const SECURITY_4688_ECS_FIELDS: readonly (readonly [string, readonly string[]])[] = [
  ['NewProcessName', ['process', 'executable']],
  ['CommandLine', ['process', 'command_line']],
  ['ParentProcessName', ['process', 'parent', 'executable']],
];

/** Flattens a Winlogbeat / ECS document that has `winlog` into the Event XML field names. */
function flattenEcs(object: JsonObject): WindowsFields {
  const fields: WindowsFields = new Map();
  addSystemFields(fields, object, WINLOG_SYSTEM_FIELDS);
  const eventData = readPath(object, ['winlog', 'event_data']);
  if (isJsonObject(eventData)) addEventData(fields, eventData);
  const userData = readPath(object, ['winlog', 'user_data']);
  if (isJsonObject(userData)) addUserData(fields, userData, 0);
  const channel = fields.get('Channel');
  const channelName = typeof channel === 'string' ? channel.toLowerCase() : '';
  if (channelName === SYSMON_CHANNEL) addSysmonEcsFields(fields, object);
  if (channelName === 'security' && readInteger(fields.get('EventID')) === 4688) {
    for (const [field, path] of SECURITY_4688_ECS_FIELDS) {
      const value = readPath(object, path);
      if (!fields.has(field) && value !== undefined && value !== null) fields.set(field, convertToFieldValue(value));
    }
  }
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

/**
 * Winlogbeat 6.x (and earlier) writes the System values at the top level under its own names
 * (`log_name`, `event_id`, `source_name`, `computer_name`, `record_number`, ...) and the event data in
 * `event_data` / `user_data`, as Elastic's Winlogbeat 6 field reference lists them.
 */
const WINLOGBEAT_LEGACY_SYSTEM_FIELDS: readonly (readonly [string, readonly string[]])[] = [
  ['Provider_Name', ['source_name']],
  ['Provider_Guid', ['provider_guid']],
  ['EventID', ['event_id']],
  ['Version', ['version']],
  ['TimeCreated_SystemTime', ['@timestamp']],
  ['EventRecordID', ['record_number']],
  ['Correlation_ActivityID', ['activity_id']],
  ['Correlation_RelatedActivityID', ['related_activity_id']],
  ['Execution_ProcessID', ['process_id']],
  ['Execution_ThreadID', ['thread_id']],
  ['Channel', ['log_name']],
  ['Computer', ['computer_name']],
  ['Security_UserID', ['user', 'identifier']],
];

function flattenWinlogbeatLegacy(object: JsonObject): WindowsFields {
  const fields: WindowsFields = new Map();
  addSystemFields(fields, object, WINLOGBEAT_LEGACY_SYSTEM_FIELDS);
  const eventData = object['event_data'];
  if (isJsonObject(eventData)) addEventData(fields, eventData);
  const userData = object['user_data'];
  if (isJsonObject(userData)) addUserData(fields, userData, 0);
  return fields;
}

/** The Azure Monitor Log Analytics tables (also Microsoft Sentinel's) that hold Windows event log records. */
const LOG_ANALYTICS_TABLES = new Set(['windowsevent', 'event', 'securityevent']);

/**
 * Column names of a row, by the name written without case and without the unit an export appends
 * (`TimeGenerated [UTC]`), so `channel`, `Channel` and `EventID`/`EventId` are found alike.
 */
function indexColumns(object: JsonObject): Map<string, string> {
  const columns = new Map<string, string>();
  for (const key of Object.keys(object)) {
    const name = key.replace(/\s*\[[^\]]*\]\s*$/, '').toLowerCase();
    if (!columns.has(name)) columns.set(name, key);
  }
  return columns;
}

/**
 * Log Analytics columns that carry the System values of the event (Microsoft's table references for
 * WindowsEvent, Event and SecurityEvent), by the Event XML name they stand for; the first present wins.
 */
const LOG_ANALYTICS_SYSTEM_COLUMNS: readonly (readonly [string, readonly string[]])[] = [
  ['Provider_Name', ['provider', 'source', 'eventsourcename']],
  ['EventID', ['eventid']],
  ['Version', ['version']],
  ['Level', ['eventlevel']],
  ['Task', ['task']],
  ['Opcode', ['opcode']],
  ['Keywords', ['keywords']],
  ['TimeCreated_SystemTime', ['timegenerated']],
  ['EventRecordID', ['eventrecordid']],
  ['Execution_ProcessID', ['systemprocessid']],
  ['Execution_ThreadID', ['systemthreadid']],
  ['Channel', ['channel', 'eventlog']],
  ['Computer', ['computer']],
  ['Security_UserID', ['systemuserid']],
];

/** True for a row of a Log Analytics / Sentinel table of Windows events. */
function isLogAnalyticsRow(object: JsonObject): boolean {
  const columns = indexColumns(object);
  const type = columns.get('type');
  if (type !== undefined && typeof object[type] === 'string' && LOG_ANALYTICS_TABLES.has((object[type] as string).toLowerCase())) return true;
  const hasId = columns.has('eventid');
  const hasChannel = columns.has('channel') || columns.has('eventlog');
  const hasLogAnalyticsColumn = ['eventdata', 'raweventdata', 'parameterxml', 'timegenerated', 'tenantid'].some((name) => columns.has(name));
  return hasId && hasChannel && hasLogAnalyticsColumn;
}

/** Reads data a row holds as text: a JSON object (an export of a dynamic column) or XML (`<EventData>`, `<DataItem>`, `<Event>`). */
function addDataText(fields: WindowsFields, text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (isJsonObject(parsed)) {
        addEventData(fields, parsed);
        return true;
      }
    } catch {
      return false;
    }
    return false;
  }
  if (!trimmed.startsWith('<')) return false;
  const root = parseXmlText(trimmed);
  if ('problem' in root) return false;
  if (root.name === 'Event') {
    // A whole event (RawEventData): its System values are the row's columns already.
    for (const child of root.children) if (typeof child !== 'string' && child.name !== 'System') flattenDataElement(fields, child);
  } else {
    flattenDataElement(fields, root);
  }
  return true;
}

function flattenLogAnalyticsRow(object: JsonObject): WindowsFields {
  const fields: WindowsFields = new Map();
  const columns = indexColumns(object);
  const used = new Set<string>();
  for (const [field, names] of LOG_ANALYTICS_SYSTEM_COLUMNS) {
    for (const name of names) {
      const key = columns.get(name);
      const value = key === undefined ? undefined : object[key];
      if (key === undefined || value === undefined || value === null || value === '' || isJsonObject(value)) continue;
      fields.set(field, renderScalar(value));
      used.add(key);
      break;
    }
  }
  // The event data: EventData (a dynamic object, or text when exported), else the raw event XML a
  // failed parse left in RawEventData.
  for (const name of ['eventdata', 'raweventdata']) {
    const key = columns.get(name);
    if (key === undefined) continue;
    const value = object[key];
    if (isJsonObject(value)) {
      addEventData(fields, value);
      used.add(key);
      break;
    }
    if (typeof value === 'string' && value.trim() !== '' && addDataText(fields, value)) {
      used.add(key);
      break;
    }
  }
  // Every other column under its own name (SecurityEvent flattens the event data into columns), unless
  // the event data named it already; the empty columns of a wide table are not the event's.
  for (const [key, value] of Object.entries(object)) {
    if (used.has(key) || value === null || value === undefined || value === '' || fields.has(key)) continue;
    if (isJsonObject(value)) addUserData(fields, value, 1);
    else addDataField(fields, key, convertToFieldValue(value));
  }
  return fields;
}

/** Tells the JSON shapes apart: evtx_dump, Winlogbeat 7+ (ECS), Winlogbeat 6, Log Analytics rows, flat objects. */
export function classifyJsonEvent(object: JsonObject): Exclude<RecordFormat, 'evtx' | 'event-xml'> {
  const event = object['Event'];
  if (isJsonObject(event) && isJsonObject(event['System'])) return 'evtx-dump-json';
  const winlog = object['winlog'];
  if (isJsonObject(winlog) && (winlog['event_id'] !== undefined || winlog['channel'] !== undefined)) return 'winlogbeat-ecs';
  if (typeof object['log_name'] === 'string' && object['event_id'] !== undefined) return 'winlogbeat-legacy';
  if (isLogAnalyticsRow(object)) return 'log-analytics';
  return 'flat-json';
}

/** Builds the record of one parsed JSON value, or explains why it is not an event. */
export function createJsonEventRecord(value: unknown, file: string, index: number): EventRecord | { readonly problem: string } {
  const item = createJsonEventItem(value, file, index);
  return 'problem' in item ? item : item.record;
}

/** Builds the event item of one parsed JSON value (record, shape and top-level keys), or explains why it is not an event. */
export function createJsonEventItem(value: unknown, file: string, index: number): Extract<EventItem, { kind: 'event' }> | { readonly problem: string } {
  if (!isJsonObject(value)) {
    return { problem: `an event must be a JSON object, not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}` };
  }
  const format = classifyJsonEvent(value);
  // Only records no log source recognises need their keys: they are listed when asked for.
  const keys = (): readonly string[] => Object.keys(value);
  switch (format) {
    case 'evtx-dump-json': {
      const [element] = convertJsonToElements('Event', value['Event'], 0);
      return { kind: 'event', record: new WindowsEventRecord(file, index, element ? flattenEventElement(element) : new Map()), format, keys };
    }
    case 'winlogbeat-ecs':
      return { kind: 'event', record: new WindowsEventRecord(file, index, flattenEcs(value)), format, keys };
    case 'winlogbeat-legacy':
      return { kind: 'event', record: new WindowsEventRecord(file, index, flattenWinlogbeatLegacy(value)), format, keys };
    case 'log-analytics':
      return { kind: 'event', record: new WindowsEventRecord(file, index, flattenLogAnalyticsRow(value)), format, keys };
    case 'flat-json':
      return { kind: 'event', record: new FlatRecord(file, index, value), format, keys };
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
  const item = createJsonEventItem(value, file, index);
  return 'problem' in item ? createEventError(file, at, 'events/not-an-object', item.problem, index) : item;
}
