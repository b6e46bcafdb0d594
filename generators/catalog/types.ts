/**
 * What one catalogue entry says about a Windows program: its image name, where real installations put
 * it, and the roles it plays, so a scenario spec can pick processes by name or by tag.
 */

/** A role a program plays in the web-shell scenarios (ATT&CK T1505.003). */
export type RoleTag =
  /** Serves HTTP, or runs attacker-reachable code (sqlservr runs T-SQL, xp_cmdshell spawns cmd.exe). */
  | 'web-server'
  /** An HTTP server or worker that is real but rarer, or whose image name says nothing about serving HTTP. */
  | 'other-web-server'
  /** Interprets commands or scripts: the web shell's first child. */
  | 'shell'
  /** Discovers the host, the user or the network (ATT&CK discovery tactic). */
  | 'recon'
  /** Moves files in (BITS, certutil's URL cache): ingress tool transfer. */
  | 'download'
  /** Changes services, accounts or scheduled tasks. */
  | 'admin'
  /** Legitimately started by a web server (ASP.NET compilation, FastCGI, log rotation, crash reporting). */
  | 'benign-child'
  /** Everyday Windows processes: background noise for the "fires on nothing else" property. */
  | 'background'
  /** Starts services or service workers: the usual parent of a web server. */
  | 'service-host'
  /** A generic runtime (java.exe, node.exe) whose image name does not say which server it runs. */
  | 'generic-runtime'
  /** The server runs under an image name that the seed rule's ParentImage list does not contain. */
  | 'not-rule-parent-name'
  /** Administers IIS from the command line (appcmd.exe): sites, pools, modules. */
  | 'iis-admin'
  /** Copies web content into place (Web Deploy, robocopy): writes pages under web roots. */
  | 'deployment'
  /** Remote Desktop's client and the programs that change its settings. */
  | 'remote-desktop'
  /** Forwards ports through SSH (plink): how RDP is tunnelled out of a network (ATT&CK T1572). */
  | 'tunnel'
  /** Edits the registry interactively or on behalf of management tools (regedit, WMI's provider host). */
  | 'registry-editor'
  /** Tools that change Windows' remote-access settings for an intruder (RDP Wrapper's installer). */
  | 'remote-access-tool'
  /**
   * A copy of another entry's program under another file name (ATT&CK T1036.003): the same version
   * resource (OriginalFileName), hashes and signer as the original, so only those tell what it is.
   */
  | 'renamed';

/** The account kinds a process can run as; `users.ts` turns a kind into a concrete account. */
export type AccountKind =
  | 'system'
  | 'local-service'
  | 'network-service'
  /** IIS application pool identity: IIS APPPOOL\<pool> (or the identity the pool is configured with). */
  | 'app-pool'
  /** SQL Server's per-service virtual account: NT SERVICE\MSSQLSERVER or NT SERVICE\MSSQL$<INSTANCE>. */
  | 'sql-service'
  /** A person's account (domain or local), interactive session. */
  | 'user';

/** Version resource strings as Sysmon copies them into EventID 1 (FileVersion, Description, ...). */
export interface PeInfo {
  readonly description: string;
  readonly product: string;
  readonly company: string;
  readonly originalFileName: string;
  readonly fileVersion?: string;
  /**
   * Who signed the file (Authenticode subject), as Sysmon's image-load event names it: 'Microsoft
   * Windows' for the operating system's files, 'Microsoft Corporation' for other Microsoft products.
   * Absent: unsigned.
   */
  readonly signer?: string;
}

/** One program in the catalogue. */
export interface CatalogEntry {
  /**
   * The image file name in lower case: the unique key scenario specs select by; for a renamed copy,
   * `<original name> (renamed)`.
   */
  readonly name: string;
  /** Full install locations as real installations write them on disk (the file name's own case kept). */
  readonly paths: readonly string[];
  /** What the program is in the scenarios; selectors match on these. */
  readonly roles: readonly RoleTag[];
  /** Accounts the program runs as when it is the root of a tree (children inherit their parent's). */
  readonly runsAs?: readonly AccountKind[];
  /** Catalogue names of the processes that usually start it when it is the root of a tree. */
  readonly launchedBy?: readonly string[];
  /** Where it runs (its current directory) when it is the root of a tree. */
  readonly workingDirectories?: readonly string[];
  /**
   * For a generic runtime: text its command line always holds when it runs this program (java.exe
   * runs Tomcat when it names Catalina), so a process seen in real events can be told apart from the
   * same runtime running something else. Without it, the image name alone identifies the program.
   */
  readonly identifiedBy?: readonly string[];
  /** Version resource strings, when known. */
  readonly pe?: PeInfo;
  /**
   * For a renamed copy (role `renamed`): the catalogue entry whose file it is. Its `name` is then
   * `<original> (renamed)`, its paths end with other file names, and its version resource and hashes
   * are the original's.
   */
  readonly renamedFrom?: string;
  /** Why the entry is here or what is special about it. */
  readonly note?: string;
}
