import { createHash } from 'node:crypto';
import { ADMIN_TOOLS } from './admin-tools.js';
import { BACKGROUND } from './background.js';
import { BENIGN_CHILDREN } from './benign-children.js';
import { OTHER_WEB_SERVERS } from './other-web-servers.js';
import { RECON_TOOLS } from './recon-tools.js';
import { describeRenamedCopies } from './renamed.js';
import { SHELLS } from './shells.js';
import type { CatalogEntry, RoleTag } from './types.js';
import { WEB_SERVERS } from './web-servers.js';

export type { AccountKind, CatalogEntry, PeInfo, RoleTag } from './types.js';
export { ADMIN_TOOLS, BACKGROUND, BENIGN_CHILDREN, OTHER_WEB_SERVERS, RECON_TOOLS, SHELLS, WEB_SERVERS };

const PROGRAMS: readonly CatalogEntry[] = [
  ...WEB_SERVERS,
  ...OTHER_WEB_SERVERS,
  ...SHELLS,
  ...RECON_TOOLS,
  ...BENIGN_CHILDREN,
  ...BACKGROUND,
  ...ADMIN_TOOLS,
];

/** Renamed copies of catalogue programs (role `renamed`, see renamed.ts). */
export const RENAMED_COPIES: readonly CatalogEntry[] = describeRenamedCopies(PROGRAMS);

/** Every catalogue entry, all families together; names are unique. */
export const CATALOG: readonly CatalogEntry[] = [...PROGRAMS, ...RENAMED_COPIES];

const ENTRIES_BY_NAME: ReadonlyMap<string, CatalogEntry> = new Map(CATALOG.map((entry) => [entry.name, entry]));

const MICROSOFT = 'Microsoft Corporation';

/**
 * Who signed an entry's file: its `pe.signer`, else 'Microsoft Windows' for Microsoft's files (the
 * operating system's signing certificate), else nobody.
 */
export function describeSigner(entry: CatalogEntry | undefined): string | undefined {
  return entry?.pe?.signer ?? (entry?.pe?.company === MICROSOFT ? 'Microsoft Windows' : undefined);
}

/** The install path whose file an entry's process runs: a renamed copy runs its original's first file. */
function describeBinaryPath(entry: CatalogEntry | undefined, installPath: string): string {
  const original = entry?.renamedFrom === undefined ? undefined : findEntry(entry.renamedFrom);
  return (original?.paths[0] ?? installPath).toLowerCase();
}

const hashCache = new Map<string, string>();

/**
 * The hashes Sysmon writes for a process of `entry` run from `installPath` (the common
 * MD5,SHA256,IMPHASH set): a stand-in digest of the file, so the same file has the same hashes whatever
 * spelling or name it runs under, and a renamed copy keeps its original's.
 */
export function describeHashes(entry: CatalogEntry | undefined, installPath: string): string {
  const binary = describeBinaryPath(entry, installPath);
  const cached = hashCache.get(binary);
  if (cached !== undefined) return cached;
  const digest = (algorithm: string, salt: string) => createHash(algorithm).update(`${salt}${binary}`).digest('hex').toUpperCase();
  const hashes = `MD5=${digest('md5', '')},SHA256=${digest('sha256', '')},IMPHASH=${digest('md5', 'imphash:')}`;
  hashCache.set(binary, hashes);
  return hashes;
}

/** The SHA256 of a Sysmon Hashes value (`...,SHA256=ABC...,...`), upper case, or undefined. */
export function extractSha256(hashes: string): string | undefined {
  return /(?:^|,)SHA256=([0-9A-Fa-f]{64})/.exec(hashes)?.[1]?.toUpperCase();
}

let programsByHash: ReadonlyMap<string, CatalogEntry> | undefined;

/** The program (never a renamed copy) whose file has this SHA256, as `describeHashes` digests it. */
export function findProgramBySha256(sha256: string): CatalogEntry | undefined {
  programsByHash ??= new Map(PROGRAMS.flatMap((entry) => entry.paths.map((path) => [extractSha256(describeHashes(entry, path)) ?? '', entry] as const)));
  return programsByHash.get(sha256.toUpperCase());
}

const PROGRAMS_BY_ORIGINAL_NAME: ReadonlyMap<string, CatalogEntry> = new Map(
  [...PROGRAMS].reverse().flatMap((entry) => (entry.pe === undefined ? [] : [[entry.pe.originalFileName.toLowerCase(), entry] as const])),
);

/** The program whose version resource names this OriginalFileName (any case), never a renamed copy. */
export function findProgramByOriginalFileName(originalFileName: string): CatalogEntry | undefined {
  return PROGRAMS_BY_ORIGINAL_NAME.get(originalFileName.trim().toLowerCase());
}

/** The catalogue's renamed copy of a program, when it has one. */
export function findRenamedCopy(program: string): CatalogEntry | undefined {
  return ENTRIES_BY_NAME.get(`${program.toLowerCase()} (renamed)`);
}

/**
 * Which catalogue entries a scenario space draws from, as plain data a spec file can hold: entries named
 * in `names` or carrying any tag in `tags` (everything when both are absent), minus those in `exclude`.
 */
export interface Selector {
  readonly names?: readonly string[];
  readonly tags?: readonly RoleTag[];
  readonly exclude?: readonly string[];
}

/** Finds an entry by image file name, case-insensitively (Windows file names are). */
export function findEntry(name: string): CatalogEntry | undefined {
  return ENTRIES_BY_NAME.get(name.toLowerCase());
}

/** Lists what is wrong with a selector (unknown names, unknown tags, an empty selection); empty when usable. */
export function describeSelectorProblems(selector: Selector): string[] {
  const problems: string[] = [];
  for (const name of [...(selector.names ?? []), ...(selector.exclude ?? [])]) {
    if (findEntry(name) === undefined) problems.push(`unknown catalogue name "${name}"`);
  }
  const knownTags = new Set(CATALOG.flatMap((entry) => entry.roles));
  for (const tag of selector.tags ?? []) {
    if (!knownTags.has(tag)) problems.push(`unknown role tag "${tag}"`);
  }
  if (problems.length === 0 && matchEntries(selector).length === 0) problems.push('the selector matches no entry');
  return problems;
}

function matchEntries(selector: Selector): CatalogEntry[] {
  const names = new Set((selector.names ?? []).map((name) => name.toLowerCase()));
  const tags = new Set<RoleTag>(selector.tags ?? []);
  const excluded = new Set((selector.exclude ?? []).map((name) => name.toLowerCase()));
  const everything = names.size === 0 && tags.size === 0;
  return CATALOG.filter(
    (entry) =>
      !excluded.has(entry.name) && (everything || names.has(entry.name) || entry.roles.some((role) => tags.has(role))),
  );
}

/**
 * The entries a selector picks, in catalogue order (so shrinking heads for the first one). Throws on a
 * selector with problems: check spec files with `describeSelectorProblems` first and report diagnostics.
 */
export function selectEntries(selector: Selector): readonly CatalogEntry[] {
  const problems = describeSelectorProblems(selector);
  if (problems.length > 0) throw new Error(`invalid catalogue selector: ${problems.join('; ')}`);
  return matchEntries(selector);
}
