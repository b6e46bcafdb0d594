import { join, relative, sep } from 'node:path';
import { createDiagnostic, type Diagnostic, type Position } from '../diagnostics/diagnostic.js';
import { listRepositoryRuleFiles } from '../files/list-rule-files.js';
import { loadYamlFile, parseYaml, type YamlDocument } from '../load/yaml.js';
import { formatCanonicalJson, hashText } from './canonical-json.js';

/**
 * The sections that decide what a rule matches (Sigma specification v2.1): the log source and the
 * detection of a detection rule, or the body of a correlation rule or a filter. Everything else
 * (title, description, tags, level, falsepositives, dates) is metadata.
 */
export const LOGIC_KEYS = ['logsource', 'detection', 'correlation', 'filter'] as const;

/** One Sigma document as version bookkeeping sees it: identity, dates and the hash of its logic. */
export interface RuleVersion {
  /** Repository-relative path, forward slashes. */
  readonly file: string;
  /** Index of the YAML document in the file (rule files hold one, collections several). */
  readonly document: number;
  readonly id?: string;
  readonly title: string;
  /** `modified`, or `date` when the rule was never modified, as written. */
  readonly modified?: string;
  /** SHA-256 of the canonical JSON of the logic sections (`sha256:<hex>`). */
  readonly logicHash: string;
  /** Canonical JSON of the `logsource` section alone, to tell a log-source change from a detection change. */
  readonly logsource: string;
  /** Canonical JSON of the whole document, to tell a metadata edit from no edit at all. */
  readonly canonical: string;
  readonly raw: Readonly<Record<string, unknown>>;
  readonly source: YamlDocument;
  /** The git revision the version was read from; absent for the working tree. */
  readonly revision?: string;
}

/** Rules read from files, and the problems met while reading them. */
export interface RuleVersionSet {
  readonly rules: readonly RuleVersion[];
  readonly diagnostics: readonly Diagnostic[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const scalarText = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

/** Hashes what a rule matches: its logic sections in canonical JSON, absent sections left out. */
export function computeLogicHash(raw: Readonly<Record<string, unknown>>): string {
  const logic: Record<string, unknown> = {};
  for (const key of LOGIC_KEYS) if (raw[key] !== undefined) logic[key] = raw[key];
  return hashText(formatCanonicalJson(logic));
}

/** Describes one parsed YAML document as a rule version; documents that are not mappings give none. */
export function describeRuleVersion(
  document: YamlDocument,
  file: string,
  index = 0,
  revision?: string,
): RuleVersion | undefined {
  const raw = document.value;
  if (!isRecord(raw)) return undefined;
  const id = scalarText(raw.id);
  const modified = scalarText(raw.modified) ?? scalarText(raw.date);
  return {
    file,
    document: index,
    ...(id !== undefined ? { id } : {}),
    title: scalarText(raw.title) ?? '',
    ...(modified !== undefined ? { modified } : {}),
    logicHash: computeLogicHash(raw),
    logsource: formatCanonicalJson(raw.logsource ?? null),
    canonical: formatCanonicalJson(raw),
    raw,
    source: document,
    ...(revision !== undefined ? { revision } : {}),
  };
}

/** Reads the rule versions of one YAML text (a file's content at some revision). */
export function readRuleVersionsFromText(text: string, file: string, revision?: string): RuleVersionSet {
  const parsed = parseYaml(text, file);
  const rules = parsed.documents.flatMap((document, index) => {
    const rule = describeRuleVersion(document, file, index, revision);
    return rule ? [rule] : [];
  });
  return { rules, diagnostics: parsed.diagnostics };
}

/** Converts an OS path relative to the repository into the forward-slash form reports and the lock use. */
export function toRepoPath(repoRoot: string, path: string): string {
  return relative(repoRoot, path).split(sep).join('/');
}

/** Orders strings by UTF-16 code units, the same on every machine and locale. */
export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Reads every rule file under the rules folder of the working tree (or just `files`, when given). */
export async function readRuleVersions(
  repoRoot: string,
  rulesDir: string,
  files?: readonly string[],
): Promise<RuleVersionSet> {
  const listed = files ? { files, diagnostics: [] } : await listRepositoryRuleFiles(repoRoot, rulesDir);
  const paths = listed.files;
  const rules: RuleVersion[] = [];
  const diagnostics: Diagnostic[] = [...listed.diagnostics];
  for (const file of paths) {
    const loaded = await loadYamlFile(join(repoRoot, file), file);
    diagnostics.push(...loaded.diagnostics);
    loaded.documents.forEach((document, index) => {
      const rule = describeRuleVersion(document, file, index);
      if (rule) rules.push(rule);
    });
  }
  return { rules, diagnostics };
}

/** Where to point at a rule's `id:` line (its start when it has none). */
export function locateId(rule: RuleVersion): Position {
  return rule.raw.id === undefined ? rule.source.locate([]) : rule.source.locateKey(['id']);
}

/** Where to point at a rule's `modified:` line, falling back to `date:` and then `id:`. */
export function locateModified(rule: RuleVersion): Position {
  if (rule.raw.modified !== undefined) return rule.source.locateKey(['modified']);
  if (rule.raw.date !== undefined) return rule.source.locateKey(['date']);
  return locateId(rule);
}

/** Builds the diagnostic for a rule document that has no id: it cannot be tracked across versions. */
export function diagnoseMissingId(rule: RuleVersion): Diagnostic {
  return createDiagnostic(rule.file, locateId(rule), 'version/missing-id', 'error',
    'the rule has no id; version bookkeeping tracks a rule by its id, so give it a UUID');
}
