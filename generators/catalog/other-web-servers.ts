import type { CatalogEntry } from './types.js';

const MICROSOFT = 'Microsoft Corporation';

/**
 * Web servers and web-facing workers worth knowing but outside the main list: siblings of w3wp.exe,
 * older or bundled httpd variants, and runtimes that serve HTTP under a generic name. Each has a note.
 */
export const OTHER_WEB_SERVERS: readonly CatalogEntry[] = [
  {
    name: 'iisexpress.exe',
    paths: ['C:\\Program Files\\IIS Express\\iisexpress.exe', 'C:\\Program Files (x86)\\IIS Express\\iisexpress.exe'],
    roles: ['other-web-server', 'not-rule-parent-name'],
    runsAs: ['user'],
    launchedBy: ['devenv.exe', 'cmd.exe'],
    pe: {
      description: 'IIS Express Worker Process',
      product: 'Internet Information Services',
      company: MICROSOFT,
      originalFileName: 'iisexpress.exe',
    },
    note: "w3wp.exe's developer sibling (Visual Studio); sometimes left exposed on build or test servers.",
  },
  {
    name: 'inetinfo.exe',
    paths: ['C:\\Windows\\System32\\inetsrv\\inetinfo.exe'],
    roles: ['other-web-server', 'not-rule-parent-name'],
    runsAs: ['system'],
    launchedBy: ['services.exe'],
    pe: {
      description: 'Internet Information Services',
      product: 'Internet Information Services',
      company: MICROSOFT,
      originalFileName: 'inetinfo.exe',
    },
    note: 'IIS 5/6 in-process host; on current IIS it only hosts the legacy IIS 6 metabase and SMTP service.',
  },
  {
    name: 'aspnet_wp.exe',
    paths: ['C:\\Windows\\Microsoft.NET\\Framework\\v2.0.50727\\aspnet_wp.exe'],
    roles: ['other-web-server', 'not-rule-parent-name'],
    runsAs: ['system'],
    launchedBy: ['inetinfo.exe'],
    note: 'ASP.NET worker process of IIS 5 (Windows XP / 2000), before w3wp.exe took over.',
  },
  {
    name: 'umworkerprocess.exe',
    paths: ['C:\\Program Files\\Microsoft\\Exchange Server\\V15\\Bin\\UMWorkerProcess.exe'],
    roles: ['other-web-server', 'not-rule-parent-name'],
    runsAs: ['system'],
    launchedBy: ['umservice.exe'],
    note: 'Exchange Unified Messaging worker: the ProxyLogon (CVE-2021-26857) exploitation spawned shells from it.',
  },
  {
    name: 'apache.exe',
    paths: ['C:\\Program Files\\Apache Group\\Apache\\Apache.exe'],
    roles: ['other-web-server', 'not-rule-parent-name'],
    runsAs: ['system'],
    launchedBy: ['services.exe'],
    note: 'Apache 1.3 for Windows; 2.x renamed the binary httpd.exe.',
  },
  {
    name: 'php.exe',
    paths: ['C:\\php\\php.exe', 'C:\\xampp\\php\\php.exe', 'C:\\Program Files\\PHP\\v8.2\\php.exe'],
    roles: ['other-web-server', 'benign-child', 'not-rule-parent-name'],
    runsAs: ['user', 'system'],
    launchedBy: ['cmd.exe', 'w3wp.exe', 'httpd.exe'],
    pe: { description: 'CLI', product: 'PHP', company: 'The PHP Group', originalFileName: 'php.exe' },
    note:
      'The PHP CLI: serves HTTP with "php -S" (development) and is run by web apps for cron jobs and ' +
      'Composer, so it is also a benign child of web servers.',
  },
  {
    name: 'node.exe',
    paths: ['C:\\Program Files\\nodejs\\node.exe', 'C:\\Program Files (x86)\\nodejs\\node.exe'],
    roles: ['other-web-server', 'generic-runtime', 'not-rule-parent-name'],
    runsAs: ['user', 'system', 'app-pool'],
    launchedBy: ['cmd.exe', 'w3wp.exe', 'services.exe'],
    pe: {
      description: 'Node.js JavaScript Runtime',
      product: 'Node.js',
      company: 'Node.js',
      originalFileName: 'node.exe',
    },
    note: 'Express and Next.js servers run as node.exe; under IIS through iisnode as a child of w3wp.exe.',
  },
  {
    name: 'caddy.exe',
    paths: ['C:\\caddy\\caddy.exe', 'C:\\Program Files\\Caddy\\caddy.exe'],
    roles: ['other-web-server', 'not-rule-parent-name'],
    runsAs: ['system', 'user'],
    launchedBy: ['services.exe', 'cmd.exe'],
    note: 'Caddy reverse proxy: rarely runs server-side code itself, so a shell under it is very unusual.',
  },
  {
    name: 'coldfusion.exe',
    paths: ['C:\\ColdFusion2021\\cfusion\\bin\\coldfusion.exe', 'C:\\ColdFusion2018\\cfusion\\bin\\coldfusion.exe'],
    roles: ['other-web-server', 'not-rule-parent-name'],
    runsAs: ['system'],
    launchedBy: ['services.exe'],
    note: 'Adobe ColdFusion application server (a JVM launcher); CFM web shells spawn shells from it.',
  },
];
