/**
 * Benchmark data for the engine: flat process-creation events as NDJSON (Sysmon event 1 fields in
 * Sigma taxonomy, about 1 KB each, a small share web-shell-like: a web server parent spawning a shell),
 * and any number of generated process-creation rules. Deterministic for a seed.
 *
 * Run alone: `npx tsx bench/gen-events.ts OUT.ndjson [count] [seed]`.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** A small fast deterministic PRNG (mulberry32). */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

const SYSTEM32 = 'C:\\Windows\\System32\\';
/** Ordinary processes and their usual parents. */
const COMMON_IMAGES = [
  'svchost.exe', 'conhost.exe', 'RuntimeBroker.exe', 'SearchProtocolHost.exe', 'taskhostw.exe', 'dllhost.exe',
  'backgroundTaskHost.exe', 'WmiPrvSE.exe', 'smartscreen.exe', 'sppsvc.exe', 'MsMpEng.exe', 'audiodg.exe',
  'cmd.exe', 'powershell.exe', 'rundll32.exe', 'regsvr32.exe', 'msiexec.exe', 'schtasks.exe', 'sc.exe', 'reg.exe',
  'notepad.exe', 'explorer.exe', 'mmc.exe', 'tasklist.exe', 'ipconfig.exe', 'net.exe', 'wevtutil.exe', 'certutil.exe',
];
const APP_IMAGES = [
  'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  'C:\\Program Files\\Mozilla Firefox\\firefox.exe',
  'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
  'C:\\Program Files\\Microsoft Office\\root\\Office16\\EXCEL.EXE',
  'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
  'C:\\Program Files\\Git\\cmd\\git.exe',
  'C:\\Program Files\\nodejs\\node.exe',
];
const PARENTS = [
  `${SYSTEM32}services.exe`, `${SYSTEM32}svchost.exe`, 'C:\\Windows\\explorer.exe', `${SYSTEM32}cmd.exe`,
  `${SYSTEM32}WindowsPowerShell\\v1.0\\powershell.exe`, `${SYSTEM32}taskeng.exe`, `${SYSTEM32}wininit.exe`,
];
const WEB_SERVERS = [
  `${SYSTEM32}inetsrv\\w3wp.exe`, 'C:\\Apache24\\bin\\httpd.exe', 'C:\\nginx\\nginx.exe', 'C:\\php\\php-cgi.exe',
  'C:\\Tomcat\\bin\\tomcat.exe', 'C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe',
];
const SHELLS = ['cmd.exe', 'powershell.exe', 'whoami.exe', 'net.exe', 'ping.exe', 'cscript.exe'];
const ARGUMENTS = [
  '-k netsvcs -p', '/c echo hello', '-NoProfile -ExecutionPolicy Bypass -File C:\\scripts\\update.ps1', '/S /D',
  '-Embedding', '/quiet /norestart', 'user', '/all', '-s', '--type=renderer --field-trial-handle=1', '/query /fo csv',
  'query', 'start wuauserv', 'C:\\Users\\Public\\report.docx', '-ServerName:App.AppXz9.mca', 'config', '/v',
];
const USERS = ['NT AUTHORITY\\SYSTEM', 'NT AUTHORITY\\LOCAL SERVICE', 'CORP\\alice', 'CORP\\bob', 'IIS APPPOOL\\DefaultAppPool'];
const LEVELS = ['System', 'High', 'Medium', 'Low'];

const hex = (random: () => number, length: number): string => {
  let out = '';
  for (let i = 0; i < length; i += 1) out += '0123456789ABCDEF'[Math.floor(random() * 16)];
  return out;
};
const guid = (random: () => number): string => `{${hex(random, 8)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 4)}-${hex(random, 12)}}`;

/** One flat process-creation event; `webShell` makes it a web server spawning a shell. */
export function createProcessEvent(random: () => number, index: number, webShell: boolean): Record<string, string | number> {
  const imageName = pick(random, COMMON_IMAGES);
  const image = webShell ? `${SYSTEM32}${pick(random, SHELLS)}` : random() < 0.15 ? pick(random, APP_IMAGES) : `${SYSTEM32}${imageName}`;
  const parent = webShell ? pick(random, WEB_SERVERS) : pick(random, PARENTS);
  const commandLine = webShell ? `${image} /c whoami & ipconfig /all` : `"${image}" ${pick(random, ARGUMENTS)} ${pick(random, ARGUMENTS)}`;
  const seconds = index % 60;
  return {
    RuleName: '-',
    UtcTime: `2024-05-${String(1 + (index % 28)).padStart(2, '0')} ${String(index % 24).padStart(2, '0')}:${String(index % 60).padStart(2, '0')}:${String(seconds).padStart(2, '0')}.${String(index % 1000).padStart(3, '0')}`,
    ProcessGuid: guid(random),
    ProcessId: 1000 + Math.floor(random() * 60000),
    Image: image,
    FileVersion: '10.0.19041.1 (WinBuild.160101.0800)',
    Description: 'Windows Command Processor',
    Product: 'Microsoft® Windows® Operating System',
    Company: 'Microsoft Corporation',
    OriginalFileName: image.slice(image.lastIndexOf('\\') + 1),
    CommandLine: commandLine,
    CurrentDirectory: 'C:\\Windows\\system32\\',
    User: webShell ? 'IIS APPPOOL\\DefaultAppPool' : pick(random, USERS),
    LogonGuid: guid(random),
    LogonId: `0x${hex(random, 6).toLowerCase()}`,
    TerminalSessionId: Math.floor(random() * 3),
    IntegrityLevel: pick(random, LEVELS),
    Hashes: `SHA1=${hex(random, 40)},MD5=${hex(random, 32)},SHA256=${hex(random, 64)},IMPHASH=${hex(random, 32)}`,
    ParentProcessGuid: guid(random),
    ParentProcessId: 500 + Math.floor(random() * 9000),
    ParentImage: parent,
    ParentCommandLine: `"${parent}" ${pick(random, ARGUMENTS)}`,
    ParentUser: pick(random, USERS),
  };
}

/** Writes `count` events as NDJSON, streaming with backpressure; returns the number of web-shell events. */
export async function generateEvents(file: string, count: number, seed = 1, webShellShare = 0.002): Promise<number> {
  await mkdir(path.dirname(file), { recursive: true });
  const random = createRandom(seed);
  const out = createWriteStream(file);
  let webShells = 0;
  let batch = '';
  for (let index = 0; index < count; index += 1) {
    const webShell = random() < webShellShare;
    if (webShell) webShells += 1;
    batch += `${JSON.stringify(createProcessEvent(random, index, webShell))}\n`;
    if (batch.length > 1 << 20) {
      if (!out.write(batch)) await once(out, 'drain');
      batch = '';
    }
  }
  out.end(batch);
  await once(out, 'finish');
  return webShells;
}

const RULE_TOKENS = [
  'vssadmin delete shadows', 'Invoke-Mimikatz', 'DownloadString(', '-EncodedCommand', 'bitsadmin /transfer', 'comsvcs.dll, MiniDump',
  'sekurlsa::logonpasswords', 'wmic shadowcopy delete', 'bcdedit /set', 'reg save hklm\\sam', 'net group "domain admins"',
  'nltest /domain_trusts', 'certutil -urlcache', 'mshta http', 'rundll32 javascript:', 'schtasks /create', 'Add-MpPreference -ExclusionPath',
  'Set-MpPreference -DisableRealtimeMonitoring', 'procdump -ma lsass', 'AdFind.exe', 'psexec -accepteula', 'ntdsutil "ac i ntds"',
];
const RULE_IMAGES = [
  ...COMMON_IMAGES, 'mshta.exe', 'wmic.exe', 'bitsadmin.exe', 'vssadmin.exe', 'bcdedit.exe', 'nltest.exe', 'adfind.exe', 'procdump.exe',
  'psexec.exe', 'ntdsutil.exe', 'wscript.exe', 'cscript.exe', 'installutil.exe', 'regasm.exe', 'msbuild.exe', 'odbcconf.exe',
];

/** Writes `count` process-creation rules in SigmaHQ shapes (selection and filter, endswith/contains/all, a few regexes). */
export async function generateRules(dir: string, count: number, seed = 7): Promise<void> {
  await mkdir(dir, { recursive: true });
  const random = createRandom(seed);
  const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;
  for (let index = 0; index < count; index += 1) {
    const image = pick(random, RULE_IMAGES);
    const token = `${pick(random, RULE_TOKENS)}${index % 7 === 0 ? '' : ` ${index}`}`;
    const shape = index % 5;
    let detection: string;
    if (shape === 0) {
      detection = `  selection:\n    Image|endswith: ${quote(`\\${image}`)}\n    CommandLine|contains: ${quote(token)}\n  condition: selection`;
    } else if (shape === 1) {
      detection = `  selection_img:\n    - Image|endswith: ${quote(`\\${image}`)}\n    - OriginalFileName: ${quote(image)}\n  selection_cli:\n    CommandLine|contains|all:\n      - ${quote(token)}\n      - ' -x${index}'\n  condition: all of selection_*`;
    } else if (shape === 2) {
      detection = `  selection:\n    ParentImage|endswith: ${quote(`\\${pick(random, RULE_IMAGES)}`)}\n    Image|endswith:\n      - ${quote(`\\${image}`)}\n      - ${quote(`\\${pick(random, RULE_IMAGES)}`)}\n    CommandLine|contains: ${quote(token)}\n  filter:\n    User|contains: 'SYSTEM'\n  condition: selection and not filter`;
    } else if (shape === 3) {
      detection = `  selection:\n    CommandLine|windash|contains: ${quote(` -${token.replaceAll(' ', '')}`)}\n  condition: selection`;
    } else {
      detection = `  selection:\n    Image|endswith: ${quote(`\\${image}`)}\n    CommandLine|contains: ${quote(token)}\n  selection_re:\n    CommandLine|re: ${quote(`-[a-z]{2,}${index}`)}\n  condition: selection and selection_re`;
    }
    const rule = `title: Generated rule ${index}\nid: 00000000-0000-4000-8000-${String(index).padStart(12, '0')}\nstatus: test\nlevel: medium\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n${detection}\n`;
    await writeFile(path.join(dir, `generated_${String(index).padStart(4, '0')}.yml`), rule);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [file = 'bench/out/events.ndjson', count = '100000', seed = '1'] = process.argv.slice(2);
  const webShells = await generateEvents(file, Number(count), Number(seed));
  process.stdout.write(`${count} events (${webShells} web-shell-like) written to ${file}\n`);
}
