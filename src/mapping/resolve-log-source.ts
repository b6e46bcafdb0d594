import type { LogSource, Mapping, MappingEntry, SourceBinding } from './mapping.js';

const normalizeName = (value: string | undefined): string | undefined => value?.trim().toLowerCase() || undefined;

/**
 * True when an entry's value for one logsource field admits the rule's. Sigma specification, "Log
 * Source": the fields a rule names narrow the events it applies to, and a field it leaves out does not
 * constrain; so a rule without a product takes an entry of any product, and an entry without a product
 * serves a rule of any product.
 */
const admits = (entry: string | undefined, rule: string | undefined): boolean =>
  entry === undefined || rule === undefined || entry === rule;

interface Wanted {
  readonly category: string | undefined;
  readonly product: string | undefined;
  readonly service: string | undefined;
}

/** Entries whose category and service are exactly the given ones (undefined = the entry names none), product agreeing. */
function findEntries(mapping: Mapping, product: string | undefined, category: string | undefined, service: string | undefined): MappingEntry[] {
  return mapping.entries.filter(
    (entry) =>
      normalizeName(entry.logsource.category) === category &&
      normalizeName(entry.logsource.service) === service &&
      admits(normalizeName(entry.logsource.product), product),
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

function resolveWanted(mapping: Mapping, { category, product, service }: Wanted): SourceBinding[] {
  if (category !== undefined) {
    const exact = findEntries(mapping, product, category, service);
    if (exact.length > 0 || service === undefined) return collectSources(exact);
    // A category and a service: the category's sources restricted to the service's channels (pySigma
    // applies both conditions).
    const services = collectSources(findEntries(mapping, product, undefined, service));
    const categories = collectSources(findEntries(mapping, product, category, undefined));
    return categories.filter((source) => isWithinServices(source, services));
  }
  // No category: the events of a service (its channels), or of a product (every event it writes). Such
  // rules name fields as the log writes them, so the sources are the channel-level ones, without the
  // renames of a category's taxonomy.
  if (service !== undefined) return collectSources(findEntries(mapping, product, undefined, service));
  return collectSources(findEntries(mapping, product, undefined, undefined));
}

/**
 * The event sources that provide a log source; empty when the mapping knows none. Matching follows the
 * Sigma specification ("Log Source"): every field the rule names must agree with the entry, and a field
 * the rule leaves out does not constrain. So `category: process_creation, product: windows` gets Sysmon
 * 1 and Security 4688; `service: security` alone gets the Security channel, whatever the product;
 * `product: windows` alone gets the product entry, which admits every Windows event. A rule naming a
 * category and a service gets the category's sources restricted to the service's channels; an entry
 * naming exactly that pair wins outright.
 */
export function resolveLogSource(mapping: Mapping, logsource: LogSource): readonly SourceBinding[] {
  return dedupe(
    resolveWanted(mapping, {
      category: normalizeName(logsource.category),
      product: normalizeName(logsource.product),
      service: normalizeName(logsource.service),
    }),
  );
}

/** Writes a log source the way a rule writes it: `category: x, product: y, service: z`, or `(empty)`. */
export function describeLogSource(logsource: LogSource): string {
  const parts = (['category', 'product', 'service'] as const)
    .filter((key) => logsource[key] !== undefined)
    .map((key) => `${key}: ${logsource[key] as string}`);
  return parts.length === 0 ? '(empty)' : parts.join(', ');
}
