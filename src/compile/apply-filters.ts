/**
 * Sigma filters (Sigma filters specification v2.x, "Global filter"; pySigma's SigmaFilter): a document
 * with `filter: { rules, <selections>, condition }` that tunes the rules it names without editing them.
 * As the specification's examples and pySigma do, the filter's condition is ANDed to the rule's
 * condition, so a filter excludes by negating its selection (`condition: not selection`): a tuned rule
 * fires when the rule fires AND every filter's condition holds. The filter's selections are parsed and
 * compiled by the same engine as rules, against the same event (after the rule's log-source binding).
 */
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { EventRecord } from './event-record.js';
import { loadYamlFile, type YamlDocument, type YamlPath } from '../load/yaml.js';
import type { Detection } from '../model/detection.js';
import type { LogSource, SigmaRule } from '../model/rule.js';
import { parseDetection } from '../parse/parse-detection.js';
import { collectRuleFiles } from '../files/list-rule-files.js';
import { compileRule, type CompiledRule, type CompileOptions } from './compile-rule.js';
import type { RuleExplanation } from './explanation.js';

/** A parsed Sigma filter. */
export interface SigmaFilter {
  /** The filter file, as diagnostics name it. */
  readonly file: string;
  readonly id?: string;
  readonly name?: string;
  readonly title: string;
  readonly logsource: LogSource;
  /** The ids or names of the rules the filter tunes, or `any` for every rule (filters spec, "Relative rules"). */
  readonly rules: readonly string[] | 'any';
  /** The filter's selections and condition, parsed like a rule's detection. */
  readonly detection: Detection;
  readonly source: YamlDocument;
}

type Raw = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

const readText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

/** Names a filter for messages: its id, else its name, else its file. */
export function describeFilter(filter: SigmaFilter): string {
  return filter.id ?? filter.name ?? filter.file;
}

function readLogSource(raw: unknown): LogSource {
  if (!isRecord(raw)) return {};
  const { category, product, service } = raw;
  return {
    ...(typeof category === 'string' ? { category } : {}),
    ...(typeof product === 'string' ? { product } : {}),
    ...(typeof service === 'string' ? { service } : {}),
  };
}

// parseDetection reports positions under ['detection', ...]; in a filter the same nodes live under ['filter', ...].
function relocateToFilter(document: YamlDocument): YamlDocument {
  const move = (path: YamlPath): YamlPath => (path[0] === 'detection' ? ['filter', ...path.slice(1)] : path);
  return {
    ...document,
    locate: (path) => document.locate(move(path)),
    locateKey: (path) => document.locateKey(move(path)),
    locateInScalar: (path, offset) => document.locateInScalar(move(path), offset),
    spanOf: (path) => document.spanOf(move(path)),
    keySpanOf: (path) => document.keySpanOf(move(path)),
  };
}

/**
 * Parses one YAML document as a Sigma filter; undefined with diagnostics when it is not one or its
 * selections cannot be parsed (the JSON schema, checked by `dac validate`, judges the rest of its shape).
 */
export function parseFilter(document: YamlDocument, file: string): { filter?: SigmaFilter; diagnostics: Diagnostic[] } {
  const raw = document.value;
  if (!isRecord(raw) || !isRecord(raw.filter)) {
    return { diagnostics: [createDiagnostic(file, document.locate([]), 'filter/not-a-filter', 'error', "a Sigma filter needs a 'filter' mapping")] };
  }
  const { rules, ...body } = raw.filter;
  let references: readonly string[] | 'any' | undefined;
  if (rules === 'any') references = 'any';
  else if (typeof rules === 'string' && rules !== '') references = [rules];
  else if (Array.isArray(rules)) references = rules.flatMap((rule) => (readText(rule) === undefined ? [] : [readText(rule) as string]));
  if (references === undefined || references.length === 0) {
    return { diagnostics: [createDiagnostic(file, document.locateKey(['filter']), 'filter/no-rules', 'error', "the filter's 'rules' must name at least one rule id or name (or be 'any')")] };
  }
  const parsed = parseDetection(body, relocateToFilter(document), file);
  if (!parsed.detection) return { diagnostics: parsed.diagnostics };
  const id = readText(raw.id);
  const name = readText(raw.name);
  const filter: SigmaFilter = {
    file,
    ...(id !== undefined ? { id } : {}),
    ...(name !== undefined ? { name } : {}),
    title: readText(raw.title) ?? '',
    logsource: readLogSource(raw.logsource),
    rules: references,
    detection: parsed.detection,
    source: document,
  };
  return { filter, diagnostics: parsed.diagnostics };
}

/**
 * Reads every filter in a folder (`.yml`/`.yaml`, recursively); file names in diagnostics are relative to
 * `cwd`. A missing folder means no filters. Documents that are not filters are reported and skipped.
 */
export async function loadFilters(dir: string, cwd: string): Promise<{ filters: SigmaFilter[]; diagnostics: Diagnostic[] }> {
  // The filters folder is the repository's own: a link out of it is refused, as for the rules.
  const collected = await collectRuleFiles([dir], cwd, { root: cwd });
  // collectRuleFiles reports a missing path; having no filters folder is normal.
  const diagnostics: Diagnostic[] = collected.files.length === 0 ? [] : [...collected.diagnostics];
  const filters: SigmaFilter[] = [];
  for (const file of collected.files) {
    const loaded = await loadYamlFile(file.absolutePath, file.displayName);
    diagnostics.push(...loaded.diagnostics);
    for (const document of loaded.documents) {
      if (document.value === null || document.value === undefined) continue;
      const parsed = parseFilter(document, file.displayName);
      diagnostics.push(...parsed.diagnostics);
      if (parsed.filter) filters.push(parsed.filter);
    }
  }
  return { filters, diagnostics };
}

const normalizeName = (value: string | undefined): string | undefined => value?.trim().toLowerCase() || undefined;

/** True when every log-source field the filter names equals the rule's (a filter for `product: windows` tunes any Windows rule). */
function agreesOnLogSource(filter: LogSource, rule: LogSource): boolean {
  return (['category', 'product', 'service'] as const).every(
    (key) => normalizeName(filter[key]) === undefined || normalizeName(filter[key]) === normalizeName(rule[key]),
  );
}

/**
 * The filters that tune a rule: those naming its id or name (or `any`) whose log source agrees with the
 * rule's. A filter that names the rule but is written for another log source is reported, not applied.
 */
export function selectFilters(rule: SigmaRule, filters: readonly SigmaFilter[]): { selected: SigmaFilter[]; diagnostics: Diagnostic[] } {
  const selected: SigmaFilter[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const filter of filters) {
    const named =
      filter.rules === 'any' ||
      filter.rules.some((reference) => reference === rule.id || (rule.name !== undefined && reference === rule.name));
    if (!named) continue;
    if (agreesOnLogSource(filter.logsource, rule.logsource)) {
      selected.push(filter);
    } else if (filter.rules !== 'any') {
      diagnostics.push(createDiagnostic(filter.file, filter.source.locateKey(['logsource']), 'filter/logsource-mismatch', 'warning',
        `filter '${filter.title}' names rule ${rule.id ?? rule.title}, but its log source differs from the rule's; it is not applied`));
    }
  }
  return { selected, diagnostics };
}

/** The filter as a rule of its own (same log source as the rule it tunes), so compileRule can compile it. */
function describeAsRule(filter: SigmaFilter, rule: SigmaRule): SigmaRule {
  return {
    kind: 'detection',
    file: filter.file,
    ...(filter.id !== undefined ? { id: filter.id } : {}),
    title: filter.title,
    references: [],
    tags: [],
    falsepositives: [],
    raw: filter.source.value as Raw,
    source: filter.source,
    logsource: rule.logsource,
    detection: filter.detection,
    fields: [],
  };
}

/**
 * A compiled rule with its filters applied: it fires when the rule fires and every filter's condition
 * holds on the same (bound) event. Filters are compiled with the same options (placeholders, log-source
 * bindings) as the rule; a filter that does not compile is reported, and then the rule is returned
 * unfiltered. The rule's needles and requirements stay valid, since the tuned rule fires on a subset of the rule's events.
 */
export function applyFilters(
  compiled: CompiledRule,
  filters: readonly SigmaFilter[],
  options: CompileOptions = {},
): { compiled: CompiledRule; diagnostics: Diagnostic[] } {
  if (filters.length === 0) return { compiled, diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  const parts: { readonly label: string; readonly compiled: CompiledRule }[] = [];
  for (const filter of filters) {
    const result = compileRule(describeAsRule(filter, compiled.rule), options);
    diagnostics.push(...result.diagnostics);
    if (result.compiled) parts.push({ label: describeFilter(filter), compiled: result.compiled });
  }
  if (parts.length < filters.length) return { compiled, diagnostics };
  const matches = (event: EventRecord): boolean => {
    if (!compiled.matches(event)) return false;
    for (const part of parts) if (!part.compiled.matches(event)) return false;
    return true;
  };
  const explain = (event: EventRecord): RuleExplanation => {
    const base = compiled.explain(event);
    const filterIdentifiers = parts.flatMap((part) =>
      part.compiled.explain(event).identifiers.map((identifier) => ({ ...identifier, name: `${part.label}:${identifier.name}` })),
    );
    return { ...base, matched: matches(event), identifiers: [...base.identifiers, ...filterIdentifiers] };
  };
  // Filters are compiled with the rule's options, so they share its bindings and read the same bound event.
  const detect = (bound: EventRecord): boolean => {
    if (!compiled.detect(bound)) return false;
    for (const part of parts) if (!part.compiled.detect(bound)) return false;
    return true;
  };
  const tuned: CompiledRule = {
    rule: compiled.rule,
    matches,
    explain,
    detect,
    requirements: compiled.requirements,
    ...(compiled.needles !== undefined ? { needles: compiled.needles } : {}),
    ...(compiled.bindings !== undefined ? { bindings: compiled.bindings } : {}),
  };
  return { compiled: tuned, diagnostics };
}
