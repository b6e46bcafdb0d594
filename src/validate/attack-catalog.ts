import { readFileSync } from 'node:fs';

/** An ATT&CK tactic, e.g. `{ id: 'TA0003', shortname: 'persistence' }`. */
export interface AttackTactic {
  readonly id: string;
  readonly shortname: string;
  readonly name: string;
  readonly deprecated: boolean;
}

/** An ATT&CK technique or sub-technique with the tactics it serves. */
export interface AttackTechnique {
  readonly id: string;
  readonly name: string;
  readonly tactics: readonly string[];
  readonly deprecated: boolean;
}

/** An ATT&CK group or software entry. */
export interface AttackObject {
  readonly id: string;
  readonly name: string;
  readonly deprecated: boolean;
}

/** The facts of one ATT&CK release that tag lints need, indexed for lookups. */
export interface AttackCatalog {
  /** Where the data came from, e.g. `MITRE ATT&CK Enterprise v18.1 (...)`. */
  readonly source: string;
  /** The release, e.g. `18.1`. */
  readonly version: string;
  readonly tactics: readonly AttackTactic[];
  /** A tactic by shortname (`privilege-escalation`). */
  tactic(shortname: string): AttackTactic | undefined;
  /** A technique by id, any case (`T1059.001`, `t1059.001`). */
  technique(id: string): AttackTechnique | undefined;
  /** A group by id, any case (`G0016`). */
  group(id: string): AttackObject | undefined;
  /** A software entry by id, any case (`S0002`). */
  software(id: string): AttackObject | undefined;
}

/** The copy of ATT&CK Enterprise committed with the project (see data/attack/README.md). */
export const DEFAULT_ATTACK_DATA = new URL('../../data/attack/attack-enterprise.json', import.meta.url);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function readList<T>(data: Record<string, unknown>, key: string, read: (item: Record<string, unknown>) => T): T[] {
  const list = data[key];
  if (!Array.isArray(list)) throw new Error(`ATT&CK data: '${key}' must be a list`);
  return list.map((item, index) => {
    if (!isRecord(item) || typeof item.id !== 'string') throw new Error(`ATT&CK data: ${key}[${index}] has no id`);
    return read(item);
  });
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/** Indexes ATT&CK data of the shape of data/attack/attack-enterprise.json; throws if it has another shape. */
export function parseAttackCatalog(data: unknown): AttackCatalog {
  if (!isRecord(data)) throw new Error('ATT&CK data: expected an object');
  const tactics = readList(data, 'tactics', (item) => ({
    id: text(item.id),
    shortname: text(item.shortname),
    name: text(item.name),
    deprecated: item.deprecated === true,
  }));
  const techniques = readList(data, 'techniques', (item) => ({
    id: text(item.id).toUpperCase(),
    name: text(item.name),
    tactics: Array.isArray(item.tactics) ? item.tactics.filter((t): t is string => typeof t === 'string') : [],
    deprecated: item.deprecated === true,
  }));
  const readObject = (item: Record<string, unknown>): AttackObject => ({
    id: text(item.id).toUpperCase(),
    name: text(item.name),
    deprecated: item.deprecated === true,
  });
  const groups = readList(data, 'groups', readObject);
  const software = readList(data, 'software', readObject);
  const byId = <T extends { id: string }>(items: readonly T[]) => new Map(items.map((item) => [item.id, item]));
  const tacticIndex = new Map(tactics.map((tactic) => [tactic.shortname, tactic]));
  const techniqueIndex = byId(techniques);
  const groupIndex = byId(groups);
  const softwareIndex = byId(software);
  return {
    source: text(data.source),
    version: text(data.attack_version),
    tactics,
    tactic: (shortname) => tacticIndex.get(shortname),
    technique: (id) => techniqueIndex.get(id.toUpperCase()),
    group: (id) => groupIndex.get(id.toUpperCase()),
    software: (id) => softwareIndex.get(id.toUpperCase()),
  };
}

let defaultCatalog: AttackCatalog | undefined;

/**
 * Loads an ATT&CK catalog from a JSON file; the project's own copy by default, read once and kept.
 * The data ships with the repository, so a missing or malformed file is an installation error and throws.
 */
export function loadAttackCatalog(location: URL | string = DEFAULT_ATTACK_DATA): AttackCatalog {
  const isDefault = location === DEFAULT_ATTACK_DATA;
  if (isDefault && defaultCatalog) return defaultCatalog;
  const catalog = parseAttackCatalog(JSON.parse(readFileSync(location, 'utf8')));
  if (isDefault) defaultCatalog = catalog;
  return catalog;
}
