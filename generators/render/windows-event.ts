import type { ProcessCreation } from '../process-tree.js';
import { MANDATORY_LABELS, NULL_PRINCIPAL, describeSecurityPrincipal, type SecurityPrincipal } from '../users.js';
import { formatIsoSeconds, millisecondsOf } from '../iso-time.js';

/**
 * A Windows event record as the event log holds it (System header, typed EventData), built from a
 * process-creation event; the XML and evtx JSON renderers both write from this one model, so the two
 * formats cannot drift apart.
 */

/** How a Data value is typed in the provider's manifest, which decides how renderers print it. */
export type DataType =
  /** win:UnicodeString */
  | 'string'
  /** win:UInt32, printed in decimal */
  | 'uint32'
  /** win:HexInt64 or win:Pointer, printed 0x... in lower case */
  | 'hex'
  /** win:GUID, held as Sysmon writes it in XML: {lower-case} */
  | 'guid'
  /** win:SID, printed S-1-... */
  | 'sid';

/** One `<Data Name="...">` of EventData; a hex value is a number or already formatted as 0x... */
export interface EventDataItem {
  readonly name: string;
  readonly type: DataType;
  readonly value: string | number;
}

/** The System header and EventData of one event record. */
export interface WindowsEventRecord {
  readonly providerName: string;
  /** The provider GUID, upper case without braces. */
  readonly providerGuid: string;
  readonly eventId: number;
  readonly version: number;
  readonly level: number;
  readonly task: number;
  readonly opcode: number;
  readonly keywords: string;
  /** TimeCreated: milliseconds since the Unix epoch, and the 100-nanosecond ticks within that millisecond. */
  readonly timeCreatedMs: number;
  readonly timeCreatedTicks: number;
  readonly recordId: number;
  readonly executionProcessId: number;
  readonly executionThreadId: number;
  readonly channel: string;
  readonly computer: string;
  /** System/Security UserID; absent when the element is empty (Security log events). */
  readonly userId?: string;
  readonly data: readonly EventDataItem[];
}

/** Options shared by all renderers. */
export interface RenderOptions {
  /** EventRecordID; default derived from the process id. */
  readonly recordId?: number;
}

/** Microsoft-Windows-Sysmon's provider GUID. */
export const SYSMON_PROVIDER_GUID = '5770385F-C22A-43E0-BF4C-06F5698FFBD9';
/** Microsoft-Windows-Security-Auditing's provider GUID. */
export const SECURITY_AUDITING_PROVIDER_GUID = '54849625-5478-4994-A5BA-3E3B0328C30D';

// The sub-millisecond part of TimeCreated (the log counts 100 ns ticks), derived from the pid so that
// renderings are deterministic.
function computeSubMillisecondTicks(event: ProcessCreation): number {
  return (event.ProcessId * 7919) % 10_000;
}

function describeRecordId(event: ProcessCreation, options: RenderOptions): number {
  return options.recordId ?? 1000 + event.ProcessId / 4;
}

/**
 * The Sysmon EventID 1 record of a process creation: Microsoft-Windows-Sysmon/Operational, event
 * version 5, EventData in Sysmon's order (RuleName ... ParentCommandLine, then ParentUser, which
 * Sysmon 13.30 added).
 */
export function buildSysmonRecord(event: ProcessCreation, options: RenderOptions = {}): WindowsEventRecord {
  return {
    providerName: 'Microsoft-Windows-Sysmon',
    providerGuid: SYSMON_PROVIDER_GUID,
    eventId: 1,
    version: 5,
    level: 4,
    task: 1,
    opcode: 0,
    keywords: '0x8000000000000000',
    // Sysmon logs the event a little after the process started (UtcTime).
    timeCreatedMs: event.context.timeMs + 15,
    timeCreatedTicks: computeSubMillisecondTicks(event),
    recordId: describeRecordId(event, options),
    executionProcessId: 2644,
    executionThreadId: 3788,
    channel: 'Microsoft-Windows-Sysmon/Operational',
    computer: event.Computer,
    // Sysmon's service runs as SYSTEM.
    userId: 'S-1-5-18',
    data: [
      { name: 'RuleName', type: 'string', value: '-' },
      { name: 'UtcTime', type: 'string', value: event.UtcTime },
      { name: 'ProcessGuid', type: 'guid', value: event.ProcessGuid },
      { name: 'ProcessId', type: 'uint32', value: event.ProcessId },
      { name: 'Image', type: 'string', value: event.Image },
      { name: 'FileVersion', type: 'string', value: event.FileVersion },
      { name: 'Description', type: 'string', value: event.Description },
      { name: 'Product', type: 'string', value: event.Product },
      { name: 'Company', type: 'string', value: event.Company },
      { name: 'OriginalFileName', type: 'string', value: event.OriginalFileName },
      { name: 'CommandLine', type: 'string', value: event.CommandLine },
      { name: 'CurrentDirectory', type: 'string', value: event.CurrentDirectory },
      { name: 'User', type: 'string', value: event.User },
      { name: 'LogonGuid', type: 'guid', value: event.LogonGuid },
      { name: 'LogonId', type: 'hex', value: event.context.account.logonId },
      { name: 'TerminalSessionId', type: 'uint32', value: event.TerminalSessionId },
      { name: 'IntegrityLevel', type: 'string', value: event.IntegrityLevel },
      { name: 'Hashes', type: 'string', value: event.Hashes },
      { name: 'ParentProcessGuid', type: 'guid', value: event.ParentProcessGuid },
      { name: 'ParentProcessId', type: 'uint32', value: event.ParentProcessId },
      { name: 'ParentImage', type: 'string', value: event.ParentImage },
      { name: 'ParentCommandLine', type: 'string', value: event.ParentCommandLine },
      { name: 'ParentUser', type: 'string', value: event.ParentUser },
    ],
  };
}

/** Security 4688 event versions: 0 (Vista/2008), 1 (8.1/2012 R2, adds CommandLine), 2 (10/2016, adds the rest). */
export type Security4688Version = 0 | 1 | 2;

/** Options for 4688 renderings. */
export interface Security4688Options extends RenderOptions {
  /**
   * Whether "Include command line in process creation events" is on (versions 1 and 2); when off
   * Windows still writes the CommandLine field, empty.
   */
  readonly includeCommandLine?: boolean;
}

function describePrincipalItems(prefix: 'Subject' | 'Target', principal: SecurityPrincipal): EventDataItem[] {
  return [
    { name: `${prefix}UserSid`, type: 'sid', value: principal.sid },
    { name: `${prefix}UserName`, type: 'string', value: principal.userName },
    { name: `${prefix}DomainName`, type: 'string', value: principal.domainName },
    { name: `${prefix}LogonId`, type: 'hex', value: principal.logonId },
  ];
}

/**
 * The Security 4688 record ("A new process has been created") of a process creation, in event version
 * 0, 1 or 2. Per Microsoft's event documentation, version 1 added CommandLine and version 2 added the
 * Target subject, ParentProcessName and MandatoryLabel. The Subject is the creator (the parent's
 * account); the Target is the new process's account when it differs, the null SID otherwise.
 */
export function buildSecurity4688Record(
  event: ProcessCreation,
  version: Security4688Version,
  options: Security4688Options = {},
): WindowsEventRecord {
  const { account, parentAccount, computer } = event.context;
  const sameAccount = account.sid === parentAccount.sid && account.logonId === parentAccount.logonId;
  const data: EventDataItem[] = [
    ...describePrincipalItems('Subject', describeSecurityPrincipal(parentAccount, computer)),
    { name: 'NewProcessId', type: 'hex', value: event.ProcessId },
    { name: 'NewProcessName', type: 'string', value: event.Image },
    { name: 'TokenElevationType', type: 'string', value: account.tokenElevationType },
    { name: 'ProcessId', type: 'hex', value: event.ParentProcessId },
  ];
  if (version >= 1) {
    data.push({
      name: 'CommandLine',
      type: 'string',
      value: options.includeCommandLine === false ? '' : event.CommandLine,
    });
  }
  if (version >= 2) {
    data.push(
      ...describePrincipalItems('Target', sameAccount ? NULL_PRINCIPAL : describeSecurityPrincipal(account, computer)),
      { name: 'ParentProcessName', type: 'string', value: event.ParentImage },
      { name: 'MandatoryLabel', type: 'sid', value: MANDATORY_LABELS[account.integrityLevel] },
    );
  }
  return {
    providerName: 'Microsoft-Windows-Security-Auditing',
    providerGuid: SECURITY_AUDITING_PROVIDER_GUID,
    eventId: 4688,
    version,
    level: 0,
    task: 13312,
    opcode: 0,
    keywords: '0x8020000000000000',
    timeCreatedMs: event.context.timeMs,
    timeCreatedTicks: computeSubMillisecondTicks(event),
    recordId: describeRecordId(event, options),
    // The Security log is written by the System process (pid 4).
    executionProcessId: 4,
    executionThreadId: 100 + ((event.ProcessId / 4) % 8000),
    channel: 'Security',
    computer: event.Computer,
    data,
  };
}

/** Prints a Data value as the event log's renderings do; hex values may come preformatted. */
export function formatDataValue(item: EventDataItem): string {
  if (item.type === 'hex' && typeof item.value === 'number') return `0x${item.value.toString(16)}`;
  return String(item.value);
}

/** TimeCreated with the given number of fractional digits: 7 in Windows' XML, 6 in evtx_dump's JSON. */
export function formatTimeCreated(record: WindowsEventRecord, fractionDigits: 6 | 7): string {
  const ms = record.timeCreatedMs;
  const fraction = String(millisecondsOf(ms) * 10_000 + record.timeCreatedTicks).padStart(7, '0');
  return `${formatIsoSeconds(ms)}.${fraction.slice(0, fractionDigits)}Z`;
}
