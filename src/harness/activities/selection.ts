/**
 * Selections of a scenario spec resolved against catalogues: entries named or carrying a tag, plus the
 * spec's process variants named, minus those excluded.
 */
import { CATALOG, findEntry } from '../../../generators/catalog/index.js';
import type { Catalogue, CatalogueEntry, ProcessVariant, ResolvedSelection } from './activity.js';

/** Which catalogue entries and variants a space draws from along one dimension (schemas/scenario.schema.json). */
export interface ScenarioSelector {
  readonly names?: readonly string[];
  readonly tags?: readonly string[];
  readonly exclude?: readonly string[];
}

/** The generators' catalogue of Windows programs, which process dimensions select from. */
export const PROCESS_CATALOGUE: Catalogue = {
  noun: 'process',
  source: 'generators/catalog/',
  entries: CATALOG,
  find: findEntry,
  processes: true,
};

/** Builds a catalogue over entries keyed by lower-case name. */
export function createCatalogue(noun: string, source: string, entries: readonly CatalogueEntry[]): Catalogue {
  const byName = new Map(entries.map((entry) => [entry.name.toLowerCase(), entry]));
  if (byName.size !== entries.length) throw new Error(`${source}: ${noun} names must be unique`);
  return { noun, source, entries, find: (name) => byName.get(name.toLowerCase()), processes: false };
}

/** Every role tag a catalogue's entries carry. */
export function listTags(catalogue: Catalogue): ReadonlySet<string> {
  return new Set(catalogue.entries.flatMap((entry) => entry.roles));
}

/**
 * Resolves a selector: catalogue entries named or carrying a tag, variants named (process catalogues
 * only), minus those excluded. Unknown names and tags are left out (the spec checks report them).
 */
export function resolveSelector(selector: ScenarioSelector, variants: readonly ProcessVariant[], catalogue: Catalogue = PROCESS_CATALOGUE): ResolvedSelection {
  const names = new Set((selector.names ?? []).map((name) => name.toLowerCase()));
  const tags = new Set(selector.tags ?? []);
  const excluded = new Set((selector.exclude ?? []).map((name) => name.toLowerCase()));
  const entries = catalogue.entries.filter(
    (entry) => !excluded.has(entry.name.toLowerCase()) && (names.has(entry.name.toLowerCase()) || entry.roles.some((role) => tags.has(role))),
  );
  const chosen = catalogue.processes
    ? variants.filter((variant) => names.has(variant.name.toLowerCase()) && !excluded.has(variant.name.toLowerCase()))
    : [];
  return { ids: new Set([...entries.map((entry) => entry.name), ...chosen.map((variant) => variant.name)]), entries, variants: chosen };
}
