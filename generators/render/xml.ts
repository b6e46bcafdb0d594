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

// XML 1.0 (section 2.2) allows tab, line feed, carriage return and the characters from U+0020 up,
// except surrogate halves and U+FFFE/U+FFFF; nothing else can appear, not even as a character reference.
const FORBIDDEN_XML_CHARACTERS =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // Parsers normalise raw CR, and tab and newline inside attributes (XML 1.0 sections 2.11 and 3.3.3);
  // character references keep them exactly.
  '\t': '&#x9;',
  '\n': '&#xA;',
  '\r': '&#xD;',
};

/**
 * Escapes text for XML element content or a double-quoted attribute: & < > " ' and the whitespace that
 * parsers would normalise. Throws a RangeError for characters XML 1.0 cannot carry at all (a caller
 * rendering generated events has produced an impossible value).
 */
export function escapeXml(text: string): string {
  if (FORBIDDEN_XML_CHARACTERS.test(text)) {
    throw new RangeError(`text holds a character XML 1.0 cannot represent: ${JSON.stringify(text)}`);
  }
  return text.replace(/[&<>"'\t\n\r]/g, (char) => ESCAPES[char] ?? char);
}

/**
 * Renders an event record as Windows renders events to XML (Event Viewer's XML view, `wevtutil qe
 * /f:xml`): one `<Event>` element in the event namespace, System header then EventData, on one line.
 */
export function renderWindowsEventXml(record: WindowsEventRecord): string {
  const security = record.userId === undefined ? '<Security />' : `<Security UserID="${escapeXml(record.userId)}" />`;
  const data = record.data
    .map((item) => {
      const value = formatDataValue(item);
      const name = escapeXml(item.name);
      return value === '' ? `<Data Name="${name}" />` : `<Data Name="${name}">${escapeXml(value)}</Data>`;
    })
    .join('');
  return (
    `<Event xmlns="${EVENT_NAMESPACE}"><System>` +
    `<Provider Name="${escapeXml(record.providerName)}" Guid="{${record.providerGuid}}" />` +
    `<EventID>${record.eventId}</EventID><Version>${record.version}</Version><Level>${record.level}</Level>` +
    `<Task>${record.task}</Task><Opcode>${record.opcode}</Opcode><Keywords>${record.keywords}</Keywords>` +
    `<TimeCreated SystemTime="${formatTimeCreated(record, 7)}" />` +
    `<EventRecordID>${record.recordId}</EventRecordID><Correlation />` +
    `<Execution ProcessID="${record.executionProcessId}" ThreadID="${record.executionThreadId}" />` +
    `<Channel>${escapeXml(record.channel)}</Channel><Computer>${escapeXml(record.computer)}</Computer>${security}` +
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
