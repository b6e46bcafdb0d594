import { readFile } from 'node:fs/promises';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { RuleReport } from '../harness/test-report.js';

/** An ATT&CK tactic as the project's ATT&CK data file lists it. */
export interface AttackTactic {
  readonly id: string;
  /** The kebab-case name used in tags and by ATT&CK Navigator, e.g. `initial-access`. */
  readonly shortname: string;
  readonly name: string;
}

/** An ATT&CK technique or sub-technique with the shortnames of the tactics it serves. */
export interface AttackTechnique {
  readonly id: string;
  readonly name: string;
  readonly tactics: readonly string[];
  readonly deprecated?: boolean;
}

/** The slice of ATT&CK Enterprise the reports need: version, tactics and techniques. */
export interface AttackData {
  /** ATT&CK release, e.g. `18.1`. */
  readonly version: string;
  readonly tactics: readonly AttackTactic[];
  readonly techniques: readonly AttackTechnique[];
}

/** Where the project keeps its copy of ATT&CK Enterprise, relative to the repository root. */
export const ATTACK_DATA_PATH = 'data/attack/attack-enterprise.json';

// The Enterprise matrix's kill-chain order (the order of x_mitre_tactic_refs in ATT&CK's
// enterprise-attack matrix object). The data file lists tactics by id, which is not that order.
// Tactics a newer release adds (v19's stealth, defense-impairment) are placed after these.
const KILL_CHAIN_ORDER: readonly string[] = [
  'reconnaissance',
  'resource-development',
  'initial-access',
  'execution',
  'persistence',
  'privilege-escalation',
  'defense-evasion',
  'credential-access',
  'discovery',
  'lateral-movement',
  'collection',
  'command-and-control',
  'exfiltration',
  'impact',
];

/** Reads the ATT&CK data file; a missing or malformed file yields a warning, never a throw. */
export async function loadAttackData(
  file: string,
  displayPath: string = file,
): Promise<{ data?: AttackData; diagnostics: Diagnostic[] }> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    return { diagnostics: [attackWarning(displayPath, `ATT&CK data not readable (${reason}); the matrix shows ids without names`)] };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { diagnostics: [attackWarning(displayPath, `ATT&CK data is not JSON: ${(error as Error).message}`)] };
  }
  const data = parseAttackData(json);
  if (data === undefined) {
    return { diagnostics: [attackWarning(displayPath, 'ATT&CK data has no tactics/techniques arrays of the expected shape')] };
  }
  return { data, diagnostics: [] };
}

function attackWarning(file: string, message: string): Diagnostic {
  return createDiagnostic(file, { line: 1, column: 1 }, 'report/attack-data', 'warning', message);
}

/** Checks parsed JSON against the ATT&CK data shape, keeping well-formed entries and dropping the rest. */
export function parseAttackData(json: unknown): AttackData | undefined {
  if (!isRecord(json) || !Array.isArray(json['tactics']) || !Array.isArray(json['techniques'])) return undefined;
  const tactics: AttackTactic[] = [];
  for (const t of json['tactics']) {
    if (!isRecord(t) || t['deprecated'] === true) continue;
    const { id, shortname, name } = t;
    if (typeof id === 'string' && typeof shortname === 'string' && typeof name === 'string') {
      tactics.push({ id, shortname, name });
    }
  }
  const techniques: AttackTechnique[] = [];
  for (const t of json['techniques']) {
    if (!isRecord(t)) continue;
    const { id, name, tactics: of } = t;
    if (typeof id !== 'string' || typeof name !== 'string' || !Array.isArray(of)) continue;
    const tacticNames = of.filter((s): s is string => typeof s === 'string');
    techniques.push({ id: id.toUpperCase(), name, tactics: tacticNames, deprecated: t['deprecated'] === true });
  }
  const version = typeof json['attack_version'] === 'string' ? json['attack_version'] : 'unknown';
  return { version, tactics, techniques };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The ATT&CK ids a rule's tags name: techniques upper-cased (`T1505.003`), tactics as shortnames. */
export interface AttackTags {
  readonly techniques: readonly string[];
  readonly tactics: readonly string[];
}

// Sigma tags specification, namespace `attack`: `attack.tXXXX[.XXX]` for (sub-)techniques,
// `attack.gXXXX` / `attack.sXXXX` for groups and software, and the tactic name otherwise
// (older rules spell tactics with underscores, e.g. `attack.privilege_escalation`).
const TECHNIQUE_TAG = /^attack\.(t\d{4}(?:\.\d{3})?)$/i;
const OTHER_ID_TAG = /^attack\.[gs]\d{4}$/i;
const TACTIC_TAG = /^attack\.([a-z]+(?:[-_][a-z]+)*)$/i;

/** Reads the `attack.*` tags of a rule into technique ids and tactic shortnames, without duplicates. */
export function readAttackTags(tags: readonly string[]): AttackTags {
  const techniques = new Set<string>();
  const tactics = new Set<string>();
  for (const tag of tags) {
    const technique = TECHNIQUE_TAG.exec(tag);
    if (technique?.[1] !== undefined) {
      techniques.add(technique[1].toUpperCase());
      continue;
    }
    if (OTHER_ID_TAG.test(tag)) continue;
    const tactic = TACTIC_TAG.exec(tag);
    if (tactic?.[1] !== undefined) tactics.add(tactic[1].toLowerCase().replace(/_/g, '-'));
  }
  return { techniques: [...techniques], tactics: [...tactics] };
}

/** A rule as the matrix and the layer cite it. */
export interface RuleRef {
  readonly id: string;
  readonly title: string;
  readonly file: string;
  readonly passed: boolean;
}

/** One technique in one tactic column, with the rules that cover it there. */
export interface MatrixCell {
  readonly techniqueId: string;
  /** `Parent: Sub-technique` for sub-techniques; undefined when the data does not know the id. */
  readonly name?: string;
  /** True when the ATT&CK data in use does not list this id (newer release or typo). */
  readonly unknown: boolean;
  readonly rules: readonly RuleRef[];
}

/** One tactic column of the matrix. */
export interface MatrixColumn {
  readonly shortname: string;
  readonly name: string;
  readonly cells: readonly MatrixCell[];
}

/** The pack's ATT&CK coverage laid out as tactic columns in kill-chain order. */
export interface AttackMatrix {
  readonly attackVersion?: string;
  readonly columns: readonly MatrixColumn[];
  /** Technique tags that could not be placed under any tactic (unknown id and no tactic tag). */
  readonly unplaced: readonly MatrixCell[];
  /** The highest number of rules in any cell (0 when the pack names no techniques). */
  readonly maxRules: number;
}

/** Names a technique for display: sub-techniques as `Parent: Sub-technique`, as ATT&CK writes them. */
export function nameTechnique(id: string, byId: ReadonlyMap<string, AttackTechnique>): string | undefined {
  const technique = byId.get(id);
  if (technique === undefined) return undefined;
  const dot = id.indexOf('.');
  const parent = dot < 0 ? undefined : byId.get(id.slice(0, dot));
  return parent === undefined ? technique.name : `${parent.name}: ${technique.name}`;
}

/** Indexes techniques by id. */
export function indexTechniques(data: AttackData | undefined): Map<string, AttackTechnique> {
  return new Map((data?.techniques ?? []).map((t) => [t.id, t]));
}

/** Cites a rule report in the matrix or the layer. */
export function referRule(rule: RuleReport): RuleRef {
  return { id: rule.id, title: rule.title, file: rule.file, passed: rule.passed };
}

/** Lays out which rules cover which techniques, under each tactic in kill-chain order. */
export function buildAttackMatrix(rules: readonly RuleReport[], data: AttackData | undefined): AttackMatrix {
  const byId = indexTechniques(data);
  // tactic shortname -> technique id -> rules
  const placed = new Map<string, Map<string, RuleRef[]>>();
  const unplaced = new Map<string, RuleRef[]>();
  for (const rule of rules) {
    const tags = readAttackTags(rule.tags);
    for (const techniqueId of tags.techniques) {
      const known = byId.get(techniqueId) ?? byId.get(techniqueId.split('.')[0] ?? '');
      const techniqueTactics = known?.tactics ?? [];
      // A technique serving several tactics is shown under the ones the rule tags, so a rule
      // tagged initial-access + T1078 does not also light up T1078 under persistence.
      const tagged = techniqueTactics.filter((t) => tags.tactics.includes(t));
      const under = tagged.length > 0 ? tagged : techniqueTactics.length > 0 ? techniqueTactics : tags.tactics;
      if (under.length === 0) {
        pushTo(unplaced, techniqueId, referRule(rule));
        continue;
      }
      for (const tactic of under) {
        let column = placed.get(tactic);
        if (column === undefined) placed.set(tactic, (column = new Map()));
        pushTo(column, techniqueId, referRule(rule));
      }
    }
  }
  const tacticNames = new Map((data?.tactics ?? []).map((t) => [t.shortname, t.name]));
  const shortnames = new Set<string>([...(data?.tactics ?? []).map((t) => t.shortname), ...placed.keys()]);
  if (data === undefined) for (const t of KILL_CHAIN_ORDER) shortnames.add(t);
  const ordered = [...shortnames].sort((a, b) => rankTactic(a) - rankTactic(b) || (a < b ? -1 : a > b ? 1 : 0));
  let maxRules = 0;
  const toCells = (m: ReadonlyMap<string, RuleRef[]>): MatrixCell[] =>
    [...m.entries()]
      .sort(([a], [b]) => compareTechniqueIds(a, b))
      .map(([techniqueId, refs]) => {
        maxRules = Math.max(maxRules, refs.length);
        const name = nameTechnique(techniqueId, byId);
        return { techniqueId, ...(name === undefined ? {} : { name }), unknown: !byId.has(techniqueId), rules: refs };
      });
  const columns = ordered.map((shortname) => ({
    shortname,
    name: tacticNames.get(shortname) ?? titleCase(shortname),
    cells: toCells(placed.get(shortname) ?? new Map()),
  }));
  return {
    ...(data === undefined ? {} : { attackVersion: data.version }),
    columns,
    unplaced: toCells(unplaced),
    maxRules,
  };
}

function pushTo<K>(map: Map<K, RuleRef[]>, key: K, ref: RuleRef): void {
  const list = map.get(key);
  // A rule is counted once per cell even if it repeats a tag.
  if (list === undefined) map.set(key, [ref]);
  else if (!list.some((r) => r.id === ref.id && r.file === ref.file)) list.push(ref);
}

function rankTactic(shortname: string): number {
  const i = KILL_CHAIN_ORDER.indexOf(shortname);
  return i < 0 ? KILL_CHAIN_ORDER.length : i;
}

/** Orders technique ids numerically: T1001 < T1001.001 < T1002. */
export function compareTechniqueIds(a: string, b: string): number {
  const [aMain = '', aSub = ''] = a.split('.');
  const [bMain = '', bSub = ''] = b.split('.');
  return aMain.localeCompare(bMain, 'en', { numeric: true }) || aSub.localeCompare(bSub, 'en', { numeric: true });
}

function titleCase(shortname: string): string {
  return shortname
    .split('-')
    .map((w) => (w === 'and' ? w : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
}
