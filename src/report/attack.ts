import { readFile } from 'node:fs/promises';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { parseAttackCatalog, type AttackCatalog } from '../attack/catalog.js';
import { readAttackTags } from '../attack/tags.js';
import type { RuleReport } from '../harness/test-report.js';

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

/**
 * Reads an ATT&CK data file for the reports, leniently; unlike the validator, which throws on a broken
 * copy, a missing or malformed file yields a warning (the matrix then shows ids without names), never a throw.
 */
export async function loadAttackData(
  file: string,
  displayPath: string = file,
): Promise<{ data?: AttackCatalog; diagnostics: Diagnostic[] }> {
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
  try {
    return { data: parseAttackCatalog(json, { lenient: true }), diagnostics: [] };
  } catch (error) {
    return { diagnostics: [attackWarning(displayPath, `ATT&CK data does not have the expected shape (${(error as Error).message})`)] };
  }
}

function attackWarning(file: string, message: string): Diagnostic {
  return createDiagnostic(file, { line: 1, column: 1 }, 'report/attack-data', 'warning', message);
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
export function nameTechnique(id: string, attack: AttackCatalog | undefined): string | undefined {
  const technique = attack?.technique(id);
  if (technique === undefined) return undefined;
  const dot = id.indexOf('.');
  const parent = dot < 0 ? undefined : attack?.technique(id.slice(0, dot));
  return parent === undefined ? technique.name : `${parent.name}: ${technique.name}`;
}

/** Cites a rule report in the matrix or the layer. */
export function referRule(rule: RuleReport): RuleRef {
  return { id: rule.id, title: rule.title, file: rule.file, passed: rule.passed };
}

/** Lays out which rules cover which techniques, under each tactic in kill-chain order. */
export function buildAttackMatrix(rules: readonly RuleReport[], data: AttackCatalog | undefined): AttackMatrix {
  // tactic shortname -> technique id -> rules
  const placed = new Map<string, Map<string, RuleRef[]>>();
  const unplaced = new Map<string, RuleRef[]>();
  for (const rule of rules) {
    const tags = readAttackTags(rule.tags);
    for (const techniqueId of tags.techniques) {
      const known = data?.technique(techniqueId) ?? data?.technique(techniqueId.split('.')[0] ?? '');
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
  // Deprecated tactics get no column of their own.
  const tactics = (data?.tactics ?? []).filter((t) => !t.deprecated);
  const tacticNames = new Map(tactics.map((t) => [t.shortname, t.name]));
  const shortnames = new Set<string>([...tactics.map((t) => t.shortname), ...placed.keys()]);
  if (data === undefined) for (const t of KILL_CHAIN_ORDER) shortnames.add(t);
  const ordered = [...shortnames].sort((a, b) => rankTactic(a) - rankTactic(b) || (a < b ? -1 : a > b ? 1 : 0));
  let maxRules = 0;
  const toCells = (m: ReadonlyMap<string, RuleRef[]>): MatrixCell[] =>
    [...m.entries()]
      .sort(([a], [b]) => compareTechniqueIds(a, b))
      .map(([techniqueId, refs]) => {
        maxRules = Math.max(maxRules, refs.length);
        const name = nameTechnique(techniqueId, data);
        return { techniqueId, ...(name === undefined ? {} : { name }), unknown: data?.technique(techniqueId) === undefined, rules: refs };
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
