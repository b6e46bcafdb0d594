import { escapeXmlAttribute } from '../../src/report/escape.js';
import type { ProcessCreation } from '../process-tree.js';
import {
  buildSecurity4688Record,
  buildSysmonRecord,
  formatDataValue,
  formatTimeCreated,
  type RenderOptions,
  type Security4688Options,
  type Security4688Version,
  type WindowsEventRecord,
} from './windows-event.js';

/** The event schema namespace every Windows event's XML rendering declares. */
export const EVENT_NAMESPACE = 'http://schemas.microsoft.com/win/2004/08/events/event';

/**
 * Renders an event record as Windows renders events to XML (Event Viewer's XML view, `wevtutil qe
 * /f:xml`): one `<Event>` element in the event namespace, System header then EventData, on one line.
 * Values are escaped as attribute values everywhere (markup, quotes, and tab, line feed and carriage
 * return as character references), so every value reads back exactly; characters XML 1.0 cannot carry
 * become U+FFFD, as in the project's reports.
 */
export function renderWindowsEventXml(record: WindowsEventRecord): string {
  const security =
    record.userId === undefined ? '<Security />' : `<Security UserID="${escapeXmlAttribute(record.userId)}" />`;
  const data = record.data
    .map((item) => {
      const value = formatDataValue(item);
      const name = escapeXmlAttribute(item.name);
      return value === '' ? `<Data Name="${name}" />` : `<Data Name="${name}">${escapeXmlAttribute(value)}</Data>`;
    })
    .join('');
  return (
    `<Event xmlns="${EVENT_NAMESPACE}"><System>` +
    `<Provider Name="${escapeXmlAttribute(record.providerName)}" Guid="{${record.providerGuid}}" />` +
    `<EventID>${record.eventId}</EventID><Version>${record.version}</Version><Level>${record.level}</Level>` +
    `<Task>${record.task}</Task><Opcode>${record.opcode}</Opcode><Keywords>${record.keywords}</Keywords>` +
    `<TimeCreated SystemTime="${formatTimeCreated(record, 7)}" />` +
    `<EventRecordID>${record.recordId}</EventRecordID><Correlation />` +
    `<Execution ProcessID="${record.executionProcessId}" ThreadID="${record.executionThreadId}" />` +
    `<Channel>${escapeXmlAttribute(record.channel)}</Channel><Computer>${escapeXmlAttribute(
      record.computer,
    )}</Computer>${security}` +
    `</System><EventData>${data}</EventData></Event>`
  );
}

/** Renders a process creation as Sysmon EventID 1 XML. */
export function renderSysmonXml(event: ProcessCreation, options: RenderOptions = {}): string {
  return renderWindowsEventXml(buildSysmonRecord(event, options));
}

/** Renders a process creation as Security 4688 XML of event version 0, 1 or 2 (default 2). */
export function renderSecurity4688Xml(
  event: ProcessCreation,
  version: Security4688Version = 2,
  options: Security4688Options = {},
): string {
  return renderWindowsEventXml(buildSecurity4688Record(event, version, options));
}
