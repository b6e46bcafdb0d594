import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { AccountKind } from './catalog/types.js';

/**
 * Accounts processes run as, with the SIDs and logon ids Windows gives them, and the hosts they run on.
 * Service accounts have fixed SIDs and logon ids; virtual accounts (IIS APPPOOL\*, NT SERVICE\*) have
 * SIDs derived from their names; people's accounts have domain or machine SIDs and random logon ids.
 */

/** Windows integrity levels as Sysmon names them. */
export type IntegrityLevel = 'Low' | 'Medium' | 'High' | 'System';

/** Security 4688 TokenElevationType: %%1936 full (UAC off or a service), %%1937 elevated, %%1938 limited. */
export type TokenElevationType = '%%1936' | '%%1937' | '%%1938';

/** A concrete account a process runs as. */
export interface Account {
  readonly kind: AccountKind;
  /** The authority or domain as Sysmon's User field writes it: NT AUTHORITY, IIS APPPOOL, NT SERVICE, CONTOSO. */
  readonly domain: string;
  readonly name: string;
  readonly sid: string;
  /** The logon session id (Sysmon LogonId, 4688 SubjectLogonId). */
  readonly logonId: number;
  readonly integrityLevel: IntegrityLevel;
  readonly tokenElevationType: TokenElevationType;
  readonly terminalSessionId: number;
}

/** An Active Directory domain a host can be joined to. */
export interface Domain {
  readonly netbios: string;
  readonly dns: string;
  /** The domain SID, S-1-5-21-x-y-z; users' SIDs append their RID. */
  readonly sid: string;
}

/** The host a process tree runs on. */
export interface Computer {
  /** NetBIOS host name, upper case as Windows shows it. */
  readonly hostName: string;
  readonly domain?: Domain;
  /** The machine SID, S-1-5-21-x-y-z: local accounts' SIDs append their RID. */
  readonly machineSid: string;
}

/** Mandatory label SIDs (4688 MandatoryLabel) by integrity level. */
export const MANDATORY_LABELS: Readonly<Record<IntegrityLevel, string>> = {
  Low: 'S-1-16-4096',
  Medium: 'S-1-16-8192',
  High: 'S-1-16-12288',
  System: 'S-1-16-16384',
};

const SERVICE_ACCOUNT_BASE = { integrityLevel: 'System', tokenElevationType: '%%1936', terminalSessionId: 0 } as const;

/** NT AUTHORITY\SYSTEM (LocalSystem), logon session 0x3e7. */
export const SYSTEM: Account = {
  kind: 'system',
  domain: 'NT AUTHORITY',
  name: 'SYSTEM',
  sid: 'S-1-5-18',
  logonId: 0x3e7,
  ...SERVICE_ACCOUNT_BASE,
};
/** NT AUTHORITY\LOCAL SERVICE, logon session 0x3e5. */
export const LOCAL_SERVICE: Account = {
  kind: 'local-service',
  domain: 'NT AUTHORITY',
  name: 'LOCAL SERVICE',
  sid: 'S-1-5-19',
  logonId: 0x3e5,
  ...SERVICE_ACCOUNT_BASE,
};
/** NT AUTHORITY\NETWORK SERVICE, logon session 0x3e4. */
export const NETWORK_SERVICE: Account = {
  kind: 'network-service',
  domain: 'NT AUTHORITY',
  name: 'NETWORK SERVICE',
  sid: 'S-1-5-20',
  logonId: 0x3e4,
  ...SERVICE_ACCOUNT_BASE,
};

const sidCache = new Map<string, string>();

// Virtual account SIDs are the authority prefix followed by the SHA-1 of the name (UTF-16LE) read as five
// little-endian 32-bit sub-authorities: upper-cased for service SIDs (NT SERVICE, S-1-5-80), lower-cased
// for application pool identities (IIS APPPOOL, S-1-5-82). This gives the published values
// S-1-5-80-3880718306-... for MSSQLSERVER and S-1-5-82-3006700770-... for DefaultAppPool.
function computeVirtualAccountSid(prefix: string, name: string): string {
  const key = `${prefix}|${name}`;
  const cached = sidCache.get(key);
  if (cached !== undefined) return cached;
  const digest = createHash('sha1').update(Buffer.from(name, 'utf16le')).digest();
  const parts = [0, 4, 8, 12, 16].map((offset) => digest.readUInt32LE(offset));
  const sid = `${prefix}-${parts.join('-')}`;
  sidCache.set(key, sid);
  return sid;
}

/** The service SID of NT SERVICE\<name> (S-1-5-80-...). */
export function computeServiceSid(serviceName: string): string {
  return computeVirtualAccountSid('S-1-5-80', serviceName.toUpperCase());
}

/** The SID of the application pool identity IIS APPPOOL\<pool> (S-1-5-82-...). */
export function computeAppPoolSid(poolName: string): string {
  return computeVirtualAccountSid('S-1-5-82', poolName.toLowerCase());
}

/** Formats a logon id the way Sysmon and Security events write it: `0x3e7`. */
export function formatLogonId(logonId: number): string {
  return `0x${logonId.toString(16)}`;
}

/** DOMAIN\name, as Sysmon's User field writes an account. */
export function formatAccountName(account: Account): string {
  return `${account.domain}\\${account.name}`;
}

/** The account as a Security event's Subject or Target fields write it. */
export interface SecurityPrincipal {
  readonly sid: string;
  readonly userName: string;
  readonly domainName: string;
  readonly logonId: string;
}

/** The "no account" a 4688 version 2 Target section holds when the new process runs as its creator. */
export const NULL_PRINCIPAL: SecurityPrincipal = { sid: 'S-1-0-0', userName: '-', domainName: '-', logonId: '0x0' };

/**
 * How the Security log names an account: SYSTEM and NETWORK SERVICE act on the network as the computer
 * account, so 4688 shows them as HOST$ in the host's domain (WORKGROUP off a domain), as in the seed's
 * sample (S-1-5-18, WIN-GG82ULGC9GO$, CONTOSO).
 */
export function describeSecurityPrincipal(account: Account, computer: Computer): SecurityPrincipal {
  const machineAccount = account.kind === 'system' || account.kind === 'network-service';
  return {
    sid: account.sid,
    userName: machineAccount ? `${computer.hostName}$` : account.name,
    domainName: machineAccount ? computer.domain?.netbios ?? 'WORKGROUP' : account.domain,
    logonId: formatLogonId(account.logonId),
  };
}

/** The name under which SQL Server's service runs: MSSQLSERVER, or MSSQL$<INSTANCE> for a named instance. */
export function describeSqlServiceName(instance: string): string {
  return instance.toUpperCase() === 'MSSQLSERVER' ? 'MSSQLSERVER' : `MSSQL$${instance.toUpperCase()}`;
}

/** The SQL Server instance a sqlservr.exe path belongs to (its MSSQL<ver>.<INSTANCE> folder); MSSQLSERVER otherwise. */
export function extractSqlInstance(imagePath: string): string {
  return /\\MSSQL\d+(?:_\d+)?\.([^\\]+)\\/i.exec(imagePath)?.[1]?.toUpperCase() ?? 'MSSQLSERVER';
}

/** NT SERVICE\MSSQLSERVER or NT SERVICE\MSSQL$<INSTANCE>: SQL Server's per-service virtual account. */
export function createSqlServiceAccount(instance: string, logonId: number): Account {
  const name = describeSqlServiceName(instance);
  return {
    kind: 'sql-service',
    domain: 'NT SERVICE',
    name,
    sid: computeServiceSid(name),
    logonId,
    integrityLevel: 'High',
    tokenElevationType: '%%1936',
    terminalSessionId: 0,
  };
}

/** IIS APPPOOL\<pool>: the ApplicationPoolIdentity virtual account IIS creates per pool. */
export function createAppPoolAccount(pool: string, logonId: number): Account {
  return {
    kind: 'app-pool',
    domain: 'IIS APPPOOL',
    name: pool,
    sid: computeAppPoolSid(pool),
    logonId,
    integrityLevel: 'High',
    tokenElevationType: '%%1936',
    terminalSessionId: 0,
  };
}

/** Application pool names real IIS servers use (IIS defaults, .NET, SharePoint, Exchange, sites). */
export const APP_POOL_NAMES: readonly string[] = [
  'DefaultAppPool',
  '.NET v4.5',
  '.NET v4.5 Classic',
  'Classic .NET AppPool',
  '.NET v2.0',
  'SharePoint - 80',
  'MSExchangeOWAAppPool',
  'MSExchangeECPAppPool',
  'intranet.contoso.com',
  'WebApp1',
];

const DOMAINS: readonly Omit<Domain, 'sid'>[] = [
  { netbios: 'CONTOSO', dns: 'contoso.local' },
  { netbios: 'FABRIKAM', dns: 'fabrikam.com' },
  { netbios: 'CORP', dns: 'corp.example.com' },
];
const HOST_NAMES: readonly string[] = [
  'WEB01',
  'IIS-PROD-02',
  'SQL01',
  'APP-SRV',
  'WIN-GG82ULGC9GO',
  'DESKTOP-74VJV8B',
];

const subAuthorities = fc
  .tuple(
    fc.integer({ min: 1, max: 0xffffffff }),
    fc.integer({ min: 1, max: 0xffffffff }),
    fc.integer({ min: 1, max: 0xffffffff }),
  )
  .map((parts) => `S-1-5-21-${parts.join('-')}`);

/** A host: a NetBIOS name, joined to a domain or not, with its machine (and domain) SID. */
export const computer: fc.Arbitrary<Computer> = fc
  .record({
    hostName: fc.oneof(
      { withCrossShrink: true },
      fc.constantFrom(...HOST_NAMES),
      // Windows Setup's default names: WIN- and eleven random upper-case letters or digits.
      fc
        .array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'), { minLength: 11, maxLength: 11 })
        .map((chars) => `WIN-${chars.join('')}`),
    ),
    domain: fc.option(
      fc.tuple(fc.constantFrom(...DOMAINS), subAuthorities).map(([domain, sid]) => ({ ...domain, sid })),
      { nil: undefined },
    ),
    machineSid: subAuthorities,
  })
  .map(({ hostName, domain, machineSid }) =>
    domain === undefined ? { hostName, machineSid } : { hostName, domain, machineSid },
  );

/** The name the Computer field of an event holds: the FQDN on a domain, the host name otherwise. */
export function formatComputerName(host: Computer): string {
  return host.domain === undefined ? host.hostName : `${host.hostName}.${host.domain.dns}`;
}

const PEOPLE: readonly string[] = [
  'Administrator',
  'alice',
  'bob',
  'jdoe',
  'svc_web',
  'svc_deploy',
  'IEUser',
  'dadmin',
];

/**
 * The choices behind an account, before its kind and host are known: `resolveAccount` turns them into an
 * Account. Kept apart so process trees draw hosts, kinds and accounts independently (no chain, clean
 * shrinking): one draft serves whichever kind the process's catalogue entry runs as.
 */
export interface AccountDraft {
  /** For app-pool: the pool, and whether it runs as its ApplicationPoolIdentity or a built-in account. */
  readonly pool: string;
  readonly poolIdentity: 'pool' | 'network-service' | 'system' | 'local-service';
  /** For user: the person, whether a domain (not local) account, elevated, and the session. */
  readonly person: string;
  readonly domainAccount: boolean;
  readonly elevated: boolean;
  readonly session: number;
  /** For accounts with their own logon session (not SYSTEM and the built-in service accounts). */
  readonly logonId: number;
}

/** The choices behind an account; shrinks to DefaultAppPool's identity and the built-in Administrator. */
export const accountDraft: fc.Arbitrary<AccountDraft> = fc.record({
  pool: fc.constantFrom(...APP_POOL_NAMES),
  // Most pools keep the default ApplicationPoolIdentity; Exchange and old setups use built-in accounts.
  poolIdentity: fc.oneof(
    { withCrossShrink: true },
    { arbitrary: fc.constant('pool' as const), weight: 6 },
    { arbitrary: fc.constantFrom('network-service' as const, 'system' as const, 'local-service' as const), weight: 1 },
  ),
  person: fc.constantFrom(...PEOPLE),
  domainAccount: fc.boolean(),
  elevated: fc.boolean(),
  session: fc.integer({ min: 1, max: 3 }),
  logonId: fc.integer({ min: 0x10000, max: 0x7fffffff }),
});

function resolveUser(draft: AccountDraft, host: Computer): Account {
  const inDomain = draft.domainAccount && host.domain !== undefined;
  const rid = draft.person === 'Administrator' ? 500 : 1100 + PEOPLE.indexOf(draft.person);
  // The built-in Administrator (RID 500) is not subject to UAC admin approval: full token, high integrity.
  const builtInAdmin = rid === 500;
  const elevated = builtInAdmin || draft.elevated;
  return {
    kind: 'user',
    domain: inDomain && host.domain !== undefined ? host.domain.netbios : host.hostName,
    name: draft.person,
    sid: `${inDomain && host.domain !== undefined ? host.domain.sid : host.machineSid}-${rid}`,
    logonId: draft.logonId,
    integrityLevel: elevated ? 'High' : 'Medium',
    tokenElevationType: builtInAdmin ? '%%1936' : elevated ? '%%1937' : '%%1938',
    terminalSessionId: draft.session,
  };
}

/**
 * Turns account choices into an account of `kind` on a host; a sql-service account belongs to the
 * instance in the image path.
 */
export function resolveAccount(kind: AccountKind, draft: AccountDraft, host: Computer, imagePath: string): Account {
  switch (kind) {
    case 'system':
      return SYSTEM;
    case 'local-service':
      return LOCAL_SERVICE;
    case 'network-service':
      return NETWORK_SERVICE;
    case 'app-pool':
      if (draft.poolIdentity === 'system') return SYSTEM;
      if (draft.poolIdentity === 'network-service') return NETWORK_SERVICE;
      if (draft.poolIdentity === 'local-service') return LOCAL_SERVICE;
      return createAppPoolAccount(draft.pool, draft.logonId);
    case 'sql-service':
      return createSqlServiceAccount(extractSqlInstance(imagePath), draft.logonId);
    case 'user':
      return resolveUser(draft, host);
  }
}
