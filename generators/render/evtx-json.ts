import type { ProcessCreation } from '../process-tree.js';
import { EVENT_NAMESPACE } from './xml.js';
import {
  buildSecurity4688Record,
  buildSysmonRecord,
  formatDataValue,
  formatTimeCreated,
  type EventDataItem,
  type RenderOptions,
  type Security4688Options,
  type Security4688Version,
  type WindowsEventRecord,
} from './windows-event.js';

// evtx_dump (the Rust evtx crate) prints typed values by type: unsigned integers as JSON numbers, GUIDs
// upper case without braces, hex integers and pointers as "0x..." strings, strings and SIDs as strings.
function convertDataValue(item: EventDataItem): string | number {
  if (item.type === 'uint32') return Number(item.value);
  if (item.type === 'guid') return String(item.value).replace(/[{}]/g, '').toUpperCase();
  return formatDataValue(item);
}

/**
 * The evtx_dump JSON object of an event record: `{"Event":{"#attributes":{"xmlns":...},"System":{...},
 * "EventData":{...}}}`, attributes under "#attributes", empty elements as null.
 */
export function convertEvtxJson(record: WindowsEventRecord): Record<string, unknown> {
  return {
    Event: {
      '#attributes': { xmlns: EVENT_NAMESPACE },
      System: {
        Provider: { '#attributes': { Name: record.providerName, Guid: record.providerGuid } },
        EventID: record.eventId,
        Version: record.version,
        Level: record.level,
        Task: record.task,
        Opcode: record.opcode,
        Keywords: record.keywords,
        TimeCreated: { '#attributes': { SystemTime: formatTimeCreated(record, 6) } },
        EventRecordID: record.recordId,
        Correlation: null,
        Execution: { '#attributes': { ProcessID: record.executionProcessId, ThreadID: record.executionThreadId } },
        Channel: record.channel,
        Computer: record.computer,
        Security: record.userId === undefined ? null : { '#attributes': { UserID: record.userId } },
      },
      EventData: Object.fromEntries(record.data.map((item) => [item.name, convertDataValue(item)])),
    },
  };
}

/** Renders a process creation's Sysmon EventID 1 record as evtx_dump JSON (one line). */
export function renderSysmonEvtxJson(event: ProcessCreation, options: RenderOptions = {}): string {
  return JSON.stringify(convertEvtxJson(buildSysmonRecord(event, options)));
}

/** Renders a process creation's Security 4688 record (default version 2) as evtx_dump JSON (one line). */
export function renderSecurity4688EvtxJson(
  event: ProcessCreation,
  version: Security4688Version = 2,
  options: Security4688Options = {},
): string {
  return JSON.stringify(convertEvtxJson(buildSecurity4688Record(event, version, options)));
}
