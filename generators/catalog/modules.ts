import type { PeInfo } from './types.js';

/**
 * Modules (DLLs) processes load (image_load scenarios, Sysmon event 7): where they are installed, their
 * version resource and who signed them. Keyed like programs: the lower-case file name, or
 * `<original> (renamed)` for a copy under another name, which keeps its original's version resource,
 * hashes and signature, so OriginalFileName still tells what it is.
 */

/** One module. */
export interface ModuleEntry {
  readonly name: string;
  readonly roles: readonly string[];
  readonly paths: readonly string[];
  readonly pe: PeInfo;
  /** Whether the file carries a valid Authenticode signature (native images, NGEN output, do not). */
  readonly signed: boolean;
  /** For a renamed copy: the module it copies. */
  readonly renamedFrom?: string;
  readonly note?: string;
}

const MICROSOFT = 'Microsoft Corporation';
const WINDOWS = 'Microsoft® Windows® Operating System';
const DOTNET = 'Microsoft® .NET Framework';
const NET_FOLDER = 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319';
const SMA = 'System.Management.Automation.dll';

const windowsDll = (file: string, description: string, folders: readonly string[] = ['C:\\Windows\\System32', 'C:\\Windows\\SysWOW64']): ModuleEntry => ({
  name: file.toLowerCase(),
  roles: ['system-library'],
  paths: folders.map((folder) => `${folder}\\${file}`),
  pe: { description, product: WINDOWS, company: MICROSOFT, originalFileName: file, fileVersion: '10.0.20348.1 (WinBuild.160101.0800)', signer: 'Microsoft Windows' },
  signed: true,
});

const PROGRAM_MODULES: readonly ModuleEntry[] = [
  {
    name: 'system.management.automation.dll', roles: ['powershell-engine'],
    paths: ['C:\\Windows\\Microsoft.Net\\assembly\\GAC_MSIL\\System.Management.Automation\\v4.0_3.0.0.0__31bf3856ad364e35\\System.Management.Automation.dll'],
    pe: { description: 'System.Management.Automation', product: WINDOWS, company: MICROSOFT, originalFileName: SMA, fileVersion: '10.0.20348.1', signer: 'Microsoft Windows' },
    signed: true,
    note: 'The PowerShell engine: loaded by powershell.exe, and by any .NET process that runs PowerShell in-process.',
  },
  {
    name: 'system.management.automation.ni.dll', roles: ['powershell-engine'],
    paths: [
      'C:\\Windows\\assembly\\NativeImages_v4.0.30319_64\\System.Manaa57fc8cc#\\3c5d1d6a4ae4e38a5e1d6ad3fa3b1f4e\\System.Management.Automation.ni.dll',
      'C:\\Windows\\assembly\\NativeImages_v4.0.30319_32\\System.Manaa57fc8cc#\\9e0f5b7d3a2c1b4e8d6f7a9b0c1d2e3f\\System.Management.Automation.ni.dll',
    ],
    pe: { description: 'System.Management.Automation', product: WINDOWS, company: MICROSOFT, originalFileName: SMA, fileVersion: '10.0.20348.1' },
    signed: false,
    note: 'Its NGEN native image, which .NET loads instead of the assembly; unsigned, with the assembly\'s version resource.',
  },
  windowsDll('kernel32.dll', 'Windows NT BASE API Client DLL'),
  windowsDll('ntdll.dll', 'NT Layer DLL'),
  windowsDll('bcrypt.dll', 'Windows Cryptographic Primitives Library'),
  windowsDll('dbghelp.dll', 'Windows Image Helper'),
  windowsDll('iiscore.dll', 'IIS Web Server Core', ['C:\\Windows\\System32\\inetsrv']),
  windowsDll('w3isapi.dll', 'IIS ISAPI Handler', ['C:\\Windows\\System32\\inetsrv']),
  {
    name: 'clr.dll', roles: ['dotnet-runtime'],
    paths: [`${NET_FOLDER}\\clr.dll`, 'C:\\Windows\\Microsoft.NET\\Framework\\v4.0.30319\\clr.dll'],
    pe: { description: 'Microsoft .NET Runtime Common Language Runtime - WorkStation', product: DOTNET, company: MICROSOFT, originalFileName: 'clr.dll', fileVersion: '4.8.4645.0', signer: 'Microsoft Corporation' },
    signed: true,
  },
  {
    name: 'webengine4.dll', roles: ['dotnet-runtime', 'iis-module'],
    paths: [`${NET_FOLDER}\\webengine4.dll`],
    pe: { description: 'ASP.NET Runtime Web Engine', product: DOTNET, company: MICROSOFT, originalFileName: 'webengine4.dll', fileVersion: '4.8.4645.0', signer: 'Microsoft Corporation' },
    signed: true,
  },
  {
    name: 'system.web.ni.dll', roles: ['dotnet-runtime'],
    paths: ['C:\\Windows\\assembly\\NativeImages_v4.0.30319_64\\System.Web\\5d3c2f1a0b9e8d7c6b5a4f3e2d1c0b9a\\System.Web.ni.dll'],
    pe: { description: 'System.Web.dll', product: DOTNET, company: MICROSOFT, originalFileName: 'System.Web.dll', fileVersion: '4.8.4645.0' },
    signed: false,
  },
  {
    name: 'aspnetcorev2.dll', roles: ['iis-module'],
    paths: ['C:\\Program Files\\IIS\\Asp.Net Core Module\\V2\\aspnetcorev2.dll'],
    pe: { description: 'IIS ASP.NET Core Module V2', product: 'ASP.NET Core Module', company: MICROSOFT, originalFileName: 'aspnetcorev2.dll', fileVersion: '18.0.24141.0', signer: 'Microsoft Corporation' },
    signed: true,
  },
  {
    name: 'php8ts.dll', roles: ['php-runtime'],
    paths: ['C:\\php\\php8ts.dll', 'C:\\xampp\\php\\php8ts.dll', 'C:\\Program Files\\PHP\\v8.2\\php8ts.dll'],
    pe: { description: 'PHP Script Interpreter', product: 'PHP', company: 'The PHP Group', originalFileName: 'php8ts.dll', fileVersion: '8.2.13' },
    signed: false,
  },
  {
    name: 'jvm.dll', roles: ['java-runtime'],
    paths: ['C:\\Program Files\\Java\\jdk-17\\bin\\server\\jvm.dll', 'C:\\Program Files\\Eclipse Adoptium\\jre-11.0.21.9-hotspot\\bin\\server\\jvm.dll'],
    pe: { description: 'OpenJDK Platform binary', product: 'OpenJDK Platform 17', company: 'Oracle Corporation', originalFileName: 'jvm.dll', fileVersion: '17.0.9.0', signer: 'Oracle America, Inc.' },
    signed: true,
  },
];

/** Every module; the renamed copy of the PowerShell engine last. */
export const MODULES: readonly ModuleEntry[] = [
  ...PROGRAM_MODULES,
  {
    ...(PROGRAM_MODULES[0] as ModuleEntry),
    name: 'system.management.automation.dll (renamed)',
    roles: ['renamed'],
    paths: ['C:\\inetpub\\wwwroot\\bin\\App_Code.Helpers.dll', 'C:\\Windows\\Temp\\psl.dll', 'C:\\ProgramData\\Microsoft\\Crypto\\mscorsvc.dll'],
    renamedFrom: 'system.management.automation.dll',
    note: 'The PowerShell engine copied under another name, as tools that run PowerShell without powershell.exe ship it.',
  },
];
