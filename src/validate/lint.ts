import { createDiagnostic, type Diagnostic, type Severity } from '../diagnostics/diagnostic.js';
import type { YamlDocument, YamlPath } from '../load/yaml.js';
import type { SigmaDocumentKind, SigmaRule } from '../model/rule.js';
import type { AttackCatalog } from '../attack/catalog.js';
import type { Mapping } from '../mapping/mapping.js';

/** One Sigma document as the lints see it: the data as written, where it was written, and what parsing made of it. */
export interface LintDocument {
  readonly file: string;
  /** 0-based position of the document in its file (multi-document YAML). */
  readonly index: number;
  readonly kind: SigmaDocumentKind;
  /** The mapping as written; lints must not trust its shape (the schema reports wrong shapes). */
  readonly raw: Readonly<Record<string, unknown>>;
  readonly source: YamlDocument;
  /** The parsed detection rule, when the document is one and its detection could be parsed. */
  readonly rule?: SigmaRule;
  /** What parsing reported, so a lint can stay quiet where the parser already spoke. */
  readonly parseDiagnostics: readonly Diagnostic[];
}

/** What lints may consult besides the documents. */
export interface LintContext {
  readonly attack: AttackCatalog;
  /** The log-source mappings, when the caller has them: lints about routing events to rules need them. */
  readonly mapping?: Mapping;
}

interface LintInfo {
  /** The diagnostic code, `area/what`; the module lives at `lints/<code>.ts`. */
  readonly code: string;
  readonly severity: Severity;
  /** One line: what the lint finds (SARIF `shortDescription`). */
  readonly summary: string;
  /** Why it matters and how to fix it (SARIF `help`). */
  readonly help: string;
}

/** A lint that looks at one document at a time. */
export interface DocumentLint extends LintInfo {
  readonly scope: 'document';
  check(document: LintDocument, context: LintContext): Diagnostic[];
}

/** A lint that looks across every document validated in one run (duplicate ids, references). */
export interface CollectionLint extends LintInfo {
  readonly scope: 'collection';
  check(documents: readonly LintDocument[], context: LintContext): Diagnostic[];
}

/** Either kind of lint. */
export type Lint = DocumentLint | CollectionLint;

/** Reports a lint's finding at the value (or, with `at: 'key'`, the key) found at `path` in a document. */
export function reportAt(
  lint: LintInfo,
  document: LintDocument,
  path: YamlPath,
  message: string,
  at: 'value' | 'key' = 'value',
): Diagnostic {
  const position = at === 'key' ? document.source.locateKey(path) : document.source.locate(path);
  return createDiagnostic(document.file, position, lint.code, lint.severity, message);
}

/** The text value of a top-level field, if it is text. */
export function readText(document: LintDocument, key: string): string | undefined {
  const value = document.raw[key];
  return typeof value === 'string' ? value : undefined;
}

/** A mapping-valued field as a record, if it is a mapping. */
export function readMapping(value: unknown): Readonly<Record<string, unknown>> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Readonly<Record<string, unknown>>)
    : undefined;
}

/** Quotes a user value for a one-line message: control characters escaped, long text shortened. */
export function quote(value: string, max = 80): string {
  const shortened = value.length > max ? `${value.slice(0, max - 1)}…` : value;
  // Newlines and other control characters would break the one-diagnostic-per-line text output.
  const escaped = shortened.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) => {
    const named: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `'${escaped}'`;
}

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of neighbours (optimal string
 * alignment), so the typo `hgih` is one edit from `high`; capped: returns `limit + 1` once it exceeds `limit`.
 */
export function measureEditDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, (beforePrevious[j - 2] ?? 0) + 1);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin > limit) return limit + 1;
    beforePrevious = previous;
    previous = current;
  }
  return Math.min(previous[b.length] ?? limit + 1, limit + 1);
}

/** The closest candidate to `word` within a small edit distance (case-insensitive), for "did you mean". */
export function suggestClosest(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  // Short words are close to many others: two-letter keys only match up to letter case.
  const limit = lower.length <= 2 ? 0 : lower.length <= 5 ? 1 : 2;
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const distance = measureEditDistance(lower, candidate.toLowerCase(), limit);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
