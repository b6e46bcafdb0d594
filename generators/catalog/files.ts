/**
 * Files processes create (file_event scenarios, Sysmon event 11): kinds of file by where they land and
 * what they are, so a scenario spec can say "a script page under a web root" without naming paths. A
 * file is a folder of the entry, optional sub-folders, a name and an extension of the entry; `pattern`
 * (over the lower-cased path) tells an entry's files from every entry listed after it, so entries are
 * identified in catalogue order, the most specific first.
 */

/** One kind of file. */
export interface FileEntry {
  readonly name: string;
  readonly roles: readonly string[];
  /** Folders the files land in, as on disk. */
  readonly folders: readonly string[];
  /** Sub-folders between the folder and the file ('' for none). */
  readonly subfolders: readonly string[];
  readonly baseNames: readonly string[];
  /** Extensions with their dot. */
  readonly extensions: readonly string[];
  /** Tells the entry's files from those of the entries after it (lower-cased path). */
  readonly pattern: RegExp;
  readonly note?: string;
}

const IIS_ROOTS = ['C:\\inetpub\\wwwroot', 'D:\\inetpub\\wwwroot', 'C:\\inetpub\\wwwroot\\aspnet_client\\system_web\\4_0_30319', 'C:\\Program Files\\Microsoft\\Exchange Server\\V15\\FrontEnd\\HttpProxy\\owa\\auth'];
const TOMCAT_ROOTS = [
  'C:\\Program Files\\Apache Software Foundation\\Tomcat 9.0\\webapps\\ROOT',
  'C:\\Program Files\\Apache Software Foundation\\Tomcat 10.1\\webapps\\manager',
  'C:\\xampp\\tomcat\\webapps\\examples',
  // VMware Horizon Connection Server's Tomcat.
  'C:\\Program Files\\VMware\\VMware View\\Server\\broker\\webapps\\portal',
];
const PHP_ROOTS = ['C:\\xampp\\htdocs', 'C:\\Apache24\\htdocs', 'C:\\nginx\\html', 'C:\\inetpub\\wwwroot\\php'];
const WEB_ROOTS = [...IIS_ROOTS, ...TOMCAT_ROOTS, ...PHP_ROOTS];
const SHELL_NAMES = ['error', 'help', 'shell', 'x', 'updates', 'RedirSuiteServerProxy', 'OutlookEN.US', 'logon'];

// Where web content lives: an IIS site, Exchange's front end, Tomcat's webapps, an Apache or nginx document root.
const WEB_ROOT = /\\inetpub\\wwwroot\\|\\frontend\\httpproxy\\|\\webapps\\|\\htdocs\\|\\nginx\\html\\/;

/** The kinds of file, most specific first. */
export const FILES: readonly FileEntry[] = [
  {
    name: 'cms-plugin-php', roles: ['cms-update', 'web-root'],
    folders: ['C:\\inetpub\\wwwroot\\wp-content\\plugins', 'C:\\xampp\\htdocs\\wordpress\\wp-content\\plugins', 'C:\\xampp\\htdocs\\wordpress\\wp-content\\themes'],
    subfolders: ['akismet', 'contact-form-7\\includes', 'twentytwentyfour\\patterns'], baseNames: ['index', 'functions', 'class-loader', 'admin'], extensions: ['.php'],
    pattern: /\\wp-content\\(plugins|themes)\\.*\.php$/,
    note: 'WordPress installing or updating a plugin or theme from its admin pages writes PHP files under the web root.',
  },
  {
    name: 'aspnet-temporary-file', roles: ['aspnet-compilation'],
    folders: ['C:\\Windows\\Microsoft.NET\\Framework64\\v4.0.30319\\Temporary ASP.NET Files\\root', 'C:\\Windows\\Microsoft.NET\\Framework\\v4.0.30319\\Temporary ASP.NET Files\\webapp1'],
    subfolders: ['1e0c3f5a\\9a1b2c3d', '7f00aa12\\c0ffee01\\assembly\\dl3'], baseNames: ['App_Web_default.aspx.cdcab7d2', 'App_global.asax.ypd3ho5s', 'hash'], extensions: ['.dll', '.cs', '.compiled', '.web'],
    pattern: /\\temporary asp\.net files\\/,
    note: 'ASP.NET compiling pages on first request: the worker process writes sources and assemblies here.',
  },
  {
    name: 'temp-script', roles: ['temp'],
    folders: ['C:\\Windows\\Temp', 'C:\\Users\\Public\\Downloads', 'C:\\ProgramData\\Temp'],
    subfolders: ['', 'site-backup'], baseNames: SHELL_NAMES, extensions: ['.aspx', '.php', '.jsp'],
    pattern: /\\(windows\\temp|users\\public\\downloads|programdata\\temp)\\.*\.(aspx|php|jsp)$/,
    note: 'Script pages outside any web root (an unpacked backup): a web server does not serve them.',
  },
  {
    name: 'temp-file', roles: ['temp'],
    folders: ['C:\\Windows\\Temp', 'C:\\Users\\Public\\Downloads', 'C:\\ProgramData\\Temp'],
    subfolders: [''], baseNames: ['tmp8A3F', 'CVR1234', '~DF0C1D'], extensions: ['.tmp', '.log', '.dat'],
    pattern: /\\(windows\\temp|users\\public\\downloads|programdata\\temp)\\/,
  },
  {
    name: 'web-log', roles: ['log'],
    folders: ['C:\\inetpub\\logs\\LogFiles\\W3SVC1', 'C:\\Apache24\\logs', 'C:\\xampp\\apache\\logs', 'C:\\Program Files\\Apache Software Foundation\\Tomcat 9.0\\logs'],
    subfolders: [''], baseNames: ['u_ex261202', 'access', 'error', 'catalina.2026-12-02'], extensions: ['.log', '.txt'],
    pattern: /\\(inetpub\\logs|apache24\\logs|apache\\logs|tomcat [\d.]+\\logs)\\/,
  },
  {
    name: 'webroot-aspx', roles: ['web-script', 'web-root'],
    folders: IIS_ROOTS, subfolders: ['', 'uploads', 'App_Data\\cache'], baseNames: SHELL_NAMES, extensions: ['.aspx', '.ashx', '.asmx', '.asp'],
    pattern: /(\\inetpub\\wwwroot\\|\\frontend\\httpproxy\\).*\.(aspx|ashx|asmx|asp)$/,
    note: 'An ASP.NET or classic ASP page under an IIS site or Exchange\'s front end: what a web shell upload or a ProxyLogon-style write leaves (ATT&CK T1505.003).',
  },
  {
    name: 'webroot-jsp', roles: ['web-script', 'web-root'],
    folders: TOMCAT_ROOTS, subfolders: ['', 'WEB-INF\\tmp', 'images'], baseNames: SHELL_NAMES, extensions: ['.jsp', '.jspx'],
    pattern: /\\webapps\\.*\.jspx?$/,
    note: 'A JSP page under Tomcat\'s webapps: how a Java web shell is planted.',
  },
  {
    name: 'webroot-php', roles: ['web-script', 'web-root'],
    folders: PHP_ROOTS, subfolders: ['', 'uploads', 'images\\cache'], baseNames: SHELL_NAMES, extensions: ['.php', '.phtml'],
    pattern: /(\\htdocs\\|\\nginx\\html\\|\\inetpub\\wwwroot\\).*\.(php|phtml)$/,
    note: 'A PHP page under an Apache, nginx or IIS document root.',
  },
  {
    name: 'webroot-content', roles: ['web-content', 'web-root'],
    folders: WEB_ROOTS, subfolders: ['', 'uploads', 'uploads\\2026\\12', 'images\\cache'], baseNames: ['logo', 'report-2026', 'avatar-1042', 'site'], extensions: ['.png', '.jpg', '.pdf', '.css', '.js', '.html', '.txt'],
    pattern: WEB_ROOT,
    note: 'Uploads, caches and static content a web application writes under its own root.',
  },
  {
    name: 'user-document', roles: ['document'],
    folders: ['C:\\Users\\alice\\Documents', 'C:\\Users\\Administrator\\Desktop', 'C:\\Users\\svc_deploy\\AppData\\Local\\Contoso'],
    subfolders: ['', 'reports'], baseNames: ['notes', 'budget', 'settings'], extensions: ['.docx', '.xlsx', '.txt', '.json'],
    pattern: /^[a-z]:\\users\\/,
  },
];
