/**
 * Converting rule files: reads detection rules (and says why correlation rules are not converted),
 * selects each rule's filters, and converts every rule for every profile of a target. Shared by
 * `dac convert`, `dac backtest` and `dac pack`.
 */
import { loadFilters, selectFilters, type SigmaFilter } from '../compile/apply-filters.js';
import { createDiagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { loadYamlFile } from '../load/yaml.js';
import type { SigmaRule } from '../model/rule.js';
import { parseRule } from '../parse/parse-rule.js';
import { collectRuleFiles } from '../files/list-rule-files.js';
import { convertRule, type ConvertedQuery } from './convert-rule.js';
import type { TargetProfile } from './target-profiles.js';

/** Detection rules read from paths, with what went wrong on the way. */
export interface ReadRules {
  readonly rules: readonly SigmaRule[];
  readonly diagnostics: readonly Diagnostic[];
  /** Paths that do not exist or cannot be read. */
  readonly missing: number;
}

/**
 * Reads the detection rules under `paths`. A correlation rule is an error naming the rule (a query of
 * one event cannot count events over time); filters found among rules are left for `filters`.
 */
export async function readRulesForConversion(paths: readonly string[], cwd: string, target: string): Promise<ReadRules> {
  const collected = await collectRuleFiles(paths, cwd);
  const diagnostics: Diagnostic[] = [...collected.diagnostics];
  const rules: SigmaRule[] = [];
  for (const file of collected.files) {
    const loaded = await loadYamlFile(file.absolutePath, file.displayName);
    diagnostics.push(...loaded.diagnostics);
    for (const document of loaded.documents) {
      if (document.value === null || document.value === undefined) continue;
      const parsed = parseRule(document, file.displayName);
      diagnostics.push(...parsed.diagnostics);
      if (parsed.metadata?.kind === 'correlation') {
        diagnostics.push(createDiagnostic(file.displayName, document.locate([]), 'convert/correlation', 'error',
          `rule ${parsed.metadata.id ?? parsed.metadata.title}: correlation rules are not converted (target ${target}): they count or relate events over a time window, which a query of single events cannot say; convert the rules it correlates and correlate in the SIEM`));
        continue;
      }
      if (parsed.metadata?.kind === 'filter') continue;
      if (parsed.rule && !hasErrors(parsed.diagnostics)) rules.push(parsed.rule);
    }
  }
  return { rules, diagnostics, missing: collected.diagnostics.length };
}

/** Loads a filters folder (none when it does not exist). */
export async function readFilters(dir: string | undefined, cwd: string): Promise<{ filters: readonly SigmaFilter[]; diagnostics: readonly Diagnostic[] }> {
  if (dir === undefined) return { filters: [], diagnostics: [] };
  return loadFilters(dir, cwd);
}

/** Every rule converted for every profile; the filters that tune a rule are applied to its queries. */
export function convertRules(
  rules: readonly SigmaRule[],
  profiles: readonly TargetProfile[],
  filters: readonly SigmaFilter[],
): { queries: ConvertedQuery[]; diagnostics: Diagnostic[] } {
  const queries: ConvertedQuery[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const rule of rules) {
    const selected = selectFilters(rule, filters);
    diagnostics.push(...selected.diagnostics);
    for (const profile of profiles) {
      const converted = convertRule(rule, profile, { filters: selected.selected });
      diagnostics.push(...converted.diagnostics);
      if (converted.query) queries.push(converted.query);
    }
  }
  return { queries, diagnostics };
}

/** The file extension of a target's queries. */
export function queryExtension(target: TargetProfile['target']): string {
  return { sql: 'sql', spark: 'sql', kql: 'kql', spl: 'spl', esql: 'esql' }[target];
}

/** A query's file name: the rule's file name with the target's extension. */
export function nameQueryFile(query: ConvertedQuery): string {
  const base = query.file.split('/').pop() ?? query.file;
  return `${base.replace(/\.ya?ml$/i, '')}.${queryExtension(query.target)}`;
}
