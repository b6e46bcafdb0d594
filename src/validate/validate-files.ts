import { createDiagnostic, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SigmaRule } from '../model/rule.js';
import { loadYamlFile, parseYaml, type YamlDocument } from '../load/yaml.js';
import { classifyDocument, parseRule, type ParseRuleResult } from '../parse/parse-rule.js';
import { loadAttackCatalog, type AttackCatalog } from '../attack/catalog.js';
import type { ListedFile } from '../files/list-files.js';
import { collectRuleFiles } from '../files/list-rule-files.js';
import type { Mapping } from '../mapping/mapping.js';
import type { LintContext, LintDocument } from './lint.js';
import { listLints } from './lint-registry.js';
import { explainSchemaErrors } from './schema-messages.js';
import { getSchemaValidators } from './sigma-schemas.js';

/** How to validate. */
export interface ValidateOptions {
  /** The folder relative paths are resolved against and diagnostics are named from; `process.cwd()` by default. */
  readonly cwd?: string;
  /** The ATT&CK release tags are checked against; the project's copy (data/attack) by default. */
  readonly attack?: AttackCatalog;
  /** How many files are read at once; 8 by default. */
  readonly concurrency?: number;
  /** The log-source mappings; with them, a rule no mapping routes any event to gets a warning. */
  readonly mapping?: Mapping;
  /** The repository, when the paths are its own folders: paths resolving outside it are refused (see listFiles). */
  readonly root?: string;
}

/** Everything one validation run found. */
export interface ValidationResult {
  /** The files validated (display names), in walk order. */
  readonly files: readonly string[];
  /** How many YAML documents were read. */
  readonly documents: number;
  /** Every problem, sorted by file, line and column. */
  readonly diagnostics: readonly Diagnostic[];
  /** The detection rules that parsed, in walk order, so callers need not load them again. */
  readonly rules: readonly SigmaRule[];
  /** Every Sigma document read (each YAML document that is a mapping), in walk order, parsed or not. */
  readonly sigmaDocuments: readonly LintDocument[];
}

/** One file's findings before the cross-file lints run. */
interface FileOutcome {
  readonly diagnostics: Diagnostic[];
  readonly documents: LintDocument[];
  readonly documentCount: number;
}

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// Parsing is another module's code running on hostile input: a bug there must cost one document, not the run.
function parseSafely(document: YamlDocument, file: string): ParseRuleResult {
  try {
    return parseRule(document, file);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      diagnostics: [createDiagnostic(file, document.locate([]), 'internal/parse-failed', 'error',
        `the rule could not be parsed because of an internal error (${reason}); please report it`)],
    };
  }
}

/** Schema-validates, parses and lints the documents of one YAML text. */
function validateDocuments(documents: readonly YamlDocument[], file: string, context: LintContext): FileOutcome {
  const diagnostics: Diagnostic[] = [];
  const lintDocuments: LintDocument[] = [];
  const validators = getSchemaValidators();
  // An empty document next to real ones (a stray `---`) is harmless YAML; alone it is an empty file.
  const meaningful = documents.filter((document) => document.value !== null && document.value !== undefined);
  meaningful.forEach((document, index) => {
    const parsed = parseSafely(document, file);
    if (!isRecord(document.value)) {
      diagnostics.push(...parsed.diagnostics);
      return;
    }
    const kind = classifyDocument(document.value);
    const validate = validators[kind];
    const schemaDiagnostics = validate(document.value) ? [] : explainSchemaErrors(validate.errors ?? [], document, file, kind);
    const lintDocument: LintDocument = {
      file,
      index,
      kind,
      raw: document.value,
      source: document,
      ...(parsed.rule ? { rule: parsed.rule } : {}),
      parseDiagnostics: parsed.diagnostics,
    };
    lintDocuments.push(lintDocument);
    const lintDiagnostics = listLints().flatMap((lint) => (lint.scope === 'document' ? lint.check(lintDocument, context) : []));
    diagnostics.push(...schemaDiagnostics, ...withoutSchemaDuplicates([...parsed.diagnostics, ...lintDiagnostics], schemaDiagnostics));
  });
  return { diagnostics, documents: lintDocuments, documentCount: meaningful.length };
}

// One useful error per place: where the schema already reported an error, other errors at the very same
// position are consequences of it (an empty condition is also a condition syntax error; a missing condition is
// reported by the schema and by the detection parser). Warnings there say something else and stay.
function withoutSchemaDuplicates(found: readonly Diagnostic[], schema: readonly Diagnostic[]): Diagnostic[] {
  const taken = new Set(schema.map((d) => `${d.line}:${d.column}`));
  return found.filter((d) => d.severity !== 'error' || !taken.has(`${d.line}:${d.column}`));
}

function completeFile(file: string, loadDiagnostics: readonly Diagnostic[], documents: readonly YamlDocument[], context: LintContext): FileOutcome {
  const outcome = validateDocuments(documents, file, context);
  const diagnostics = [...loadDiagnostics, ...outcome.diagnostics];
  if (outcome.documentCount === 0 && diagnostics.length === 0) {
    diagnostics.push(createDiagnostic(file, { line: 1, column: 1 }, 'file/empty', 'error', 'the file holds no Sigma rule (it is empty or only comments)'));
  }
  return { ...outcome, diagnostics };
}

async function validateFile(file: ListedFile, context: LintContext): Promise<FileOutcome> {
  const loaded = await loadYamlFile(file.absolutePath, file.displayName);
  return completeFile(file.displayName, loaded.diagnostics, loaded.documents, context);
}

function runCollectionLints(outcomes: readonly FileOutcome[], context: LintContext): Diagnostic[] {
  const documents = outcomes.flatMap((outcome) => outcome.documents);
  return listLints().flatMap((lint) => (lint.scope === 'collection' ? lint.check(documents, context) : []));
}

/** A rule file's text held in memory, with the name diagnostics give it. */
export interface RuleSource {
  readonly file: string;
  readonly text: string;
}

/**
 * Validates rule texts held in memory exactly as `validateFileSet` validates files (editors, tests, tools
 * that already read the files), cross-file lints included; returns the sorted diagnostics.
 */
export function validateSources(sources: readonly RuleSource[], options: Pick<ValidateOptions, 'attack' | 'mapping'> = {}): Diagnostic[] {
  const context: LintContext = { attack: options.attack ?? loadAttackCatalog(), ...(options.mapping ? { mapping: options.mapping } : {}) };
  const outcomes = sources.map((source) => {
    const parsed = parseYaml(source.text, source.file);
    return completeFile(source.file, parsed.diagnostics, parsed.documents, context);
  });
  return sortDiagnostics([...outcomes.flatMap((outcome) => outcome.diagnostics), ...runCollectionLints(outcomes, context)]);
}

/** Runs `work` over `items` with at most `limit` in flight, keeping results in input order. */
async function mapWithLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/**
 * Validates Sigma files and folders (`.yml`/`.yaml`, walked recursively): YAML problems, the JSON schema of
 * each document's kind (detection rule, correlation rule, filter), what parsing the detection finds, and the
 * lints of the lint registry, including cross-file ones (duplicate ids, unknown referenced rules). Every
 * problem becomes a diagnostic; an unreadable file or a broken one never stops the others.
 */
export async function validateFileSet(paths: readonly string[], options: ValidateOptions = {}): Promise<ValidationResult> {
  const cwd = options.cwd ?? process.cwd();
  const context: LintContext = { attack: options.attack ?? loadAttackCatalog(), ...(options.mapping ? { mapping: options.mapping } : {}) };
  const collected = await collectRuleFiles(paths, cwd, options.root !== undefined ? { root: options.root } : {});
  const outcomes = await mapWithLimit(collected.files, options.concurrency ?? 8, (file) => validateFile(file, context));
  const crossFile = runCollectionLints(outcomes, context);
  const all = [...collected.diagnostics, ...outcomes.flatMap((outcome) => outcome.diagnostics), ...crossFile];
  return {
    files: collected.files.map((file) => file.displayName),
    documents: outcomes.reduce((sum, outcome) => sum + outcome.documentCount, 0),
    diagnostics: sortDiagnostics(all),
    rules: outcomes.flatMap((outcome) => outcome.documents.flatMap((document) => (document.rule ? [document.rule] : []))),
    sigmaDocuments: outcomes.flatMap((outcome) => outcome.documents),
  };
}

/** Validates Sigma files and folders and returns every diagnostic, sorted (see `validateFileSet`). */
export async function validateFiles(paths: readonly string[], options: ValidateOptions = {}): Promise<Diagnostic[]> {
  return [...(await validateFileSet(paths, options)).diagnostics];
}
