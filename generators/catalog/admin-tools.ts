import type { CatalogEntry } from './types.js';

const MICROSOFT = 'Microsoft Corporation';
const WINDOWS = 'Microsoft® Windows® Operating System';

/**
 * Programs the companion rules of the pack talk about: IIS's command-line administration, web content
 * deployment, Remote Desktop's client and settings, SSH port forwarding, and the tools that change the
 * registry. None of them plays a role in the web-shell rule's spaces (their tags are their own), so
 * adding one never changes what that rule's spec expects.
 */
export const ADMIN_TOOLS: readonly CatalogEntry[] = [
  {
    name: 'appcmd.exe',
    paths: ['C:\\Windows\\System32\\inetsrv\\appcmd.exe', 'C:\\Windows\\SysWOW64\\inetsrv\\appcmd.exe'],
    roles: ['iis-admin'],
    runsAs: ['user', 'system'],
    launchedBy: ['cmd.exe', 'powershell.exe', 'msiexec.exe'],
    pe: { description: 'Application Server Command Line Admin Tool', product: 'Internet Information Services', company: MICROSOFT, originalFileName: 'appcmd.exe' },
    note: 'IIS 7 and later: "appcmd install module /name: /image:" registers a native module server-wide (ATT&CK T1505.004).',
  },
  {
    name: 'robocopy.exe',
    paths: ['C:\\Windows\\System32\\Robocopy.exe'],
    roles: ['deployment'],
    runsAs: ['user', 'system'],
    launchedBy: ['cmd.exe'],
    pe: { description: 'Microsoft® Robocopy', product: WINDOWS, company: MICROSOFT, originalFileName: 'robocopy.exe' },
  },
  {
    name: 'msdeploy.exe',
    paths: ['C:\\Program Files\\IIS\\Microsoft Web Deploy V3\\msdeploy.exe'],
    roles: ['deployment'],
    runsAs: ['user', 'system'],
    launchedBy: ['cmd.exe'],
    pe: { description: 'Microsoft Web Deployment Command Line Tool', product: 'Microsoft Web Deploy', company: MICROSOFT, originalFileName: 'msdeploy.exe', signer: 'Microsoft Corporation' },
  },
  {
    name: 'mstsc.exe',
    paths: ['C:\\Windows\\System32\\mstsc.exe'],
    roles: ['remote-desktop'],
    runsAs: ['user'],
    launchedBy: ['explorer.exe'],
    pe: { description: 'Remote Desktop Connection', product: WINDOWS, company: MICROSOFT, originalFileName: 'mstsc.exe' },
  },
  {
    name: 'systempropertiesremote.exe',
    paths: ['C:\\Windows\\System32\\SystemPropertiesRemote.exe'],
    roles: ['remote-desktop'],
    runsAs: ['user'],
    launchedBy: ['explorer.exe'],
    pe: { description: 'Change Remote Settings', product: WINDOWS, company: MICROSOFT, originalFileName: 'SystemPropertiesRemote.exe' },
    note: 'The Remote tab of System Properties: turning Remote Desktop on writes fDenyTSConnections = 0.',
  },
  {
    name: 'plink.exe',
    paths: ['C:\\Program Files\\PuTTY\\plink.exe', 'C:\\Users\\Public\\plink.exe', 'C:\\ProgramData\\plink.exe'],
    roles: ['tunnel'],
    runsAs: ['user'],
    launchedBy: ['cmd.exe'],
    pe: { description: 'Command-line SSH, Telnet, and Rlogin client', product: 'PuTTY suite', company: 'Simon Tatham', originalFileName: 'Plink', signer: 'Simon Tatham' },
    note: 'PuTTY\'s command-line client; -R/-L forward ports, the usual way RDP is tunnelled through SSH.',
  },
  {
    name: 'regedit.exe',
    paths: ['C:\\Windows\\regedit.exe'],
    roles: ['registry-editor'],
    runsAs: ['user'],
    launchedBy: ['explorer.exe'],
    pe: { description: 'Registry Editor', product: WINDOWS, company: MICROSOFT, originalFileName: 'REGEDIT.EXE' },
  },
  {
    name: 'wmiprvse.exe',
    paths: ['C:\\Windows\\System32\\wbem\\WmiPrvSE.exe', 'C:\\Windows\\SysWOW64\\wbem\\WmiPrvSE.exe'],
    roles: ['registry-editor'],
    runsAs: ['system', 'network-service', 'local-service'],
    launchedBy: ['svchost.exe'],
    pe: { description: 'WMI Provider Host', product: WINDOWS, company: MICROSOFT, originalFileName: 'Wmiprvse.exe' },
    note: 'Server Manager and remote management change settings through WMI providers running here.',
  },
  {
    name: 'rdpwinst.exe',
    paths: ['C:\\Users\\Public\\Downloads\\RDPWrap-v1.6.2\\RDPWInst.exe', 'C:\\Program Files\\RDP Wrapper\\RDPWInst.exe', 'C:\\ProgramData\\RDPWInst.exe'],
    roles: ['remote-access-tool'],
    runsAs: ['user', 'system'],
    launchedBy: ['cmd.exe', 'explorer.exe'],
    pe: { description: 'RDP Wrapper Library Installer', product: 'RDP Wrapper Library', company: 'Stas\'M Corp.', originalFileName: 'RDPWInst.exe' },
    note: 'RDP Wrapper\'s installer: points TermService at rdpwrap.dll and enables concurrent sessions.',
  },
];
