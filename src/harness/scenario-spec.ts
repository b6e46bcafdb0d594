/**
 * A rule's scenario spec (tests/rules/<rule name>/scenarios.yml, schemas/scenario.schema.json): the
 * spaces of generated events the property tests draw from, and which events the rule must fire on. The
 * spec's activity (process creations, network connections, registry changes, ...) says which dimensions
 * a space selects along; a space's events are the combinations of its selections (for process creations,
 * (parent, process) pairs). Membership is decided on the generated events' ground truth (catalogue entry
 * names and variants), never on rendered strings.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ErrorObject } from 'ajv';
import { findEntry } from '../../generators/catalog/index.js';
import { createDiagnostic, type Diagnostic, type Position } from '../diagnostics/diagnostic.js';
import { compileSchemaFile, schemaDiagnostics } from '../load/json-schema.js';
import { loadYamlFile, type YamlDocument, type YamlPath } from '../load/yaml.js';
import type { SourceBinding } from '../mapping/mapping.js';
import type { SigmaRule } from '../model/rule.js';
import type { Activity, DimensionKey, ProcessVariant, SpaceSelections, SpaceShape } from './activities/activity.js';
import { ACTIVITIES, findActivityOfLogSource } from './activities/registry.js';
import { listTags, PROCESS_CATALOGUE, resolveSelector, type ScenarioSelector } from './activities/selection.js';

export { resolveSelector, type ScenarioSelector } from './activities/selection.js';

/** The file in each rule's test folder that holds its scenario spec. */
export const SCENARIO_FILE = 'scenarios.yml';

/** A process the catalogue does not have, derived from a catalogue entry. */
export type ScenarioVariant = ProcessVariant;

/** The three kinds of space: what the rule must catch, benign events it is documented to fire on, and the rest. */
export type SpaceKind = 'true-positive' | 'false-positive' | 'background';

/** The keys a space may select along: every activity's dimensions, and process trees' descendants. */
export type SelectorKey = DimensionKey | 'descendants';

/** One space of a scenario spec. */
export interface ScenarioSpace extends SpaceShape {
  readonly kind: SpaceKind;
  readonly name: string;
  readonly description?: string;
  /** The space's selections by dimension; a background process space may give parents alone. */
  readonly selectors: Readonly<Partial<Record<SelectorKey, ScenarioSelector>>>;
  /** False-positive spaces: the falsepositives entry documented (index or text prefix). */
  readonly falsepositive?: number | string;
  /** False-positive spaces: the filters that suppress the space. */
  readonly filters?: readonly string[];
  /** Where the space is written, and its YAML path. */
  readonly at: Position;
  readonly path: YamlPath;
}

/** A loaded scenario spec. */
export interface ScenarioSpec {
  readonly ruleId: string;
  /** What the spaces generate (process_creation when the spec does not say). */
  readonly activity: Activity;
  /** The spec file relative to the repository root, forward slashes. */
  readonly file: string;
  readonly variants: readonly ScenarioVariant[];
  /** True positives, then false positives, then background, each in file order. */
  readonly spaces: readonly ScenarioSpace[];
  readonly ruleIdAt: Position;
  readonly document: YamlDocument;
}

type RawSpace = Partial<Record<SelectorKey, ScenarioSelector>> & SpaceShape & {
  name: string;
  description?: string;
  falsepositive?: number | string;
  filters?: string[];
};

interface RawSpec {
  rule: string;
  activity?: keyof typeof ACTIVITIES;
  variants?: (ScenarioVariant & { description?: string })[];
  truePositives: RawSpace[];
  falsePositives?: RawSpace[];
  background?: RawSpace[];
}

const SECTIONS: readonly { readonly key: 'truePositives' | 'falsePositives' | 'background'; readonly kind: SpaceKind }[] = [
  { key: 'truePositives', kind: 'true-positive' },
  { key: 'falsePositives', kind: 'false-positive' },
  { key: 'background', kind: 'background' },
];

const SELECTOR_KEYS: readonly SelectorKey[] = ['parents', 'children', 'descendants', 'processes', 'destinations', 'keys', 'files', 'modules', 'scripts', 'logons'];

const toSlashes = (path: string): string => path.split('\\').join('/');

// `unevaluatedProperties` names the offending key like `additionalProperties` does; reporting it the same
// way puts the diagnostic on the key with a readable message.
function normalizeSchemaErrors(errors: readonly ErrorObject[]): ErrorObject[] {
  return errors.map((error) =>
    error.keyword === 'unevaluatedProperties'
      ? { ...error, keyword: 'additionalProperties', params: { additionalProperty: (error.params as { unevaluatedProperty?: string }).unevaluatedProperty } }
      : error,
  );
}

/** The catalogue a selector key selects from in an activity (descendants: the processes). */
function catalogueOf(activity: Activity, key: SelectorKey) {
  return key === 'descendants' ? PROCESS_CATALOGUE : activity.dimensions.find((dimension) => dimension.key === key)?.catalogue;
}

/** A space's selections resolved against its activity's catalogues and the spec's variants. */
export function resolveSpace(space: ScenarioSpace, spec: Pick<ScenarioSpec, 'activity' | 'variants'>): SpaceSelections {
  const resolved: Partial<Record<SelectorKey, ReturnType<typeof resolveSelector>>> = {};
  for (const key of SELECTOR_KEYS) {
    const selector = space.selectors[key];
    const catalogue = catalogueOf(spec.activity, key);
    if (selector !== undefined && catalogue !== undefined) resolved[key] = resolveSelector(selector, spec.variants, catalogue);
  }
  return resolved;
}

function readSpaces(raw: RawSpec, document: YamlDocument): ScenarioSpace[] {
  return SECTIONS.flatMap(({ key, kind }) =>
    (raw[key] ?? []).map((space, index): ScenarioSpace => {
      const path: YamlPath = [key, index];
      const selectors: Partial<Record<SelectorKey, ScenarioSelector>> = {};
      for (const selectorKey of SELECTOR_KEYS) {
        const selector = space[selectorKey];
        if (selector !== undefined) selectors[selectorKey] = selector;
      }
      return {
        kind,
        name: space.name,
        ...(space.description !== undefined ? { description: space.description } : {}),
        selectors,
        ...(space.depth !== undefined ? { depth: space.depth } : {}),
        ...(space.minChildren !== undefined ? { minChildren: space.minChildren } : {}),
        ...(space.maxChildren !== undefined ? { maxChildren: space.maxChildren } : {}),
        ...(space.maxEvents !== undefined ? { maxEvents: space.maxEvents } : {}),
        ...(space.falsepositive !== undefined ? { falsepositive: space.falsepositive } : {}),
        ...(space.filters !== undefined ? { filters: space.filters } : {}),
        at: document.locate(path),
        path,
      };
    }),
  );
}

/** Reads and schema-checks a scenario spec; undefined (no diagnostics) when the folder has none. */
export async function loadScenarioSpec(folder: string, repoRoot: string): Promise<{ spec?: ScenarioSpec; diagnostics: Diagnostic[] }> {
  const path = join(folder, SCENARIO_FILE);
  if (!existsSync(path)) return { diagnostics: [] };
  const file = toSlashes(relative(repoRoot, path));
  const loaded = await loadYamlFile(path, file);
  const document = loaded.documents[0];
  if (!document || document.value === null || document.value === undefined) {
    const diagnostics = loaded.diagnostics.length
      ? [...loaded.diagnostics]
      : [createDiagnostic(file, { line: 1, column: 1 }, 'scenario/empty', 'error', 'the scenario spec is empty')];
    return { diagnostics };
  }
  return readScenarioDocument(document, file, loaded.diagnostics);
}

/** Checks a parsed scenario document against schemas/scenario.schema.json and the catalogues. */
export function readScenarioDocument(
  document: YamlDocument,
  file: string,
  loadDiagnostics: readonly Diagnostic[] = [],
): { spec?: ScenarioSpec; diagnostics: Diagnostic[] } {
  const validate = compileSchemaFile('scenario.schema.json');
  if (!validate(document.value)) {
    return { diagnostics: [...loadDiagnostics, ...schemaDiagnostics(normalizeSchemaErrors(validate.errors ?? []), document, file)] };
  }
  const raw = document.value as RawSpec;
  const variants = (raw.variants ?? []).map(({ description: _description, ...variant }) => variant);
  const spec: ScenarioSpec = {
    ruleId: raw.rule,
    activity: ACTIVITIES[raw.activity ?? 'process_creation'],
    file,
    variants,
    spaces: readSpaces(raw, document),
    ruleIdAt: document.locate(['rule']),
    document,
  };
  const problems = describeSpecProblems(spec);
  return problems.some((d) => d.severity === 'error') ? { diagnostics: [...loadDiagnostics, ...problems] } : { spec, diagnostics: [...loadDiagnostics, ...problems] };
}

function checkVariants(spec: ScenarioSpec, report: (path: YamlPath, code: string, message: string) => void): void {
  const seen = new Set<string>();
  spec.variants.forEach((variant, index) => {
    const path: YamlPath = ['variants', index];
    const key = variant.name.toLowerCase();
    if (findEntry(key) !== undefined) report([...path, 'name'], 'scenario/variant-name', `variant '${variant.name}' has the name of a catalogue entry; pick another name`);
    if (seen.has(key)) report([...path, 'name'], 'scenario/duplicate-name', `variant '${variant.name}' is defined twice`);
    seen.add(key);
    const base = findEntry(variant.of);
    if (base === undefined) {
      report([...path, 'of'], 'scenario/unknown-name', `variant '${variant.name}' derives from '${variant.of}', which is not a catalogue entry`);
      return;
    }
    if (variant.appPool !== undefined && !(base.runsAs ?? []).includes('app-pool')) {
      report([...path, 'appPool'], 'scenario/app-pool', `appPool needs an entry that runs in an IIS application pool (w3wp.exe), not '${variant.of}'`);
    }
    if (variant.fileName !== undefined && findEntry(variant.fileName) !== undefined) {
      report([...path, 'fileName'], 'scenario/variant-name', `fileName '${variant.fileName}' is a catalogue entry's name: a look-alike must be another name`);
    }
  });
}

function checkSelector(
  selector: ScenarioSelector,
  path: YamlPath,
  key: SelectorKey,
  spec: ScenarioSpec,
  report: (path: YamlPath, code: string, message: string) => void,
): void {
  const catalogue = catalogueOf(spec.activity, key);
  if (catalogue === undefined) return;
  const variantNames = new Set(catalogue.processes ? spec.variants.map((variant) => variant.name.toLowerCase()) : []);
  for (const list of ['names', 'exclude'] as const) {
    (selector[list] ?? []).forEach((name, index) => {
      if (catalogue.find(name) === undefined && !variantNames.has(name.toLowerCase())) {
        report([...path, list, index], 'scenario/unknown-name', `'${name}' is neither a ${catalogue.noun} of the catalogue (${catalogue.source})${catalogue.processes ? ' nor a variant of this spec' : ''}`);
      }
    });
  }
  const known = listTags(catalogue);
  (selector.tags ?? []).forEach((tag, index) => {
    if (!known.has(tag)) report([...path, 'tags', index], 'scenario/unknown-tag', `'${tag}' is not a role tag of the ${catalogue.noun} catalogue (${[...known].join(', ')})`);
  });
  if (resolveSelector(selector, spec.variants, catalogue).ids.size === 0) report(path, 'scenario/empty-selection', 'the selection picks nothing');
}

/** The selector keys a space of the activity may give, and those it must. */
function describeDimensions(activity: Activity, kind: SpaceKind): { allowed: readonly SelectorKey[]; required: readonly SelectorKey[] } {
  const keys = activity.dimensions.map((dimension) => dimension.key);
  const tree = keys.includes('children');
  return {
    allowed: tree ? [...keys, 'descendants'] : keys,
    required: kind === 'background' ? keys.slice(0, activity.backgroundDimensions) : keys,
  };
}

/**
 * What is wrong with a spec beyond its schema: dimensions the activity does not have or that a space
 * lacks, unknown names and tags, empty selections, bad variants, duplicate space names, and
 * true-positive and false-positive spaces that share an event (a filter could then not remove the false
 * positive without removing a true positive).
 */
export function describeSpecProblems(spec: ScenarioSpec): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (path: YamlPath, code: string, message: string): void => {
    diagnostics.push(createDiagnostic(spec.file, spec.document.locate(path), code, 'error', message));
  };
  checkVariants(spec, report);
  const names = new Set<string>();
  for (const space of spec.spaces) {
    if (names.has(space.name)) report([...space.path, 'name'], 'scenario/duplicate-name', `another space is already named '${space.name}'`);
    names.add(space.name);
    const { allowed, required } = describeDimensions(spec.activity, space.kind);
    for (const key of SELECTOR_KEYS) {
      const selector = space.selectors[key];
      if (selector === undefined) {
        if (required.includes(key)) report(space.path, 'scenario/missing-dimension', `${space.kind} space '${space.name}' needs '${key}': ${spec.activity.title} spaces select ${required.join(' and ')}`);
        continue;
      }
      if (!allowed.includes(key)) {
        report([...space.path, key], 'scenario/foreign-dimension', `'${key}' is not a dimension of ${spec.activity.name} spaces (${allowed.join(', ')})`);
        continue;
      }
      checkSelector(selector, [...space.path, key], key, spec, report);
    }
    if (spec.activity.name !== 'process_creation') {
      for (const shape of ['depth', 'minChildren', 'maxChildren'] as const) {
        if (space[shape] !== undefined) report([...space.path, shape], 'scenario/foreign-dimension', `'${shape}' shapes process trees; ${spec.activity.name} spaces take maxEvents`);
      }
    } else if (space.maxEvents !== undefined) {
      report([...space.path, 'maxEvents'], 'scenario/foreign-dimension', `'maxEvents' is for activities other than process_creation; process trees take depth, minChildren and maxChildren`);
    }
  }
  if (diagnostics.length > 0) return diagnostics;
  const trueKeys = new Map<string, string>();
  for (const space of spec.spaces.filter((s) => s.kind === 'true-positive')) {
    for (const key of listKeys(space, spec)) if (!trueKeys.has(key)) trueKeys.set(key, space.name);
  }
  for (const space of spec.spaces.filter((s) => s.kind === 'false-positive')) {
    const shared = listKeys(space, spec).filter((key) => trueKeys.has(key));
    const first = shared[0];
    if (first !== undefined) {
      report(space.path, 'scenario/overlap', `false-positive space '${space.name}' shares ${shared.length} event kind(s) with true-positive space '${trueKeys.get(first) ?? ''}', e.g. ${first.split('\u0000').join(' -> ')}`);
    }
  }
  return diagnostics;
}

/**
 * The identity combinations of a true- or false-positive space, one per event kind, as keys joined by
 * NUL in dimension order (for process creations `parent\0child`); none for a background space that does
 * not give every dimension.
 */
export function listKeys(space: ScenarioSpace, spec: Pick<ScenarioSpec, 'activity' | 'variants'>): string[] {
  const resolved = resolveSpace(space, spec);
  let keys: string[] = [''];
  for (const [index, dimension] of spec.activity.dimensions.entries()) {
    const ids = resolved[dimension.key]?.ids;
    if (ids === undefined) return [];
    keys = keys.flatMap((prefix) => [...ids].map((id) => (index === 0 ? id : `${prefix}\u0000${id}`)));
  }
  return keys;
}

/** The activity a rule's log source belongs to, or undefined when no activity generates its events. */
export function findRuleActivity(rule: SigmaRule): Activity | undefined {
  return findActivityOfLogSource(rule.logsource);
}

/**
 * Checks the spec's true- and false-positive spaces against the event ids the rule's log source
 * covers: a space whose events the rule can never see (a registry_set rule and a key created, which
 * Sysmon records as event 12) cannot be a space the rule must fire on.
 */
export function checkSpecAgainstSources(spec: ScenarioSpec, bindings: readonly SourceBinding[]): Diagnostic[] {
  const eventIdsOf = spec.activity.eventIdsOf;
  const last = spec.activity.dimensions[spec.activity.dimensions.length - 1];
  if (eventIdsOf === undefined || last === undefined || bindings.some((binding) => binding.eventIdSet === undefined)) return [];
  const seen = new Set(bindings.flatMap((binding) => binding.eventIds ?? []));
  const diagnostics: Diagnostic[] = [];
  for (const space of spec.spaces.filter((candidate) => candidate.kind !== 'background')) {
    const names = [...(resolveSpace(space, spec)[last.key]?.ids ?? [])];
    const unseen = names.filter((name) => eventIdsOf([name]).every((id) => !seen.has(id)));
    if (unseen.length > 0) {
      diagnostics.push(createDiagnostic(spec.file, spec.document.locate([...space.path, last.key]), 'scenario/unseen-source', 'error',
        `${space.kind} space '${space.name}' selects ${unseen.join(', ')}, whose events (event id ${[...new Set(unseen.flatMap((name) => eventIdsOf([name])))].join(', ')}) the rule's log source never sees (it sees ${[...seen].sort((a, b) => a - b).join(', ')})`));
    }
  }
  return diagnostics;
}

/**
 * Checks the spec against its rule: the rule id, the activity of its log source, and that each
 * false-positive space names one of the rule's falsepositives entries (by 0-based index or by the start
 * of its text).
 */
export function checkSpecAgainstRule(spec: ScenarioSpec, rule: SigmaRule): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (rule.id !== spec.ruleId) {
    diagnostics.push(createDiagnostic(spec.file, spec.ruleIdAt, 'scenario/rule-id', 'error', `${spec.file} describes rule ${spec.ruleId}, but the rule's id is ${rule.id ?? '(none)'}`));
  }
  const activity = findRuleActivity(rule);
  if (activity !== spec.activity) {
    const source = [rule.logsource.category, rule.logsource.service].filter(Boolean).join('/') || '(none)';
    diagnostics.push(createDiagnostic(spec.file, spec.document.locate(['activity']), 'scenario/activity', 'error',
      activity === undefined
        ? `the rule's log source ${source} has no activity the generators know: no scenario spec can describe it`
        : `${spec.file} generates ${spec.activity.name} events, but the rule's log source ${source} is ${activity.name}: write 'activity: ${activity.name}'`));
  }
  for (const space of spec.spaces) {
    if (space.kind !== 'false-positive' || space.falsepositive === undefined) continue;
    if (findFalsePositiveEntry(rule, space.falsepositive) === undefined) {
      diagnostics.push(createDiagnostic(spec.file, spec.document.locate([...space.path, 'falsepositive']), 'scenario/unknown-falsepositive', 'error',
        `false-positive space '${space.name}' documents falsepositives entry ${JSON.stringify(space.falsepositive)}, which the rule does not have (it has ${rule.falsepositives.length})`));
    }
  }
  return diagnostics;
}

/** The rule's falsepositives entry a reference names: a 0-based index or the start of the entry's text. */
export function findFalsePositiveEntry(rule: SigmaRule, reference: number | string): string | undefined {
  if (typeof reference === 'number') return rule.falsepositives[reference];
  return rule.falsepositives.find((entry) => entry.startsWith(reference));
}
