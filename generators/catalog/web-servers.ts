import type { CatalogEntry } from './types.js';

const MICROSOFT = 'Microsoft Corporation';

// Tomcat's Windows installer names the service runner after the major version (a renamed Commons Daemon
// prunsrv.exe) and installs it under "Apache Software Foundation\Tomcat N.M\bin"; the service is TomcatN.
const TOMCAT_SERVICE_RUNNERS: readonly { readonly major: number; readonly folders: readonly string[] }[] = [
  { major: 6, folders: ['Tomcat 6.0'] },
  { major: 7, folders: ['Tomcat 7.0'] },
  { major: 8, folders: ['Tomcat 8.0', 'Tomcat 8.5'] },
  { major: 9, folders: ['Tomcat 9.0'] },
  { major: 10, folders: ['Tomcat 10.0', 'Tomcat 10.1'] },
  { major: 11, folders: ['Tomcat 11.0'] },
];

function describeTomcatRunner(major: number, folders: readonly string[]): CatalogEntry {
  const name = `tomcat${major}.exe`;
  const paths = folders.flatMap((folder) => [
    `C:\\Program Files\\Apache Software Foundation\\${folder}\\bin\\${name}`,
    `C:\\Program Files (x86)\\Apache Software Foundation\\${folder}\\bin\\${name}`,
  ]);
  return {
    name,
    // XAMPP bundled Tomcat 8.x with the same service runner.
    paths: major === 8 ? [...paths, `C:\\xampp\\tomcat\\bin\\${name}`] : paths,
    roles: ['web-server', 'not-rule-parent-name'],
    runsAs: ['local-service', 'system'],
    launchedBy: ['services.exe'],
    workingDirectories: ['C:\\Windows\\system32\\'],
    pe: {
      description: 'Commons Daemon Service Runner',
      product: 'Commons Daemon Service Runner',
      company: 'Apache Software Foundation',
      originalFileName: 'prunsrv.exe',
    },
    note:
      `Tomcat ${major} service runner (service Tomcat${major}); the seed rule lists "tomcat.exe", which no ` +
      'Tomcat release installs.',
  };
}

/** Web servers and attacker-reachable servers whose children the web-shell rule watches. */
export const WEB_SERVERS: readonly CatalogEntry[] = [
  {
    name: 'w3wp.exe',
    paths: ['C:\\Windows\\System32\\inetsrv\\w3wp.exe', 'C:\\Windows\\SysWOW64\\inetsrv\\w3wp.exe'],
    roles: ['web-server'],
    runsAs: ['app-pool'],
    // The Windows Process Activation Service (svchost.exe -k iissvcs) starts IIS worker processes.
    launchedBy: ['svchost.exe'],
    workingDirectories: ['C:\\Windows\\system32\\', 'c:\\windows\\system32\\inetsrv\\'],
    pe: {
      description: 'IIS Worker Process',
      product: 'Internet Information Services',
      company: MICROSOFT,
      originalFileName: 'w3wp.exe',
    },
    note: 'SysWOW64 holds the 32-bit worker used by pools with "Enable 32-Bit Applications".',
  },
  {
    name: 'httpd.exe',
    paths: [
      'C:\\Apache24\\bin\\httpd.exe',
      'C:\\xampp\\apache\\bin\\httpd.exe',
      'C:\\Program Files\\Apache Software Foundation\\Apache2.2\\bin\\httpd.exe',
      'C:\\Program Files (x86)\\Apache Software Foundation\\Apache2.2\\bin\\httpd.exe',
      'C:\\wamp64\\bin\\apache\\apache2.4.54.2\\bin\\httpd.exe',
      'C:\\wamp\\bin\\apache\\apache2.4.9\\bin\\httpd.exe',
    ],
    roles: ['web-server'],
    runsAs: ['system', 'user'],
    // The Apache service's parent httpd.exe starts one child httpd.exe that runs the worker threads.
    launchedBy: ['services.exe', 'httpd.exe', 'xampp-control.exe'],
    workingDirectories: ['C:\\Windows\\system32\\', 'C:\\xampp\\', 'C:\\Apache24\\bin\\'],
    pe: {
      description: 'Apache HTTP Server',
      product: 'Apache HTTP Server',
      company: 'Apache Software Foundation',
      originalFileName: 'httpd.exe',
    },
  },
  {
    name: 'nginx.exe',
    paths: [
      'C:\\nginx\\nginx.exe',
      'C:\\nginx-1.26.2\\nginx.exe',
      'C:\\tools\\nginx\\nginx.exe',
      'C:\\laragon\\bin\\nginx\\nginx-1.22.0\\nginx.exe',
    ],
    roles: ['web-server'],
    runsAs: ['user', 'system', 'network-service'],
    // The master nginx.exe starts the worker nginx.exe; the master comes from a console or a service wrapper.
    launchedBy: ['cmd.exe', 'nginx.exe', 'services.exe'],
    workingDirectories: ['C:\\nginx\\', 'C:\\nginx-1.26.2\\'],
    note: 'The Windows build has no version resource; it runs a master and worker processes.',
  },
  {
    name: 'php-cgi.exe',
    paths: [
      'C:\\php\\php-cgi.exe',
      'C:\\Program Files\\PHP\\v8.2\\php-cgi.exe',
      'C:\\Program Files\\PHP\\v7.4\\php-cgi.exe',
      'C:\\Program Files (x86)\\PHP\\v5.6\\php-cgi.exe',
      'C:\\xampp\\php\\php-cgi.exe',
    ],
    roles: ['web-server', 'benign-child'],
    runsAs: ['app-pool', 'system', 'user'],
    // IIS FastCGI and Apache mod_fcgid start php-cgi.exe; for nginx it is started by hand or a wrapper.
    launchedBy: ['w3wp.exe', 'httpd.exe', 'cmd.exe'],
    workingDirectories: ['C:\\Windows\\system32\\', 'C:\\php\\'],
    pe: { description: 'CGI / FastCGI', product: 'PHP', company: 'The PHP Group', originalFileName: 'php-cgi.exe' },
    note: 'A web server itself (runs the PHP web shell) and a benign child of w3wp.exe and httpd.exe.',
  },
  ...TOMCAT_SERVICE_RUNNERS.map(({ major, folders }) => describeTomcatRunner(major, folders)),
  {
    name: 'ws_tomcatservice.exe',
    paths: ['C:\\Program Files\\VMware\\VMware View\\Server\\bin\\ws_TomcatService.exe'],
    roles: ['web-server', 'not-rule-parent-name'],
    runsAs: ['system'],
    launchedBy: ['services.exe'],
    workingDirectories: ['C:\\Windows\\system32\\'],
    note:
      "VMware Horizon Connection Server's Tomcat service (its web portal and APIs run in it): the Log4Shell " +
      '(CVE-2021-44228) attacks on Horizon from December 2021 ran PowerShell as its child.',
  },
  {
    name: 'java.exe',
    paths: [
      'C:\\Program Files\\Java\\jdk-17\\bin\\java.exe',
      'C:\\Program Files\\Java\\jre1.8.0_381\\bin\\java.exe',
      'C:\\Program Files\\Eclipse Adoptium\\jdk-17.0.8.7-hotspot\\bin\\java.exe',
      'C:\\Program Files (x86)\\Java\\jre1.8.0_381\\bin\\java.exe',
    ],
    roles: ['web-server', 'generic-runtime', 'not-rule-parent-name'],
    runsAs: ['user', 'system'],
    // startup.bat calls catalina.bat, which runs %JRE_HOME%\bin\java.exe from the console's cmd.exe.
    launchedBy: ['cmd.exe'],
    // catalina.bat passes -Dcatalina.base, -Dcatalina.home and org.apache.catalina.startup.Bootstrap.
    identifiedBy: ['catalina'],
    workingDirectories: ['C:\\Program Files\\Apache Software Foundation\\Tomcat 9.0\\bin\\'],
    pe: {
      description: 'Java(TM) Platform SE binary',
      product: 'Java(TM) Platform SE 8',
      company: 'Oracle Corporation',
      originalFileName: 'java.exe',
    },
    note:
      "Tomcat started from startup.bat (and JBoss, WebLogic, Jenkins) runs as java.exe: not the rule's " +
      "parent name, so a JSP web shell under it is invisible to a rule keyed on the server's image name.",
  },
  {
    name: 'sqlservr.exe',
    paths: [
      'C:\\Program Files\\Microsoft SQL Server\\MSSQL16.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe',
      'C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe',
      'C:\\Program Files\\Microsoft SQL Server\\MSSQL15.SQLEXPRESS\\MSSQL\\Binn\\sqlservr.exe',
      'C:\\Program Files\\Microsoft SQL Server\\MSSQL14.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe',
      'C:\\Program Files\\Microsoft SQL Server\\MSSQL13.SHAREPOINT\\MSSQL\\Binn\\sqlservr.exe',
      'C:\\Program Files\\Microsoft SQL Server\\MSSQL12.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe',
      'C:\\Program Files\\Microsoft SQL Server\\MSSQL11.SQLEXPRESS\\MSSQL\\Binn\\sqlservr.exe',
      'C:\\Program Files\\Microsoft SQL Server\\MSSQL10_50.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe',
      'C:\\Program Files (x86)\\Microsoft SQL Server\\MSSQL10.SQLEXPRESS\\MSSQL\\Binn\\sqlservr.exe',
    ],
    roles: ['web-server'],
    runsAs: ['sql-service', 'network-service', 'system'],
    launchedBy: ['services.exe'],
    workingDirectories: ['C:\\Windows\\system32\\'],
    pe: {
      description: 'SQL Server Windows NT - 64 Bit',
      product: 'Microsoft SQL Server',
      company: MICROSOFT,
      originalFileName: 'SQLSERVR.EXE',
    },
    note:
      'Folder MSSQL<major>.<INSTANCE> (10 = 2008, 10_50 = 2008 R2, 11 = 2012 ... 16 = 2022); xp_cmdshell runs ' +
      'cmd.exe as its child under NT SERVICE\\MSSQLSERVER or NT SERVICE\\MSSQL$<INSTANCE>.',
  },
];
