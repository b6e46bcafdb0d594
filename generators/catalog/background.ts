import type { CatalogEntry } from './types.js';

const MICROSOFT = 'Microsoft Corporation';
const WINDOWS = 'Microsoft® Windows® Operating System';

/**
 * Ordinary Windows processes: the parents that start web servers and shells (service hosts, the shell of
 * an interactive session) and the background the rule must not fire on.
 */
export const BACKGROUND: readonly CatalogEntry[] = [
  {
    name: 'smss.exe',
    paths: ['C:\\Windows\\System32\\smss.exe'],
    roles: ['background', 'service-host'],
    runsAs: ['system'],
    // The session manager starts a copy of itself per session; that copy starts wininit and winlogon.
    launchedBy: ['smss.exe'],
    note: 'Its logged image path is \\SystemRoot\\System32\\smss.exe on real hosts.',
  },
  {
    name: 'wininit.exe',
    paths: ['C:\\Windows\\System32\\wininit.exe'],
    roles: ['background', 'service-host'],
    runsAs: ['system'],
    launchedBy: ['smss.exe'],
  },
  {
    name: 'winlogon.exe',
    paths: ['C:\\Windows\\System32\\winlogon.exe'],
    roles: ['background', 'service-host'],
    runsAs: ['system'],
    launchedBy: ['smss.exe'],
  },
  {
    name: 'services.exe',
    paths: ['C:\\Windows\\System32\\services.exe'],
    roles: ['background', 'service-host'],
    runsAs: ['system'],
    launchedBy: ['wininit.exe'],
    pe: {
      description: 'Services and Controller app',
      product: WINDOWS,
      company: MICROSOFT,
      originalFileName: 'services.exe',
    },
  },
  {
    name: 'svchost.exe',
    paths: ['C:\\Windows\\System32\\svchost.exe'],
    roles: ['background', 'service-host'],
    runsAs: ['system', 'local-service', 'network-service'],
    launchedBy: ['services.exe'],
    pe: {
      description: 'Host Process for Windows Services',
      product: WINDOWS,
      company: MICROSOFT,
      originalFileName: 'svchost.exe',
    },
    note: 'svchost.exe -k iissvcs hosts WAS and W3SVC, which start w3wp.exe.',
  },
  {
    name: 'userinit.exe',
    paths: ['C:\\Windows\\System32\\userinit.exe'],
    roles: ['background'],
    runsAs: ['user'],
    launchedBy: ['winlogon.exe'],
  },
  {
    name: 'explorer.exe',
    paths: ['C:\\Windows\\explorer.exe'],
    roles: ['background'],
    runsAs: ['user'],
    launchedBy: ['userinit.exe'],
    workingDirectories: ['C:\\Windows\\system32\\'],
    pe: { description: 'Windows Explorer', product: WINDOWS, company: MICROSOFT, originalFileName: 'EXPLORER.EXE' },
  },
  {
    name: 'rundll32.exe',
    paths: ['C:\\Windows\\System32\\rundll32.exe', 'C:\\Windows\\SysWOW64\\rundll32.exe'],
    roles: ['background'],
    runsAs: ['user', 'system'],
    launchedBy: ['explorer.exe', 'svchost.exe'],
    pe: {
      description: 'Windows host process (Rundll32)',
      product: WINDOWS,
      company: MICROSOFT,
      originalFileName: 'RUNDLL32.EXE',
    },
    note: "The seed write-up's sample 4688 event: rundll32.exe started by explorer.exe, which must not fire.",
  },
  {
    name: 'taskhostw.exe',
    paths: ['C:\\Windows\\System32\\taskhostw.exe'],
    roles: ['background'],
    runsAs: ['user', 'system'],
    launchedBy: ['svchost.exe'],
  },
  {
    name: 'notepad.exe',
    paths: ['C:\\Windows\\System32\\notepad.exe', 'C:\\Windows\\SysWOW64\\notepad.exe', 'C:\\Windows\\notepad.exe'],
    roles: ['background'],
    runsAs: ['user'],
    launchedBy: ['explorer.exe'],
    pe: { description: 'Notepad', product: WINDOWS, company: MICROSOFT, originalFileName: 'NOTEPAD.EXE' },
  },
  {
    name: 'mmc.exe',
    paths: ['C:\\Windows\\System32\\mmc.exe'],
    roles: ['background'],
    runsAs: ['user'],
    launchedBy: ['explorer.exe'],
    note: 'IIS Manager is InetMgr.exe, but most other admin consoles are mmc.exe snap-ins.',
  },
  {
    name: 'msiexec.exe',
    paths: ['C:\\Windows\\System32\\msiexec.exe', 'C:\\Windows\\SysWOW64\\msiexec.exe'],
    roles: ['background'],
    runsAs: ['system', 'user'],
    launchedBy: ['services.exe', 'explorer.exe'],
  },
  {
    name: 'xampp-control.exe',
    paths: ['C:\\xampp\\xampp-control.exe'],
    roles: ['background'],
    runsAs: ['user'],
    launchedBy: ['explorer.exe'],
    note: 'The XAMPP control panel starts httpd.exe and mysqld.exe for a logged-on user.',
  },
  {
    name: 'devenv.exe',
    paths: ['C:\\Program Files\\Microsoft Visual Studio\\2022\\Community\\Common7\\IDE\\devenv.exe'],
    roles: ['background'],
    runsAs: ['user'],
    launchedBy: ['explorer.exe'],
  },
  {
    name: 'umservice.exe',
    paths: ['C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\UMService.exe'],
    roles: ['background'],
    runsAs: ['system'],
    launchedBy: ['services.exe'],
  },
];
