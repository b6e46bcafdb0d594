import type { CatalogEntry, PeInfo } from './types.js';

const MICROSOFT = 'Microsoft Corporation';
const DOTNET = 'Microsoft® .NET Framework';
const WINDOWS = 'Microsoft® Windows® Operating System';

const FRAMEWORK_V4 = [
  'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319',
  'C:\\Windows\\Microsoft.NET\\Framework\\v4.0.30319',
] as const;
const FRAMEWORK_V2 = [
  'C:\\Windows\\Microsoft.NET\\Framework64\\v2.0.50727',
  'C:\\Windows\\Microsoft.NET\\Framework\\v2.0.50727',
] as const;
// ASP.NET sites that use the Roslyn CodeDom provider compile with the compiler copied into the site's bin.
const ROSLYN_IN_SITE = 'C:\\inetpub\\wwwroot\\bin\\roslyn';

function describeDotNetTool(description: string, originalFileName: string): PeInfo {
  return { description, product: DOTNET, company: MICROSOFT, originalFileName };
}

/** Processes web servers start for legitimate reasons: the documented false positives' raw material. */
export const BENIGN_CHILDREN: readonly CatalogEntry[] = [
  {
    name: 'csc.exe',
    paths: [...FRAMEWORK_V4, ...FRAMEWORK_V2, ROSLYN_IN_SITE].map((dir) => `${dir}\\csc.exe`),
    roles: ['benign-child'],
    launchedBy: ['w3wp.exe'],
    pe: describeDotNetTool('Visual C# Command Line Compiler', 'csc.exe'),
    note: 'ASP.NET compiles pages and App_Code on first request: w3wp.exe starts csc.exe with a .cmdline response file.',
  },
  {
    name: 'vbc.exe',
    paths: [...FRAMEWORK_V4, ...FRAMEWORK_V2, ROSLYN_IN_SITE].map((dir) => `${dir}\\vbc.exe`),
    roles: ['benign-child'],
    launchedBy: ['w3wp.exe'],
    pe: describeDotNetTool('Visual Basic Command Line Compiler', 'vbc.exe'),
    note: 'The VB.NET twin of csc.exe for sites written in Visual Basic.',
  },
  {
    name: 'cvtres.exe',
    paths: FRAMEWORK_V4.map((dir) => `${dir}\\cvtres.exe`),
    roles: ['benign-child'],
    launchedBy: ['csc.exe'],
    pe: describeDotNetTool('Microsoft® Resource File To COFF Object Conversion Utility', 'CVTRES.EXE'),
    note: 'csc.exe and vbc.exe start it to embed Win32 resources: a grandchild of w3wp.exe.',
  },
  {
    name: 'vbcscompiler.exe',
    paths: [`${ROSLYN_IN_SITE}\\VBCSCompiler.exe`],
    roles: ['benign-child'],
    launchedBy: ['csc.exe'],
    note: "Roslyn's shared compiler server, started by bin\\roslyn\\csc.exe.",
  },
  {
    name: 'aspnet_compiler.exe',
    paths: FRAMEWORK_V4.map((dir) => `${dir}\\aspnet_compiler.exe`),
    roles: ['benign-child'],
    launchedBy: ['cmd.exe'],
    pe: describeDotNetTool('ASP.NET Compilation Tool', 'aspnet_compiler.exe'),
    note: 'Precompiles a site; run by deployment scripts, occasionally by the site itself.',
  },
  {
    name: 'conhost.exe',
    paths: ['C:\\Windows\\System32\\conhost.exe'],
    roles: ['benign-child', 'background'],
    launchedBy: ['cmd.exe'],
    pe: { description: 'Console Window Host', product: WINDOWS, company: MICROSOFT, originalFileName: 'CONHOST.EXE' },
    note: 'Since Windows 8 every console program gets a conhost.exe child, so shells under web servers have one.',
  },
  {
    name: 'werfault.exe',
    paths: ['C:\\Windows\\System32\\WerFault.exe', 'C:\\Windows\\SysWOW64\\WerFault.exe'],
    roles: ['benign-child', 'background'],
    launchedBy: ['w3wp.exe'],
    pe: {
      description: 'Windows Problem Reporting',
      product: WINDOWS,
      company: MICROSOFT,
      originalFileName: 'WerFault.exe',
    },
    note: 'Windows Error Reporting: a crashing worker process starts it with -p <its own pid>.',
  },
  {
    name: 'rotatelogs.exe',
    paths: ['C:\\Apache24\\bin\\rotatelogs.exe', 'C:\\xampp\\apache\\bin\\rotatelogs.exe'],
    roles: ['benign-child'],
    launchedBy: ['httpd.exe'],
    note: 'Apache piped logging ("CustomLog |bin/rotatelogs.exe ...") keeps it running as httpd.exe\'s child.',
  },
  {
    name: 'sqldumper.exe',
    paths: [
      'C:\\Program Files\\Microsoft SQL Server\\160\\Shared\\SqlDumper.exe',
      'C:\\Program Files\\Microsoft SQL Server\\150\\Shared\\SqlDumper.exe',
    ],
    roles: ['benign-child'],
    launchedBy: ['sqlservr.exe'],
    note: 'SQL Server writes a dump through it on exceptions and assertion failures.',
  },
];
