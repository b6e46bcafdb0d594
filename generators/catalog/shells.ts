import type { CatalogEntry } from './types.js';

const MICROSOFT = 'Microsoft Corporation';
const WINDOWS = 'Microsoft® Windows® Operating System';

/** Command shells and script hosts: what a web shell runs its commands through. */
export const SHELLS: readonly CatalogEntry[] = [
  {
    name: 'cmd.exe',
    paths: ['C:\\Windows\\System32\\cmd.exe', 'C:\\Windows\\SysWOW64\\cmd.exe'],
    roles: ['shell'],
    runsAs: ['user'],
    launchedBy: ['explorer.exe'],
    pe: { description: 'Windows Command Processor', product: WINDOWS, company: MICROSOFT, originalFileName: 'Cmd.Exe' },
    note: 'SysWOW64 is the 32-bit copy a 32-bit parent (a 32-bit w3wp.exe or php-cgi.exe) starts.',
  },
  {
    name: 'powershell.exe',
    paths: [
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      'C:\\Windows\\SysWOW64\\WindowsPowerShell\\v1.0\\powershell.exe',
    ],
    roles: ['shell'],
    runsAs: ['user'],
    launchedBy: ['explorer.exe'],
    pe: {
      description: 'Windows PowerShell',
      product: WINDOWS,
      company: MICROSOFT,
      originalFileName: 'PowerShell.EXE',
    },
  },
  {
    name: 'pwsh.exe',
    paths: ['C:\\Program Files\\PowerShell\\7\\pwsh.exe', 'C:\\Program Files\\PowerShell\\7-preview\\pwsh.exe'],
    roles: ['shell'],
    runsAs: ['user'],
    launchedBy: ['explorer.exe'],
    pe: { description: 'pwsh', product: 'PowerShell', company: MICROSOFT, originalFileName: 'pwsh.dll' },
    note: 'PowerShell 7; the seed rule does not list it.',
  },
  {
    name: 'sh.exe',
    paths: [
      'C:\\Program Files\\Git\\usr\\bin\\sh.exe',
      'C:\\Program Files\\Git\\bin\\sh.exe',
      'C:\\cygwin64\\bin\\sh.exe',
      'C:\\msys64\\usr\\bin\\sh.exe',
    ],
    roles: ['shell'],
    runsAs: ['user'],
    launchedBy: ['explorer.exe'],
    note: "Git for Windows, Cygwin and MSYS2 ship a POSIX shell; bin\\sh.exe is Git's launcher for usr\\bin.",
  },
  {
    name: 'bash.exe',
    paths: [
      'C:\\Windows\\System32\\bash.exe',
      'C:\\Program Files\\Git\\bin\\bash.exe',
      'C:\\Program Files\\Git\\usr\\bin\\bash.exe',
      'C:\\cygwin64\\bin\\bash.exe',
    ],
    roles: ['shell'],
    runsAs: ['user'],
    launchedBy: ['explorer.exe'],
    note: 'System32\\bash.exe starts the Windows Subsystem for Linux; the others are Git and Cygwin builds.',
  },
  {
    name: 'wscript.exe',
    paths: ['C:\\Windows\\System32\\wscript.exe', 'C:\\Windows\\SysWOW64\\wscript.exe'],
    roles: ['shell'],
    runsAs: ['user'],
    launchedBy: ['explorer.exe'],
    pe: {
      description: 'Microsoft ® Windows Based Script Host',
      product: 'Microsoft ® Windows Script Host',
      company: MICROSOFT,
      originalFileName: 'wscript.exe',
    },
  },
  {
    name: 'cscript.exe',
    paths: ['C:\\Windows\\System32\\cscript.exe', 'C:\\Windows\\SysWOW64\\cscript.exe'],
    roles: ['shell'],
    runsAs: ['user'],
    launchedBy: ['cmd.exe'],
    pe: {
      description: 'Microsoft ® Console Based Script Host',
      product: 'Microsoft ® Windows Script Host',
      company: MICROSOFT,
      originalFileName: 'cscript.exe',
    },
  },
  {
    name: 'mshta.exe',
    paths: ['C:\\Windows\\System32\\mshta.exe', 'C:\\Windows\\SysWOW64\\mshta.exe'],
    roles: ['shell'],
    runsAs: ['user'],
    launchedBy: ['explorer.exe'],
    pe: {
      description: 'Microsoft (R) HTML Application host',
      product: 'Internet Explorer',
      company: MICROSOFT,
      originalFileName: 'MSHTA.EXE',
    },
    note: 'HTML Application host: runs VBScript or JScript given inline or by URL; not in the seed rule.',
  },
];
