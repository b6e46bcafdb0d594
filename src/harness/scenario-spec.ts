/**
 * A rule's scenario spec (tests/rules/<rule name>/scenarios.yml, schemas/scenario.schema.json): the
 * spaces of generated process trees the property tests draw from, and which process-creation events the
 * rule must fire on. A space's events are the (parent, process) pairs of its parents and children
 * selections; membership is decided on the generated tree's ground truth (catalogue entry names and
 * variants), never on rendered strings.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { ErrorObject } from 'ajv';
import { CATALOG, findEntry, type CatalogEntry } from '../../generators/catalog/index.js';
import { createDiagnostic, type Diagnostic, type Position } from '../diagnostics/diagnostic.js';
import { compileSchemaFile, schemaDiagnostics } from '../load/json-schema.js';
import { loadYamlFile, type YamlDocument, type YamlPath } from '../load/yaml.js';
import type { SigmaRule } from '../model/rule.js';

/** The file in each rule's test folder that holds its scenario spec. */
export const SCENARIO_FILE = 'scenarios.yml';

/** Which catalogue entries and variants a space draws from (see schemas/scenario.schema.json). */
export interface ScenarioSelector {
  readonly names?: readonly string[];
  readonly tags?: readonly string[];
  readonly exclude?: readonly string[];
}

/** A process the catalogue does not have, derived from a catalogue entry. */
export interface ScenarioVariant {
  readonly name: string;
  /** The catalogue entry it derives from. */
  readonly of: string;
  /** A look-alike image file name: another program. */
  readonly fileName?: string;
  /** Arguments replacing the entry's typical ones. */
  readonly arguments?: readonly string[];
  /** For w3wp.exe: the application pool, run under its own identity. */
  readonly appPool?: string;
}

/** The three kinds of space: what the rule must catch, benign events it is documented to fire on, and the rest. */
export type SpaceKind = 'true-positive' | 'false-positive' | 'background';

/** One space of a scenario spec. */
export interface ScenarioSpace {
  readonly kind: SpaceKind;
  readonly name: string;
  readonly description?: string;
  readonly parents: ScenarioSelector;
  /** Absent only for background spaces whose trees are a root alone. */
  readonly children?: ScenarioSelector;
  readonly descendants?: ScenarioSelector;
  readonly depth?: number;
  readonly minChildren?: number;
  readonly maxChildren?: number;
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
  /** The spec file relative to the repository root, forward slashes. */
  readonly file: string;
  readonly variants: readonly ScenarioVariant[];
  /** True positives, then false positives, then background, each in file order. */
  readonly spaces: readonly ScenarioSpace[];
  readonly ruleIdAt: Position;
  readonly document: YamlDocument;
}

interface RawSpace {
  name: string;
  description?: string;
  parents: ScenarioSelector;
  children?: ScenarioSelector;
  descendants?: ScenarioSelector;
  depth?: number;
  minChildren?: number;
  maxChildren?: number;
  falsepositive?: number | string;
  filters?: string[];
}

interface RawSpec {
  rule: string;
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

/** The catalogue entries and variants a selector picks: the ground-truth identities of its processes. */
export interface ResolvedSelector {
  /** Identities: catalogue names and variant names. */
  readonly ids: ReadonlySet<string>;
  readonly entries: readonly CatalogEntry[];
  readonly variants: readonly ScenarioVariant[];
}

/**
 * Resolves a selector against the generators' catalogue and the spec's variants: catalogue entries
 * named or carrying a tag, variants named, minus those excluded. Unknown names and tags are left out
 * (`describeSpecProblems` reports them).
 */
export function resolveSelector(selector: ScenarioSelector, variants: readonly ScenarioVariant[]): ResolvedSelector {
  const names = new Set((selector.names ?? []).map((name) => name.toLowerCase()));
  const tags = new Set(selector.tags ?? []);
  const excluded = new Set((selector.exclude ?? []).map((name) => name.toLowerCase()));
  const entries = CATALOG.filter(
    (entry) => !excluded.has(entry.name) && (names.has(entry.name) || entry.roles.some((role) => tags.has(role))),
  );
  const chosen = variants.filter((variant) => names.has(variant.name.toLowerCase()) && !excluded.has(variant.name.toLowerCase()));
  return { ids: new Set([...entries.map((entry) => entry.name), ...chosen.map((variant) => variant.name)]), entries, variants: chosen };
}

function readSpaces(raw: RawSpec, document: YamlDocument): ScenarioSpace[] {
  return SECTIONS.flatMap(({ key, kind }) =>
    (raw[key] ?? []).map((space, index): ScenarioSpace => {
      const path: YamlPath = [key, index];
      return {
        kind,
        name: space.name,
        ...(space.description !== undefined ? { description: space.description } : {}),
        parents: space.parents,
        ...(space.children !== undefined ? { children: space.children } : {}),
        ...(space.descendants !== undefined ? { descendants: space.descendants } : {}),
        ...(space.depth !== undefined ? { depth: space.depth } : {}),
        ...(space.minChildren !== undefined ? { minChildren: space.minChildren } : {}),
        ...(space.maxChildren !== undefined ? { maxChildren: space.maxChildren } : {}),
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

/** Checks a parsed scenario document against schemas/scenario.schema.json and the catalogue. */
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
    file,
    variants,
    spaces: readSpaces(raw, document),
    ruleIdAt: document.locate(['rule']),
    document,
  };
  const problems = describeSpecProblems(spec);
  return problems.some((d) => d.severity === 'error') ? { diagnostics: [...loadDiagnostics, ...problems] } : { spec, diagnostics: [...loadDiagnostics, ...problems] };
}

const KNOWN_TAGS: ReadonlySet<string> = new Set(CATALOG.flatMap((entry) => entry.roles));

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
  variantNames: ReadonlySet<string>,
  variants: readonly ScenarioVariant[],
  report: (path: YamlPath, code: string, message: string) => void,
): void {
  for (const key of ['names', 'exclude'] as const) {
    (selector[key] ?? []).forEach((name, index) => {
      if (findEntry(name) === undefined && !variantNames.has(name.toLowerCase())) {
        report([...path, key, index], 'scenario/unknown-name', `'${name}' is neither a catalogue entry nor a variant of this spec`);
      }
    });
  }
  (selector.tags ?? []).forEach((tag, index) => {
    if (!KNOWN_TAGS.has(tag)) report([...path, 'tags', index], 'scenario/unknown-tag', `'${tag}' is not a role tag of the catalogue (${[...KNOWN_TAGS].join(', ')})`);
  });
  if (resolveSelector(selector, variants).ids.size === 0) report(path, 'scenario/empty-selection', 'the selection picks no process');
}

/**
 * What is wrong with a spec beyond its schema: unknown names and tags, empty selections, bad variants,
 * duplicate space names, and true-positive and false-positive spaces that share an event (a filter
 * could then not remove the false positive without removing a true positive).
 */
export function describeSpecProblems(spec: ScenarioSpec): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const report = (path: YamlPath, code: string, message: string): void => {
    diagnostics.push(createDiagnostic(spec.file, spec.document.locate(path), code, 'error', message));
  };
  checkVariants(spec, report);
  const variantNames = new Set(spec.variants.map((variant) => variant.name.toLowerCase()));
  const names = new Set<string>();
  for (const space of spec.spaces) {
    if (names.has(space.name)) report([...space.path, 'name'], 'scenario/duplicate-name', `another space is already named '${space.name}'`);
    names.add(space.name);
    for (const key of ['parents', 'children', 'descendants'] as const) {
      const selector = space[key];
      if (selector !== undefined) checkSelector(selector, [...space.path, key], variantNames, spec.variants, report);
    }
  }
  if (diagnostics.length > 0) return diagnostics;
  const truePairs = new Map<string, string>();
  for (const space of spec.spaces.filter((s) => s.kind === 'true-positive')) {
    for (const pair of listPairs(space, spec.variants)) if (!truePairs.has(pair)) truePairs.set(pair, space.name);
  }
  for (const space of spec.spaces.filter((s) => s.kind === 'false-positive')) {
    const shared = listPairs(space, spec.variants).filter((pair) => truePairs.has(pair));
    const first = shared[0];
    if (first !== undefined) {
      report(space.path, 'scenario/overlap', `false-positive space '${space.name}' shares ${shared.length} event kind(s) with true-positive space '${truePairs.get(first) ?? ''}', e.g. ${first.replace('\u0000', ' -> ')}`);
    }
  }
  return diagnostics;
}

/** The (parent, process) identity pairs of a true- or false-positive space, as `parent\0child` keys. */
export function listPairs(space: ScenarioSpace, variants: readonly ScenarioVariant[]): string[] {
  if (space.children === undefined) return [];
  const parents = resolveSelector(space.parents, variants).ids;
  const children = resolveSelector(space.children, variants).ids;
  return [...parents].flatMap((parent) => [...children].map((child) => `${parent}\u0000${child}`));
}

/**
 * Checks the spec against its rule: the rule id, and that each false-positive space names one of the
 * rule's falsepositives entries (by 0-based index or by the start of its text).
 */
export function checkSpecAgainstRule(spec: ScenarioSpec, rule: SigmaRule): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  if (rule.id !== spec.ruleId) {
    diagnostics.push(createDiagnostic(spec.file, spec.ruleIdAt, 'scenario/rule-id', 'error', `${spec.file} describes rule ${spec.ruleId}, but the rule's id is ${rule.id ?? '(none)'}`));
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
