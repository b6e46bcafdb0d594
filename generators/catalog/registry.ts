/**
 * Registry changes (registry scenarios, Sysmon events 12, 13 and 14): which key or value, what kind of
 * change, and for a value set the data written, so a scenario spec can say "Remote Desktop turned on"
 * without spelling keys. Keys are written as Sysmon writes them (HKLM\System\CurrentControlSet\...,
 * HKU\<SID>\...); the generators vary the case and the control set, as Windows resolves them alike.
 * An entry's `matches` tells its changes apart from every other entry's (the inverse of generation).
 */

/** The change Sysmon records: 12 for CreateKey, DeleteKey and DeleteValue, 13 for SetValue, 14 for RenameKey. */
export type RegistryEventType = 'CreateKey' | 'DeleteKey' | 'DeleteValue' | 'SetValue' | 'RenameKey';

/** One kind of registry change. */
export interface RegistryEntry {
  readonly name: string;
  readonly roles: readonly string[];
  readonly eventType: RegistryEventType;
  /** The key or value, as Sysmon's TargetObject writes it; `{user}` is a user's SID, `{name}` a program's name. */
  readonly targets: readonly string[];
  /** SetValue: the data written, as Sysmon's Details writes it (`DWORD (0x00000001)`, text as is). */
  readonly details?: readonly string[];
  /**
   * Tells this entry's changes from the others': the event type, the normalised target (lower case,
   * ControlSet001 read as CurrentControlSet, a user's SID as `{user}`) and the details.
   */
  readonly matches: (target: string, details: string | undefined) => boolean;
  readonly note?: string;
}

const TERMINAL_SERVER = 'HKLM\\System\\CurrentControlSet\\Control\\Terminal Server';
const WDIGEST = 'HKLM\\System\\CurrentControlSet\\Control\\SecurityProviders\\WDigest\\UseLogonCredential';
const SERVICE_DLL = 'HKLM\\System\\CurrentControlSet\\Services\\TermService\\Parameters\\ServiceDll';
const RUN_KEYS = ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run\\{name}', 'HKU\\{user}\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\{name}'];

const dword = (value: number): string => `DWORD (0x${value.toString(16).padStart(8, '0')})`;
const lower = (text: string): string => text.toLowerCase();
const endsWith = (suffix: string) => (target: string): boolean => target.endsWith(lower(suffix));

/** The registry changes, by kind. */
export const REGISTRY_CHANGES: readonly RegistryEntry[] = [
  {
    name: 'rdp-enable', roles: ['rdp-setting', 'rdp-enable'], eventType: 'SetValue',
    targets: [`${TERMINAL_SERVER}\\fDenyTSConnections`, 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services\\fDenyTSConnections'],
    details: [dword(0)],
    matches: (target, details) => (endsWith('\\terminal server\\fdenytsconnections')(target) || endsWith('\\terminal services\\fdenytsconnections')(target)) && details === dword(0),
    note: 'fDenyTSConnections = 0 lets Remote Desktop in, directly or by policy (ATT&CK T1021.001).',
  },
  {
    name: 'rdp-disable', roles: ['rdp-setting'], eventType: 'SetValue',
    targets: [`${TERMINAL_SERVER}\\fDenyTSConnections`, 'HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services\\fDenyTSConnections'],
    details: [dword(1)],
    matches: (target, details) => (endsWith('\\terminal server\\fdenytsconnections')(target) || endsWith('\\terminal services\\fdenytsconnections')(target)) && details !== dword(0),
  },
  {
    name: 'rdp-port-change', roles: ['rdp-setting'], eventType: 'SetValue',
    targets: [`${TERMINAL_SERVER}\\WinStations\\RDP-Tcp\\PortNumber`],
    details: [dword(0x50), dword(0x1bb), dword(0xd3e), dword(0xcf08)],
    matches: (target, details) => endsWith('\\winstations\\rdp-tcp\\portnumber')(target) && details !== dword(0xd3d),
    note: 'Moving RDP off 3389 (the capture moved it to 80).',
  },
  {
    name: 'rdp-port-default', roles: ['rdp-setting'], eventType: 'SetValue',
    targets: [`${TERMINAL_SERVER}\\WinStations\\RDP-Tcp\\PortNumber`],
    details: [dword(0xd3d)],
    matches: (target, details) => endsWith('\\winstations\\rdp-tcp\\portnumber')(target) && details === dword(0xd3d),
  },
  {
    name: 'rdp-concurrent-sessions', roles: ['rdp-setting'], eventType: 'SetValue',
    targets: [`${TERMINAL_SERVER}\\Licensing Core\\EnableConcurrentSessions`, `${TERMINAL_SERVER}\\fSingleSessionPerUser`],
    details: [dword(1), dword(0)],
    matches: (target) => endsWith('\\licensing core\\enableconcurrentsessions')(target) || endsWith('\\terminal server\\fsinglesessionperuser')(target),
  },
  {
    name: 'termservice-servicedll-custom', roles: ['service-dll'], eventType: 'SetValue',
    targets: [SERVICE_DLL],
    details: ['%ProgramFiles%\\RDP Wrapper\\rdpwrap.dll', 'C:\\Program Files\\RDP Wrapper\\rdpwrap.dll', 'C:\\Windows\\Temp\\tsvc.dll', 'C:\\ProgramData\\Microsoft\\termsrv32.dll'],
    matches: (target, details) => endsWith('\\services\\termservice\\parameters\\servicedll')(target) && !/\\system32\\termsrv\.dll$/i.test(details ?? ''),
    note: 'TermService pointed at another DLL: RDP Wrapper\'s way to allow concurrent sessions, and a way to run code as a service.',
  },
  {
    name: 'termservice-servicedll-default', roles: ['service-dll'], eventType: 'SetValue',
    targets: [SERVICE_DLL],
    details: ['%SystemRoot%\\System32\\termsrv.dll', 'C:\\Windows\\System32\\termsrv.dll'],
    matches: (target, details) => endsWith('\\services\\termservice\\parameters\\servicedll')(target) && /\\system32\\termsrv\.dll$/i.test(details ?? ''),
    note: 'Windows setup and updates write the stock value back.',
  },
  {
    name: 'wdigest-enable', roles: ['credential-exposure'], eventType: 'SetValue',
    targets: [WDIGEST], details: [dword(1)],
    matches: (target, details) => endsWith('\\securityproviders\\wdigest\\uselogoncredential')(target) && details === dword(1),
    note: 'WDigest keeps cleartext passwords in LSASS memory again (ATT&CK T1112, T1003.001).',
  },
  {
    name: 'wdigest-disable', roles: ['credential-hardening'], eventType: 'SetValue',
    targets: [WDIGEST], details: [dword(0)],
    matches: (target, details) => endsWith('\\securityproviders\\wdigest\\uselogoncredential')(target) && details !== dword(1),
    note: 'The hardening baselines (KB2871997) set it to 0.',
  },
  {
    name: 'wdigest-key-created', roles: ['credential-exposure'], eventType: 'CreateKey',
    targets: ['HKLM\\System\\CurrentControlSet\\Control\\SecurityProviders\\WDigest'],
    matches: endsWith('\\securityproviders\\wdigest'),
  },
  {
    name: 'run-key-value', roles: ['autorun'], eventType: 'SetValue',
    targets: RUN_KEYS,
    details: ['"C:\\Program Files\\Contoso\\agent.exe" /background', 'C:\\Users\\Public\\upd.exe', '%LOCALAPPDATA%\\Microsoft\\Teams\\Update.exe --processStart "Teams.exe"'],
    matches: (target) => target.includes('\\software\\microsoft\\windows\\currentversion\\run\\'),
  },
  {
    name: 'run-key-value-deleted', roles: ['autorun'], eventType: 'DeleteValue',
    targets: RUN_KEYS,
    matches: (target) => target.includes('\\software\\microsoft\\windows\\currentversion\\run\\'),
  },
  {
    name: 'explorer-setting', roles: ['user-setting'], eventType: 'SetValue',
    targets: ['HKU\\{user}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Advanced\\HideFileExt', 'HKU\\{user}\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\Advanced\\Hidden'],
    details: [dword(0), dword(1), dword(2)],
    matches: (target) => target.includes('\\currentversion\\explorer\\advanced\\'),
  },
  {
    name: 'service-start-type', roles: ['service-setting'], eventType: 'SetValue',
    targets: ['HKLM\\System\\CurrentControlSet\\Services\\{name}\\Start'],
    details: [dword(2), dword(3), dword(4)],
    matches: (target) => /\\services\\[^\\]+\\start$/.test(target),
  },
  {
    name: 'service-key-created', roles: ['service-setting'], eventType: 'CreateKey',
    targets: ['HKLM\\System\\CurrentControlSet\\Services\\{name}'],
    matches: (target) => /\\currentcontrolset\\services\\[^\\]+$/.test(target),
  },
  {
    name: 'software-key-renamed', roles: ['user-setting'], eventType: 'RenameKey',
    targets: ['HKU\\{user}\\Software\\Contoso\\{name}'],
    matches: (target) => target.includes('\\software\\contoso\\'),
  },
];
