import type { CatalogEntry, PeInfo, RoleTag } from './types.js';

const WINDOWS_DIRS = ['C:\\Windows\\System32', 'C:\\Windows\\SysWOW64'] as const;

function describeWindowsTool(description: string, originalFileName: string): PeInfo {
  return {
    description,
    product: 'Microsoft® Windows® Operating System',
    company: 'Microsoft Corporation',
    originalFileName,
  };
}

/**
 * Describes a Windows tool that ships in System32 (and, when `wow64`, in SysWOW64), spelled as the file
 * is named on disk: several old TCP/IP tools are upper case (PING.EXE, NETSTAT.EXE), which Sysmon keeps.
 */
function describeSystemTool(
  diskName: string,
  roles: readonly RoleTag[],
  pe: PeInfo,
  options: { readonly wow64?: boolean; readonly folder?: string; readonly note?: string } = {},
): CatalogEntry {
  const dirs = options.wow64 === false ? WINDOWS_DIRS.slice(0, 1) : WINDOWS_DIRS;
  const folder = options.folder === undefined ? '' : `\\${options.folder}`;
  return {
    name: diskName.toLowerCase(),
    paths: dirs.map((dir) => `${dir}${folder}\\${diskName}`),
    roles,
    runsAs: ['user'],
    launchedBy: ['cmd.exe'],
    pe,
    ...(options.note === undefined ? {} : { note: options.note }),
  };
}

/** Discovery, download and administration tools a web shell runs first (the seed's "initial profiling"). */
export const RECON_TOOLS: readonly CatalogEntry[] = [
  describeSystemTool(
    'whoami.exe',
    ['recon'],
    describeWindowsTool('whoami - displays logged on user information', 'whoami.exe'),
  ),
  describeSystemTool('net.exe', ['recon', 'admin'], describeWindowsTool('Net Command', 'net.exe'), {
    note: 'net.exe hands most sub-commands to net1.exe, which then appears as its child.',
  }),
  describeSystemTool('net1.exe', ['recon', 'admin'], describeWindowsTool('Net Command', 'net1.exe')),
  describeSystemTool('PING.EXE', ['recon'], describeWindowsTool('TCP/IP Ping Command', 'ping.exe')),
  describeSystemTool('ipconfig.exe', ['recon'], describeWindowsTool('IP Configuration Utility', 'ipconfig.exe')),
  describeSystemTool(
    'sc.exe',
    ['recon', 'admin'],
    describeWindowsTool('Service Control Manager Configuration Tool', 'sc.exe'),
  ),
  describeSystemTool('systeminfo.exe', ['recon'], describeWindowsTool('Displays system information', 'sysinfo.exe')),
  describeSystemTool('tasklist.exe', ['recon'], describeWindowsTool('Lists the current running tasks', 'tasklist.exe')),
  describeSystemTool('NETSTAT.EXE', ['recon'], describeWindowsTool('TCP/IP Netstat Command', 'netstat.exe')),
  describeSystemTool(
    'nltest.exe',
    ['recon'],
    describeWindowsTool('Microsoft® Logon Server Test Utility', 'nltestrk.exe'),
    {
      wow64: false,
    },
  ),
  describeSystemTool('certutil.exe', ['download'], describeWindowsTool('CertUtil.exe', 'CertUtil.exe'), {
    note: 'A certificate tool abused to download (-urlcache) and decode (-decode) payloads.',
  }),
  describeSystemTool(
    'bitsadmin.exe',
    ['download'],
    describeWindowsTool('BITS administration utility', 'bitsadmin.exe'),
  ),
  describeSystemTool('HOSTNAME.EXE', ['recon'], describeWindowsTool('Hostname APP', 'hostname.exe')),
  describeSystemTool('nslookup.exe', ['recon'], describeWindowsTool('nslookup', 'nslookup.exe')),
  describeSystemTool('quser.exe', ['recon'], describeWindowsTool('Query User Utility', 'quser.exe')),
  describeSystemTool('ARP.EXE', ['recon'], describeWindowsTool('TCP/IP Arp Command', 'arp.exe')),
  describeSystemTool('ROUTE.EXE', ['recon'], describeWindowsTool('TCP/IP Route Command', 'route.exe')),
  describeSystemTool('reg.exe', ['recon', 'admin'], describeWindowsTool('Registry Console Tool', 'reg.exe')),
  describeSystemTool('WMIC.exe', ['recon', 'admin'], describeWindowsTool('WMI Commandline Utility', 'wmic.exe'), {
    folder: 'wbem',
  }),
  describeSystemTool(
    'schtasks.exe',
    ['admin'],
    describeWindowsTool('Task Scheduler Configuration Tool', 'schtasks.exe'),
  ),
  describeSystemTool('curl.exe', ['download'], describeWindowsTool('The curl executable', 'curl.exe'), {
    note: 'Shipped in System32 since Windows 10 1803.',
  }),
];
