import type { LogSource, Mapping, MappingEntry, SourceBinding } from './mapping.js';

const normalizeName = (value: string | undefined): string | undefined => value?.trim().toLowerCase() || undefined;

/** True when an entry's product agrees with the rule's: an entry that names a product needs the same one. */
function agreesOnProduct(entry: LogSource, rule: LogSource): boolean {
  const product = normalizeName(entry.product);
  return product === undefined || product === normalizeName(rule.product);
}

/** Entries whose category and service are exactly the given ones (undefined = the entry names none). */
function findEntries(mapping: Mapping, rule: LogSource, category: string | undefined, service: string | undefined): MappingEntry[] {
  return mapping.entries.filter(
    (entry) =>
      normalizeName(entry.logsource.category) === category &&
      normalizeName(entry.logsource.service) === service &&
      agreesOnProduct(entry.logsource, rule),
  );
}

const collectSources = (entries: readonly MappingEntry[]): SourceBinding[] => entries.flatMap((entry) => entry.sources);

/** True when every channel the source admits is one of the service's channels. */
function isWithinServices(source: SourceBinding, services: readonly SourceBinding[]): boolean {
  if (!source.channels) return false;
  return source.channels.every((channel) =>
    services.some((service) => !service.channelSet || service.channelSet.has(channel.toLowerCase())),
  );
}

function dedupe(sources: readonly SourceBinding[]): readonly SourceBinding[] {
  const seen = new Set<SourceBinding>();
  return Object.freeze(sources.filter((source) => (seen.has(source) ? false : (seen.add(source), true))));
}

/**
 * The event sources that provide a log source; empty when the mapping knows none. Matching follows
 * Sigma's log source semantics (specification, "Log Source"): category and service must be the ones
 * an entry names, and a product an entry names must be the rule's. A rule naming both a category and a
 * service gets the category's sources restricted to the service's channels (pySigma applies both
 * conditions); an entry naming exactly that pair wins outright. A rule naming neither gets the
 * product-only entries.
 */
export function resolveLogSource(mapping: Mapping, logsource: LogSource): readonly SourceBinding[] {
  const category = normalizeName(logsource.category);
  const service = normalizeName(logsource.service);
  const exact = findEntries(mapping, logsource, category, service);
  if (exact.length > 0 || category === undefined || service === undefined) return dedupe(collectSources(exact));
  const services = collectSources(findEntries(mapping, logsource, undefined, service));
  const categories = collectSources(findEntries(mapping, logsource, category, undefined));
  return dedupe(categories.filter((source) => isWithinServices(source, services)));
}
