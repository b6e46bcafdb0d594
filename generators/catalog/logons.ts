/**
 * Logons the Security log records (logon scenarios, events 4624 and 4625): kinds of logon by outcome,
 * logon type, where the client was and how it authenticated, so a scenario spec can say "a Remote
 * Desktop logon from the loopback address". Values are as Windows writes them, trailing blanks of
 * LogonProcessName included ("User32 ", "NtLmSsp "). Entries never share an (event id, logon type,
 * address class, authentication package): an event's fields tell its entry.
 */

/** Where the client of a logon was: this host's loopback, a private or a public address, or none ('-'). */
export type LogonAddress = 'loopback' | 'private' | 'public' | 'none';

/** One kind of logon. */
export interface LogonEntry {
  readonly name: string;
  readonly roles: readonly string[];
  /** 4624: an account successfully logged on; 4625: an account failed to log on. */
  readonly eventId: 4624 | 4625;
  readonly logonType: number;
  readonly address: LogonAddress;
  readonly logonProcess: string;
  readonly authenticationPackages: readonly string[];
  /** The process that asked for the logon ('-' for network logons). */
  readonly processName: string;
  /** 4625: NTSTATUS of the failure and its sub-status. */
  readonly status?: string;
  readonly subStatus?: string;
  readonly note?: string;
}

const WINLOGON = 'C:\\Windows\\System32\\winlogon.exe';

/** The logon kinds. */
export const LOGONS: readonly LogonEntry[] = [
  {
    name: 'rdp-loopback', roles: ['rdp', 'loopback', 'remote-interactive'], eventId: 4624, logonType: 10, address: 'loopback',
    logonProcess: 'User32 ', authenticationPackages: ['Negotiate'], processName: WINLOGON,
    note: 'Remote Desktop from the host itself: the client reached TermService through a port forward ending on the host (an SSH tunnel, ATT&CK T1572).',
  },
  { name: 'rdp-private', roles: ['rdp', 'remote-interactive'], eventId: 4624, logonType: 10, address: 'private', logonProcess: 'User32 ', authenticationPackages: ['Negotiate'], processName: WINLOGON },
  { name: 'rdp-public', roles: ['rdp', 'remote-interactive'], eventId: 4624, logonType: 10, address: 'public', logonProcess: 'User32 ', authenticationPackages: ['Negotiate'], processName: WINLOGON },
  {
    name: 'console-interactive', roles: ['interactive', 'loopback'], eventId: 4624, logonType: 2, address: 'loopback', logonProcess: 'User32 ', authenticationPackages: ['Negotiate'], processName: WINLOGON,
    note: 'A logon at the console records 127.0.0.1 as its address.',
  },
  { name: 'unlock', roles: ['interactive', 'loopback'], eventId: 4624, logonType: 7, address: 'loopback', logonProcess: 'User32 ', authenticationPackages: ['Negotiate'], processName: WINLOGON },
  { name: 'cached-interactive', roles: ['interactive', 'loopback'], eventId: 4624, logonType: 11, address: 'loopback', logonProcess: 'User32 ', authenticationPackages: ['Negotiate'], processName: WINLOGON },
  {
    name: 'new-credentials', roles: ['runas', 'loopback'], eventId: 4624, logonType: 9, address: 'loopback', logonProcess: 'seclogo', authenticationPackages: ['Negotiate'], processName: 'C:\\Windows\\System32\\svchost.exe',
    note: 'runas /netonly and CreateProcessWithLogonW: the seclogon service logs on with new credentials from ::1.',
  },
  { name: 'network-ntlm', roles: ['network'], eventId: 4624, logonType: 3, address: 'private', logonProcess: 'NtLmSsp ', authenticationPackages: ['NTLM'], processName: '-' },
  { name: 'network-kerberos', roles: ['network'], eventId: 4624, logonType: 3, address: 'private', logonProcess: 'Kerberos', authenticationPackages: ['Kerberos'], processName: '-' },
  { name: 'network-no-address', roles: ['network'], eventId: 4624, logonType: 3, address: 'none', logonProcess: 'NtLmSsp ', authenticationPackages: ['NTLM'], processName: '-' },
  { name: 'service', roles: ['service'], eventId: 4624, logonType: 5, address: 'none', logonProcess: 'Advapi  ', authenticationPackages: ['Negotiate'], processName: 'C:\\Windows\\System32\\services.exe' },
  { name: 'batch', roles: ['batch'], eventId: 4624, logonType: 4, address: 'none', logonProcess: 'Advapi  ', authenticationPackages: ['Negotiate'], processName: 'C:\\Windows\\System32\\svchost.exe' },
  {
    name: 'failed-rdp-loopback', roles: ['failed', 'rdp', 'loopback'], eventId: 4625, logonType: 10, address: 'loopback', logonProcess: 'User32 ', authenticationPackages: ['Negotiate'], processName: WINLOGON,
    status: '0xc000006d', subStatus: '0xc000006a',
    note: 'A wrong password typed through the same tunnel.',
  },
  {
    name: 'failed-network', roles: ['failed', 'network'], eventId: 4625, logonType: 3, address: 'public', logonProcess: 'NtLmSsp ', authenticationPackages: ['NTLM'], processName: '-',
    status: '0xc000006d', subStatus: '0xc0000064',
  },
];
