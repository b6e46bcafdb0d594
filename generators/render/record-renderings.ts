import { convertEvtxJson } from './evtx-json.js';
import { formatDataValue, formatTimeCreated, type WindowsEventRecord } from './windows-event.js';
import { renderWindowsEventXml } from './xml.js';

/**
 * The shapes any Windows event record is stored in, beyond the process-creation renderers: Event XML as
 * Windows renders it, evtx_dump's JSON, Winlogbeat's JSON without a module's ingest processing (every
 * EventData value under `winlog.event_data`, as Winlogbeat ships events it has no module for), and a
 * flat object of Sigma taxonomy fields with the event's Channel and EventID. One record model feeds all
 * four, so they cannot drift apart.
 */

/** The shapes of `renderRecord`: XML, evtx_dump JSON, Winlogbeat JSON, flat JSON. */
export type RecordShape = 'xml' | 'evtx-json' | 'winlogbeat-json' | 'flat-json';

/** A record's flat form: its EventData values by name, with Channel and EventID so log sources gate it. */
export function convertRecordFlat(record: WindowsEventRecord): Record<string, string | number> {
  const flat: Record<string, string | number> = { Channel: record.channel, EventID: record.eventId };
  for (const item of record.data) {
    const value = formatDataValue(item);
    flat[item.name] = item.type === 'uint32' && typeof item.value === 'number' ? item.value : value;
  }
  return flat;
}

/**
 * The document Winlogbeat ships for an event it has no module for: the System header under `winlog`
 * (channel, event_id and record_id as text, provider, computer, process, user), every EventData value
 * as text under `winlog.event_data`, and ECS's `@timestamp`, `event` and `host`.
 */
export function convertWinlogbeatJson(record: WindowsEventRecord): Record<string, unknown> {
  return {
    '@timestamp': formatTimeCreated(record, 6).replace(/(\.\d{3})\d*Z$/, '$1Z'),
    event: { code: String(record.eventId), kind: 'event', provider: record.providerName, created: formatTimeCreated(record, 6) },
    host: { name: record.computer.toLowerCase() },
    winlog: {
      api: 'wineventlog',
      channel: record.channel,
      event_id: String(record.eventId),
      provider_name: record.providerName,
      provider_guid: `{${record.providerGuid.toLowerCase()}}`,
      computer_name: record.computer,
      record_id: String(record.recordId),
      version: record.version,
      process: { pid: record.executionProcessId, thread: { id: record.executionThreadId } },
      ...(record.userId === undefined ? {} : { user: { identifier: record.userId } }),
      event_data: Object.fromEntries(record.data.map((item) => [item.name, formatDataValue(item)])),
    },
    ecs: { version: '8.0.0' },
  };
}

/** Renders a record in one shape (one line for the JSON shapes). */
export function renderRecord(record: WindowsEventRecord, shape: RecordShape): string {
  switch (shape) {
    case 'xml':
      return renderWindowsEventXml(record);
    case 'evtx-json':
      return JSON.stringify(convertEvtxJson(record));
    case 'winlogbeat-json':
      return JSON.stringify(convertWinlogbeatJson(record));
    case 'flat-json':
      return JSON.stringify(convertRecordFlat(record));
  }
}
