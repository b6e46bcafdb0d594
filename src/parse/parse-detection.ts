/**
 * Parses a rule's `detection` mapping into the engine's model (Sigma specification v2.1, "Detection"
 * and "Condition"), applying modifier chains and linting the condition. Every problem becomes a
 * diagnostic at the key or value it is about; parsing goes on with the rest.
 */
import { createDiagnostic, type Diagnostic, type Position, type Severity } from '../diagnostics/diagnostic.js';
import type { YamlDocument, YamlPath } from '../load/yaml.js';
import type { ConditionNode } from '../model/condition.js';
import type {
  ConditionEntry,
  Detection,
  DetectionItem,
  DetectionNode,
  SearchIdentifier,
  SigmaValue,
  SourceRef,
} from '../model/detection.js';
import { applyModifierChain } from '../modifiers/apply-modifiers.js';
import { collectReferences, parseCondition, selectIdentifiers } from './condition.js';

/** The outcome of parsing a detection: the model (when there is one) and every problem found. */
export interface ParseDetectionResult {
  readonly detection?: Detection;
  readonly diagnostics: Diagnostic[];
}

const RESERVED_KEYS = new Set(['condition', 'timeframe']);

type Raw = Readonly<Record<string, unknown>>;

const isMapping = (value: unknown): value is Raw => typeof value === 'object' && value !== null && !Array.isArray(value);

const isScalar = (value: unknown): boolean =>
  value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';

/** Renders a YAML scalar as rule text for explanations. */
function formatRaw(raw: unknown): string {
  return typeof raw === 'string' ? raw : raw === null ? 'null' : String(raw);
}

class DetectionParser {
  readonly diagnostics: Diagnostic[] = [];

  constructor(
    private readonly document: YamlDocument,
    private readonly file: string,
  ) {}

  report(position: Position, code: string, severity: Severity, message: string): void {
    this.diagnostics.push(createDiagnostic(this.file, position, code, severity, message));
  }

  ref(path: YamlPath): SourceRef {
    return { path, position: this.document.locate(path) };
  }

  keyRef(path: YamlPath): SourceRef {
    return { path, position: this.document.locateKey(path) };
  }

  /** One `key: value` entry of a map: a field item, or a keyword item when the key starts with `|`. */
  parseItem(key: string, raw: unknown, path: YamlPath): DetectionItem | undefined {
    const [fieldName = '', ...chain] = key.split('|');
    const field = fieldName === '' ? undefined : fieldName;
    const keyRef = this.keyRef(path);
    let rawValues: readonly unknown[];
    let valuePaths: YamlPath[];
    const fromList = Array.isArray(raw);
    if (Array.isArray(raw)) {
      rawValues = raw;
      valuePaths = raw.map((_, index) => [...path, index]);
      if (raw.length === 0) {
        if (field === undefined) {
          this.report(keyRef.position, 'value/empty-list', 'error', 'an empty keyword list matches nothing');
          return undefined;
        }
        // pySigma turns an item without values into a null test: the field is missing or null.
        this.report(keyRef.position, 'value/empty-list', 'warning', `an empty list tests that '${field}' is missing or null; write null if that is meant`);
        rawValues = [null];
        valuePaths = [path];
      }
    } else {
      rawValues = [raw];
      valuePaths = [path];
    }
    if (field === undefined && rawValues.some((value) => value === null)) {
      this.report(keyRef.position, 'value/null-keyword', 'error', 'null must be bound to a field; a keyword cannot be null');
      return undefined;
    }
    const applied = applyModifierChain(field, chain, rawValues, fromList);
    for (const problem of applied.problems) {
      const at = problem.valueIndex === undefined ? keyRef.position : this.document.locate(valuePaths[problem.valueIndex] ?? path);
      this.report(at, problem.code, problem.severity, problem.message);
    }
    if (applied.values.some((value) => value === undefined) || applied.problems.some((problem) => problem.severity === 'error')) return undefined;
    return {
      kind: 'item',
      field,
      modifiers: chain,
      values: applied.values as SigmaValue[],
      linking: applied.linking,
      negated: applied.negated,
      key: keyRef,
      valueRefs: valuePaths.map((valuePath) => this.ref(valuePath)),
      originals: rawValues.map(formatRaw),
    };
  }

  /** A keyword list (or single keyword): one item without a field, values OR-linked. */
  parseKeywords(raw: readonly unknown[], path: YamlPath, paths: readonly YamlPath[]): DetectionItem | undefined {
    if (raw.some((value) => value === null)) {
      this.report(this.document.locate(path), 'value/null-keyword', 'error', 'null must be bound to a field; a keyword cannot be null');
      return undefined;
    }
    const applied = applyModifierChain(undefined, [], raw, false);
    for (const problem of applied.problems) {
      const at = this.document.locate(problem.valueIndex === undefined ? path : (paths[problem.valueIndex] ?? path));
      this.report(at, problem.code, problem.severity, problem.message);
    }
    if (applied.values.some((value) => value === undefined)) return undefined;
    return {
      kind: 'item',
      field: undefined,
      modifiers: [],
      values: applied.values as SigmaValue[],
      linking: 'or',
      negated: false,
      key: this.ref(path),
      valueRefs: paths.map((valuePath) => this.ref(valuePath)),
      originals: raw.map(formatRaw),
    };
  }

  /** A map: its items AND-linked (spec "Maps"). */
  parseMap(raw: Raw, path: YamlPath): DetectionNode | undefined {
    const entries = Object.entries(raw);
    if (entries.length === 0) {
      this.report(this.document.locate(path), 'detection/empty', 'error', 'an empty map matches nothing');
      return undefined;
    }
    const items: DetectionNode[] = [];
    let failed = false;
    for (const [key, value] of entries) {
      const item = this.parseItem(key, value, [...path, key]);
      if (item) items.push(item);
      else failed = true;
    }
    if (failed) return undefined;
    return items.length === 1 ? items[0] : { kind: 'and', items, source: this.ref(path) };
  }

  /** Any search-identifier body: map, list (of values, maps or lists), or a single keyword. */
  parseBody(raw: unknown, path: YamlPath): DetectionNode | undefined {
    if (isMapping(raw)) return this.parseMap(raw, path);
    if (Array.isArray(raw)) {
      if (raw.length === 0) {
        this.report(this.document.locate(path), 'detection/empty', 'error', 'an empty list matches nothing');
        return undefined;
      }
      // A list of plain values is one keyword item (spec "Lists"); otherwise each element is its own body.
      if (raw.every(isScalar)) return this.parseKeywords(raw, path, raw.map((_, index) => [...path, index]));
      const items: DetectionNode[] = [];
      let failed = false;
      raw.forEach((element, index) => {
        const elementPath = [...path, index];
        const node = isScalar(element) ? this.parseKeywords([element], elementPath, [elementPath]) : this.parseBody(element, elementPath);
        if (node) items.push(node);
        else failed = true;
      });
      if (failed) return undefined;
      return items.length === 1 ? items[0] : { kind: 'or', items, source: this.ref(path) };
    }
    if (isScalar(raw)) return this.parseKeywords([raw], path, [path]);
    this.report(this.document.locate(path), 'detection/invalid-type', 'error', 'a search identifier must be a map, a list or a value');
    return undefined;
  }

  /** Where offset `offset` of the condition string at `path` is, inside any quotes. */
  locateInCondition(path: YamlPath, offset: number): Position {
    return this.document.locateInScalar(path, offset);
  }

  /** Every condition that parsed, linted or not (for the unused-identifier lint). */
  readonly parsedConditions: ConditionNode[] = [];

  parseConditions(raw: unknown, identifiers: ReadonlyMap<string, SearchIdentifier>): ConditionEntry[] {
    const conditionPath: YamlPath = ['detection', 'condition'];
    const texts: { text: string; path: YamlPath }[] = [];
    if (typeof raw === 'string') texts.push({ text: raw, path: conditionPath });
    else if (Array.isArray(raw) && raw.length > 0) {
      raw.forEach((element, index) => {
        if (typeof element === 'string') texts.push({ text: element, path: [...conditionPath, index] });
        else this.report(this.document.locate([...conditionPath, index]), 'condition/invalid-type', 'error', 'a condition must be a string');
      });
    } else {
      this.report(this.document.locate(conditionPath), 'condition/invalid-type', 'error', 'the condition must be a string or a list of strings');
    }
    const names = [...identifiers.keys()];
    const entries: ConditionEntry[] = [];
    for (const { text, path } of texts) {
      const parsed = parseCondition(text);
      for (const problem of parsed.problems) {
        // An empty condition has no inside to point into: point at the value, as the schema does.
        const at = problem.code === 'condition/empty' ? this.document.locate(path) : this.locateInCondition(path, problem.offset);
        this.report(at, problem.code, 'error', problem.message);
      }
      if (!parsed.ast) continue;
      this.parsedConditions.push(parsed.ast);
      if (this.lintCondition(parsed.ast, names, path)) entries.push({ text, ast: parsed.ast, source: this.ref(path) });
    }
    return entries;
  }

  /** Reports identifiers the condition names but the detection lacks, and `x of` patterns selecting nothing. */
  lintCondition(ast: ConditionNode, names: readonly string[], path: YamlPath): boolean {
    let ok = true;
    for (const reference of collectReferences(ast)) {
      const at = this.locateInCondition(path, reference.span.start);
      if (reference.kind === 'identifier') {
        if (!names.includes(reference.name)) {
          this.report(at, 'condition/undefined-identifier', 'error', `the condition names '${reference.name}', which the detection does not define`);
          ok = false;
        }
      } else if (reference.kind === 'of') {
        const selected = selectIdentifiers(reference.target, names);
        const target = reference.target.kind === 'them' ? 'them' : reference.target.pattern;
        if (selected.length === 0) {
          this.report(at, 'condition/empty-pattern', 'error', `'${target}' selects no search identifier`);
          ok = false;
        } else if (typeof reference.quantifier === 'number' && reference.quantifier > selected.length) {
          this.report(at, 'condition/unsatisfiable', 'warning',
            `'${reference.quantifier} of ${target}' can never match: only ${selected.length} identifier(s) match '${target}'`);
        }
      }
    }
    return ok;
  }

  /** Reports search identifiers no condition uses (pySigma's dangling detection validator). */
  lintUnused(identifiers: ReadonlyMap<string, SearchIdentifier>): void {
    const names = [...identifiers.keys()];
    const used = new Set<string>();
    for (const condition of this.parsedConditions) {
      for (const reference of collectReferences(condition)) {
        if (reference.kind === 'identifier') used.add(reference.name);
        else if (reference.kind === 'of') for (const name of selectIdentifiers(reference.target, names)) used.add(name);
      }
    }
    for (const [name, identifier] of identifiers) {
      if (!used.has(name)) {
        this.report(this.document.locateKey(identifier.source.path), 'detection/unused-identifier', 'warning', `search identifier '${name}' is not used by the condition`);
      }
    }
  }
}

/**
 * Parses the `detection` section (`raw`, found at YAML path ['detection']) of a rule in `file`.
 * Returns no detection when an identifier, a value or the condition cannot be used.
 */
export function parseDetection(raw: unknown, doc: YamlDocument, file: string): ParseDetectionResult {
  const parser = new DetectionParser(doc, file);
  const root: YamlPath = ['detection'];
  if (!isMapping(raw)) {
    parser.report(doc.locate(root), 'detection/invalid-type', 'error', 'detection must be a map of search identifiers and a condition');
    return { diagnostics: parser.diagnostics };
  }
  const identifiers = new Map<string, SearchIdentifier>();
  let failed = false;
  for (const [name, body] of Object.entries(raw)) {
    if (RESERVED_KEYS.has(name)) continue;
    const path = [...root, name];
    const node = parser.parseBody(body, path);
    if (node) identifiers.set(name, { name, body: node, source: parser.ref(path) });
    else failed = true;
  }
  if (!('condition' in raw)) {
    parser.report(doc.locateKey(root), 'detection/missing-condition', 'error', 'detection has no condition');
    return { diagnostics: parser.diagnostics };
  }
  // Identifiers that failed to parse still count as defined, so the condition lint does not repeat them.
  const defined = new Map(identifiers);
  for (const name of Object.keys(raw)) {
    if (!RESERVED_KEYS.has(name) && !defined.has(name)) {
      defined.set(name, { name, body: { kind: 'or', items: [], source: parser.ref([...root, name]) }, source: parser.ref([...root, name]) });
    }
  }
  const conditions = parser.parseConditions(raw.condition, defined);
  const timeframe = typeof raw.timeframe === 'string' ? raw.timeframe : undefined;
  const conditionCount = typeof raw.condition === 'string' ? 1 : Array.isArray(raw.condition) ? raw.condition.length : 0;
  // Which identifiers are unused is only known once every condition could be read.
  if (parser.parsedConditions.length === conditionCount) parser.lintUnused(defined);
  if (failed || conditions.length !== conditionCount || conditionCount === 0) return { diagnostics: parser.diagnostics };
  return {
    detection: { file, identifiers, conditions, ...(timeframe === undefined ? {} : { timeframe }), source: parser.ref(root) },
    diagnostics: parser.diagnostics,
  };
}
