import fc from 'fast-check';
import { LOGONS, type LogonAddress, type LogonEntry } from './catalog/logons.js';
import { addressOf, classifyAddress } from './network-connection.js';
import { computer, formatComputerName, type Computer } from './users.js';
import { describeComputer, describeGuid, readNumber, readText, readTime, type TaxonomyFields } from './taxonomy.js';
import { SECURITY_AUDITING_PROVIDER_GUID, type EventDataItem, type WindowsEventRecord } from './render/windows-event.js';

/**
 * Logons as the Security log records them: 4624 (successful) in event version 2 (Windows 10 and
 * Server 2016 on) and version 0 (Server 2008, Windows 7: no impersonation level, restricted admin
 * mode, outbound names, virtual account, linked logon or elevation), and 4625 (failed) in version 0,
 * which every Windows version still writes. The subject is who asked for the logon (the computer
 * account for winlogon, nobody for network logons); the target is who logged on.
 */

/** One logon, successful or failed. */
export interface Logon {
  readonly eventId: 4624 | 4625;
  readonly logonType: number;
  readonly logonProcess: string;
  readonly authenticationPackage: string;
  readonly processName: string;
  readonly processId: number;
  readonly ipAddress: string;
  readonly ipPort: string;
  readonly workstationName: string;
  readonly targetUserName: string;
  readonly targetDomainName: string;
  readonly targetUserSid: string;
  readonly targetLogonId: number;
  readonly host: Computer;
  readonly timeMs: number;
  readonly status?: string;
  readonly subStatus?: string;
  readonly elevated: boolean;
}

const PEOPLE = ['Administrator', 'alice', 'admin01', 'svc_deploy', 'jdoe'];

/** The client address of a logon of an address class; '-' for none. IPv4 mostly, as Windows writes it. */
function logonAddressOf(address: LogonAddress): fc.Arbitrary<string> {
  if (address === 'none') return fc.constant('-');
  if (address === 'loopback') return fc.constantFrom('127.0.0.1', '::1');
  return addressOf(address).chain((ip) => (ip.includes(':') ? fc.constant(ip) : fc.constantFrom(ip, `::ffff:${ip}`)));
}

/** Generated logons of one entry: people on generated hosts, from an address of the entry's class. */
export function logonOf(entry: LogonEntry): fc.Arbitrary<Logon> {
  return fc
    .record({
      host: computer,
      person: fc.constantFrom(...PEOPLE),
      ip: logonAddressOf(entry.address),
      port: fc.integer({ min: 49152, max: 65535 }),
      package: fc.constantFrom(...entry.authenticationPackages),
      logonId: fc.integer({ min: 0x10000, max: 0x7fffffff }),
      processId: fc.integer({ min: 100, max: 9000 }).map((value) => value * 4),
      timeMs: fc.integer({ min: Date.UTC(2019, 0, 1), max: Date.UTC(2030, 0, 1) }),
      elevated: fc.boolean(),
      workstation: fc.constantFrom('PC01', 'LAPTOP-7Q2', 'JUMP01', '-'),
    })
    .map(({ host, person, ip, port, package: authenticationPackage, logonId, processId, timeMs, elevated, workstation }): Logon => {
      const domain = host.domain?.netbios ?? host.hostName;
      const interactive = entry.processName !== '-';
      return {
        eventId: entry.eventId,
        logonType: entry.logonType,
        logonProcess: entry.logonProcess,
        authenticationPackage,
        processName: entry.processName,
        processId: interactive ? processId : 0,
        ipAddress: ip,
        // Windows records a port for remote clients only.
        ipPort: ip === '-' ? '-' : entry.address === 'loopback' && entry.logonType !== 10 ? '0' : String(port),
        workstationName: entry.logonType === 10 || entry.address === 'loopback' ? host.hostName : workstation,
        targetUserName: person,
        targetDomainName: domain,
        targetUserSid: entry.eventId === 4625 ? 'S-1-0-0' : `${host.domain?.sid ?? host.machineSid}-${1100 + PEOPLE.indexOf(person)}`,
        targetLogonId: logonId,
        host,
        timeMs,
        ...(entry.status === undefined ? {} : { status: entry.status }),
        ...(entry.subStatus === undefined ? {} : { subStatus: entry.subStatus }),
        elevated,
      };
    });
}

/** Which record shapes a logon is written in: 4624 version 2 or 0, 4625 version 0. */
export type LogonVersion = 0 | 2;

function describeSubject(logon: Logon): EventDataItem[] {
  // Logons winlogon and the service control manager ask for name the computer account as subject.
  const bySystem = logon.processName !== '-';
  return [
    { name: 'SubjectUserSid', type: 'sid', value: bySystem ? 'S-1-5-18' : 'S-1-0-0' },
    { name: 'SubjectUserName', type: 'string', value: bySystem ? `${logon.host.hostName}$` : '-' },
    { name: 'SubjectDomainName', type: 'string', value: bySystem ? logon.host.domain?.netbios ?? 'WORKGROUP' : '-' },
    { name: 'SubjectLogonId', type: 'hex', value: bySystem ? 0x3e7 : 0 },
  ];
}

/** The 4624 (version 2 or 0) or 4625 (version 0) record of a logon. */
export function buildLogonRecord(logon: Logon, version: LogonVersion): WindowsEventRecord {
  const failed = logon.eventId === 4625;
  const common: EventDataItem[] = [
    { name: 'LogonType', type: 'uint32', value: logon.logonType },
    { name: 'LogonProcessName', type: 'string', value: logon.logonProcess },
    { name: 'AuthenticationPackageName', type: 'string', value: logon.authenticationPackage },
    { name: 'WorkstationName', type: 'string', value: logon.workstationName },
  ];
  const tail: EventDataItem[] = [
    { name: 'TransmittedServices', type: 'string', value: '-' },
    { name: 'LmPackageName', type: 'string', value: logon.authenticationPackage === 'NTLM' ? 'NTLM V2' : '-' },
    { name: 'KeyLength', type: 'uint32', value: logon.authenticationPackage === 'NTLM' ? 128 : 0 },
    { name: 'ProcessId', type: 'hex', value: logon.processId },
    { name: 'ProcessName', type: 'string', value: logon.processName },
    { name: 'IpAddress', type: 'string', value: logon.ipAddress },
    { name: 'IpPort', type: 'string', value: logon.ipPort },
  ];
  const target: EventDataItem[] = [
    { name: 'TargetUserSid', type: 'sid', value: logon.targetUserSid },
    { name: 'TargetUserName', type: 'string', value: logon.targetUserName },
    { name: 'TargetDomainName', type: 'string', value: logon.targetDomainName },
  ];
  const data: EventDataItem[] = failed
    ? [
        ...describeSubject(logon),
        ...target,
        { name: 'Status', type: 'string', value: logon.status ?? '0xc000006d' },
        { name: 'FailureReason', type: 'string', value: '%%2313' },
        { name: 'SubStatus', type: 'string', value: logon.subStatus ?? '0xc000006a' },
        ...common,
        ...tail,
      ]
    : [
        ...describeSubject(logon),
        ...target,
        { name: 'TargetLogonId', type: 'hex', value: logon.targetLogonId },
        ...common,
        { name: 'LogonGuid', type: 'guid', value: logon.authenticationPackage === 'Kerberos' ? describeGuid(`logon ${logon.targetLogonId}`) : '{00000000-0000-0000-0000-000000000000}' },
        ...tail,
        ...(version === 2
          ? [
              { name: 'ImpersonationLevel', type: 'string' as const, value: '%%1833' },
              { name: 'RestrictedAdminMode', type: 'string' as const, value: logon.logonType === 10 ? '%%1843' : '-' },
              { name: 'TargetOutboundUserName', type: 'string' as const, value: '-' },
              { name: 'TargetOutboundDomainName', type: 'string' as const, value: '-' },
              { name: 'VirtualAccount', type: 'string' as const, value: '%%1843' },
              { name: 'TargetLinkedLogonId', type: 'hex' as const, value: 0 },
              { name: 'ElevatedToken', type: 'string' as const, value: logon.elevated ? '%%1842' : '%%1843' },
            ]
          : []),
      ];
  return {
    providerName: 'Microsoft-Windows-Security-Auditing',
    providerGuid: SECURITY_AUDITING_PROVIDER_GUID,
    eventId: logon.eventId,
    version: failed ? 0 : version,
    level: 0,
    task: 12544,
    opcode: 0,
    keywords: failed ? '0x8010000000000000' : '0x8020000000000000',
    timeCreatedMs: logon.timeMs,
    timeCreatedTicks: logon.targetLogonId % 10_000,
    recordId: 40_000 + (logon.targetLogonId % 100_000),
    executionProcessId: 756,
    executionThreadId: 800 + (logon.targetLogonId % 4000),
    channel: 'Security',
    computer: formatComputerName(logon.host),
    data,
  };
}

/** A logon from Sigma taxonomy fields: EventID (default 4624) and LogonType are required. */
export function describeTaxonomyLogon(fields: TaxonomyFields, index: number): Logon {
  const logonType = readNumber(fields, 'LogonType');
  if (logonType === undefined) throw new Error('a logon needs a LogonType');
  const eventId = readNumber(fields, 'EventID') === 4625 ? 4625 : 4624;
  const host = describeComputer(readText(fields, 'Computer'));
  const ipAddress = readText(fields, 'IpAddress') ?? '-';
  const text = (name: string, fallback: string): string => readText(fields, name) ?? fallback;
  const status = readText(fields, 'Status');
  const subStatus = readText(fields, 'SubStatus');
  return {
    eventId,
    logonType,
    logonProcess: text('LogonProcessName', logonType === 3 ? 'NtLmSsp ' : 'User32 '),
    authenticationPackage: text('AuthenticationPackageName', logonType === 3 ? 'NTLM' : 'Negotiate'),
    processName: text('ProcessName', logonType === 3 ? '-' : 'C:\\Windows\\System32\\winlogon.exe'),
    processId: readNumber(fields, 'ProcessId') ?? (logonType === 3 ? 0 : 0x2a0),
    ipAddress,
    ipPort: text('IpPort', ipAddress === '-' ? '-' : String(50_000 + index)),
    workstationName: text('WorkstationName', host.hostName),
    targetUserName: text('TargetUserName', 'alice'),
    targetDomainName: text('TargetDomainName', host.domain?.netbios ?? host.hostName),
    targetUserSid: text('TargetUserSid', eventId === 4625 ? 'S-1-0-0' : `${host.machineSid}-1104`),
    targetLogonId: readNumber(fields, 'TargetLogonId') ?? 0x5a3f1 + index,
    host,
    timeMs: readTime(fields, 'TimeCreated'),
    ...(status === undefined ? {} : { status }),
    ...(subStatus === undefined ? {} : { subStatus }),
    elevated: text('ElevatedToken', '%%1843') === '%%1842',
  };
}

/** The catalogue entry of a logon (the inverse of `logonOf`): by event id, logon type, address class and package. */
export function identifyLogon(logon: Pick<Logon, 'eventId' | 'logonType' | 'ipAddress' | 'authenticationPackage'>): LogonEntry | undefined {
  const ip = logon.ipAddress.trim();
  const address: LogonAddress = ip === '-' || ip === '' ? 'none' : classifyAddress(ip);
  return LOGONS.find(
    (entry) =>
      entry.eventId === logon.eventId &&
      entry.logonType === logon.logonType &&
      entry.address === address &&
      entry.authenticationPackages.some((name) => name.toLowerCase() === logon.authenticationPackage.trim().toLowerCase()),
  );
}
