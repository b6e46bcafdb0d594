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
  /**
   * The newer release that split one of its tactics (v19 split defense-evasion): its tactics there are
   * not in the data, so whether a tactic tag fits it cannot be judged.
   */
  readonly movedIn?: string;
}

/** An ATT&CK group or software entry. */
export interface AttackObject {
  readonly id: string;
  readonly name: string;
  readonly deprecated: boolean;
}

/** The facts of one ATT&CK release that tag lints and reports need, indexed for lookups. */
export interface AttackCatalog {
  /** Where the data came from, e.g. `MITRE ATT&CK Enterprise v18.1 (...)`. */
  readonly source: string;
  /** The release, e.g. `18.1`. */
  readonly version: string;
  /** The releases the catalog knows, as messages name them: `MITRE ATT&CK Enterprise v18.1 or v19`. */
  readonly release: string;
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

/** Where the project keeps its copy of ATT&CK Enterprise, relative to the repository root. */
export const ATTACK_DATA_PATH = 'data/attack/attack-enterprise.json';

/** The copy of ATT&CK Enterprise committed with the project (see data/attack/README.md), found next to the harness's sources. */
export const DEFAULT_ATTACK_DATA = new URL(`../../${ATTACK_DATA_PATH}`, import.meta.url);

/** What releases newer than the copy added (v19's tactics and new techniques), with their sources. */
export const NEWER_ATTACK_DATA = new URL('../../data/attack/attack-enterprise-newer.json', import.meta.url);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** How strictly `parseAttackCatalog` reads its input. */
export interface ParseAttackOptions {
  /**
   * Keep what can be used instead of throwing: skip entries without an id and take absent group or
   * software lists as empty. Reports want this (a damaged copy still names what it can); the
   * validator does not (it checks tags against the copy, so a damaged copy is an installation error).
   * The tactics and techniques lists are required either way.
   */
  readonly lenient?: boolean;
}

function readList<T>(data: Record<string, unknown>, key: string, read: (item: Record<string, unknown>) => T, lenient: boolean): T[] {
  const list = data[key];
  if (!Array.isArray(list)) throw new Error(`ATT&CK data: '${key}' must be a list`);
  return list.flatMap((item, index) => {
    if (isRecord(item) && typeof item.id === 'string') return [read(item)];
    if (lenient) return [];
    throw new Error(`ATT&CK data: ${key}[${index}] has no id`);
  });
}

const text = (value: unknown): string => (typeof value === 'string' ? value : '');

/**
 * Indexes ATT&CK data of the shape of data/attack/attack-enterprise.json; throws if it has another
 * shape (only if it lacks the tactics or techniques lists when `lenient`).
 */
export function parseAttackCatalog(data: unknown, options: ParseAttackOptions = {}): AttackCatalog {
  if (!isRecord(data)) throw new Error('ATT&CK data: expected an object');
  const lenient = options.lenient === true;
  const readTactic = (item: Record<string, unknown>): AttackTactic => ({
    id: text(item.id),
    shortname: text(item.shortname),
    name: text(item.name),
    deprecated: item.deprecated === true,
  });
  const readTechnique = (item: Record<string, unknown>): AttackTechnique => ({
    id: text(item.id).toUpperCase(),
    name: text(item.name),
    tactics: Array.isArray(item.tactics) ? item.tactics.filter((t): t is string => typeof t === 'string') : [],
    deprecated: item.deprecated === true,
  });
  const tactics = readList(data, 'tactics', readTactic, lenient);
  const techniques = readList(data, 'techniques', readTechnique, lenient);
  const readObject = (item: Record<string, unknown>): AttackObject => ({
    id: text(item.id).toUpperCase(),
    name: text(item.name),
    deprecated: item.deprecated === true,
  });
  const readObjects = (key: string): AttackObject[] =>
    lenient && !Array.isArray(data[key]) ? [] : readList(data, key, readObject, lenient);
  const groups = readObjects('groups');
  const software = readObjects('software');
  const byId = <T extends { id: string }>(items: readonly T[]) => new Map(items.map((item) => [item.id, item]));
  const tacticIndex = new Map(tactics.map((tactic) => [tactic.shortname, tactic]));
  const techniqueIndex = byId(techniques);
  const groupIndex = byId(groups);
  const softwareIndex = byId(software);
  return {
    source: text(data.source),
    version: text(data.attack_version),
    release: `MITRE ATT&CK Enterprise v${text(data.attack_version)}`,
    tactics,
    tactic: (shortname) => tacticIndex.get(shortname),
    technique: (id) => techniqueIndex.get(id.toUpperCase()),
    group: (id) => groupIndex.get(id.toUpperCase()),
    software: (id) => softwareIndex.get(id.toUpperCase()),
  };
}

/**
 * Layers what a newer release added over a full copy (data/attack/attack-enterprise-newer.json): its new
 * tactics and techniques are known, and a technique of a tactic the newer release split
 * (`tactic_successors`: v19 split defense-evasion into stealth and defense-impairment) also counts as
 * serving each successor, since which one it went to is not in the data.
 */
export function extendAttackCatalog(base: AttackCatalog, newerData: unknown): AttackCatalog {
  const newer = parseAttackCatalog(newerData, { lenient: true });
  const record = isRecord(newerData) ? newerData : {};
  const successors = new Map<string, readonly string[]>(
    Object.entries(isRecord(record.tactic_successors) ? record.tactic_successors : {}).map(([old, next]) => [
      old,
      Array.isArray(next) ? next.filter((tactic): tactic is string => typeof tactic === 'string') : [],
    ]),
  );
  const extend = (technique: AttackTechnique): AttackTechnique => {
    const added = technique.tactics.flatMap((tactic) => successors.get(tactic) ?? []);
    return added.length === 0 ? technique : { ...technique, tactics: [...new Set([...technique.tactics, ...added])], movedIn: newer.version };
  };
  const tactics = [...base.tactics, ...newer.tactics.filter((tactic) => !base.tactic(tactic.shortname))];
  return {
    source: `${base.source}; ${newer.source}`,
    version: base.version,
    release: `${base.release} or v${newer.version}`,
    tactics,
    tactic: (shortname) => base.tactic(shortname) ?? newer.tactic(shortname),
    technique: (id) => {
      const known = base.technique(id);
      return known ? extend(known) : newer.technique(id);
    },
    group: (id) => base.group(id) ?? newer.group(id),
    software: (id) => base.software(id) ?? newer.software(id),
  };
}

let defaultCatalog: AttackCatalog | undefined;

/**
 * Loads an ATT&CK catalog from a JSON file; by default the harness's own copy extended with what newer
 * releases added, read once and kept. The data ships with the harness, so a missing or malformed file is
 * an installation error and throws.
 */
export function loadAttackCatalog(location: URL | string = DEFAULT_ATTACK_DATA): AttackCatalog {
  const isDefault = location === DEFAULT_ATTACK_DATA;
  if (isDefault && defaultCatalog) return defaultCatalog;
  const base = parseAttackCatalog(JSON.parse(readFileSync(location, 'utf8')));
  const catalog = isDefault ? extendAttackCatalog(base, JSON.parse(readFileSync(NEWER_ATTACK_DATA, 'utf8'))) : base;
  if (isDefault) defaultCatalog = catalog;
  return catalog;
}
