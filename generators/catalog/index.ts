import { BACKGROUND } from './background.js';
import { BENIGN_CHILDREN } from './benign-children.js';
import { OTHER_WEB_SERVERS } from './other-web-servers.js';
import { RECON_TOOLS } from './recon-tools.js';
import { SHELLS } from './shells.js';
import type { CatalogEntry, RoleTag } from './types.js';
import { WEB_SERVERS } from './web-servers.js';

export type { AccountKind, CatalogEntry, PeInfo, RoleTag } from './types.js';
export { BACKGROUND, BENIGN_CHILDREN, OTHER_WEB_SERVERS, RECON_TOOLS, SHELLS, WEB_SERVERS };

/** Every catalogue entry, all families together; names are unique. */
export const CATALOG: readonly CatalogEntry[] = [
  ...WEB_SERVERS,
  ...OTHER_WEB_SERVERS,
  ...SHELLS,
  ...RECON_TOOLS,
  ...BENIGN_CHILDREN,
  ...BACKGROUND,
];

const ENTRIES_BY_NAME: ReadonlyMap<string, CatalogEntry> = new Map(CATALOG.map((entry) => [entry.name, entry]));

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
