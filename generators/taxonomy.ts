import { createHash } from 'node:crypto';
import type { AccountKind } from './catalog/types.js';
import { LOCAL_SERVICE, NETWORK_SERVICE, SYSTEM, computeAppPoolSid, computeServiceSid, type Account, type Computer } from './users.js';

/**
 * What golden events written in Sigma taxonomy fields leave out, filled the way Windows would: the
 * account behind a `User` value, the host behind a `Computer` value, and stable stand-ins (GUIDs, ids,
 * times) derived from the event's position. Renderers then write real event shapes from these.
 */

/** The values a taxonomy event holds: text or numbers, by Sigma field name. */
export type TaxonomyFields = Readonly<Record<string, string | number>>;

/** A field's value as text, or undefined when absent or empty. */
export function readText(fields: TaxonomyFields, name: string): string | undefined {
  const value = fields[name];
  if (value === undefined) return undefined;
  const text = String(value);
  return text === '' ? undefined : text;
}

/** A field's value as a whole number (decimal or 0x hex), or undefined. */
export function readNumber(fields: TaxonomyFields, name: string): number | undefined {
  const value = fields[name];
  if (typeof value === 'number') return Number.isInteger(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^0x[0-9a-f]+$/i.test(text)) return Number.parseInt(text.slice(2), 16);
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function hashSubAuthorities(text: string): string {
  const digest = createHash('sha256').update(text.toLowerCase()).digest();
  return [0, 4, 8].map((offset) => digest.readUInt32LE(offset)).join('-');
}

/** The host a `Computer` value names (FQDN or NetBIOS name); default WEB01. */
export function describeComputer(name: string | undefined): Computer {
  const text = name ?? 'WEB01';
  const [host = 'WEB01', ...rest] = text.split('.');
  const machineSid = `S-1-5-21-${hashSubAuthorities(host)}`;
  if (rest.length === 0) return { hostName: host.toUpperCase(), machineSid };
  const dns = rest.join('.');
  const netbios = (rest[0] ?? dns).toUpperCase();
  return { hostName: host.toUpperCase(), machineSid, domain: { netbios, dns, sid: `S-1-5-21-${hashSubAuthorities(dns)}` } };
}

/**
 * The account a `DOMAIN\name` value names: the built-in service accounts, IIS application pool and
 * service identities with their real SIDs, anyone else as a person with a SID derived from the name.
 */
export function describeAccount(user: string | undefined, logonId = 0x3e7): Account {
  const text = user ?? 'NT AUTHORITY\\SYSTEM';
  const slash = text.indexOf('\\');
  const domain = slash === -1 ? '' : text.slice(0, slash);
  const name = slash === -1 ? text : text.slice(slash + 1);
  const upper = text.toUpperCase();
  if (upper === 'NT AUTHORITY\\SYSTEM') return SYSTEM;
  if (upper === 'NT AUTHORITY\\LOCAL SERVICE') return LOCAL_SERVICE;
  if (upper === 'NT AUTHORITY\\NETWORK SERVICE') return NETWORK_SERVICE;
  const service = (kind: AccountKind, sid: string): Account => ({
    kind, domain, name, sid, logonId, integrityLevel: 'High', tokenElevationType: '%%1936', terminalSessionId: 0,
  });
  if (domain.toUpperCase() === 'IIS APPPOOL') return service('app-pool', computeAppPoolSid(name));
  if (domain.toUpperCase() === 'NT SERVICE') return service('sql-service', computeServiceSid(name));
  return {
    kind: 'user',
    domain,
    name,
    sid: `S-1-5-21-${hashSubAuthorities(domain)}-${1000 + (Number.parseInt(createHash('md5').update(name.toLowerCase()).digest('hex').slice(0, 4), 16) % 9000)}`,
    logonId: logonId === 0x3e7 ? 0x5a3f1 : logonId,
    integrityLevel: 'Medium',
    tokenElevationType: '%%1938',
    terminalSessionId: 1,
  };
}

/** A stable GUID in Sysmon's braces derived from a seed text. */
export function describeGuid(seed: string): string {
  const hex = createHash('md5').update(seed).digest('hex');
  return `{${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}}`;
}

/** Milliseconds of a Sysmon UtcTime (`2026-12-02 10:00:00.123`) or ISO time; a fixed day when absent. */
export function readTime(fields: TaxonomyFields, name = 'UtcTime'): number {
  const text = readText(fields, name);
  const parsed = text === undefined ? Number.NaN : Date.parse(`${text.replace(' ', 'T')}${/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? '' : 'Z'}`);
  return Number.isNaN(parsed) ? Date.UTC(2026, 0, 5, 10, 0, 0) : parsed;
}
