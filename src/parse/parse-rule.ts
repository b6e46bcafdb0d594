import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { YamlDocument } from '../load/yaml.js';
import type { LogSource, SigmaDocumentKind, SigmaMetadata, SigmaRule } from '../model/rule.js';
import { parseDetection } from './parse-detection.js';

/** The outcome of parsing one YAML document as a Sigma document. */
export interface ParseRuleResult {
  /** Set for a detection rule whose detection could be parsed. */
  readonly rule?: SigmaRule;
  /** Set for every document that is a mapping: detection rules, correlation rules and filters alike. */
  readonly metadata?: SigmaMetadata;
  readonly diagnostics: readonly Diagnostic[];
}

type RawDocument = Readonly<Record<string, unknown>>;

const isRecord = (value: unknown): value is RawDocument =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

const texts = (value: unknown): string[] =>
  Array.isArray(value) ? value.flatMap((item) => (text(item) === undefined ? [] : [text(item) as string])) : [];

/** Which kind of Sigma document this is, by the section that only that kind has. */
export function classifyDocument(raw: RawDocument): SigmaDocumentKind {
  if ('correlation' in raw) return 'correlation';
  if ('filter' in raw) return 'filter';
  return 'detection';
}

function readMetadata(raw: RawDocument, document: YamlDocument, file: string): SigmaMetadata {
  return {
    kind: classifyDocument(raw),
    file,
    id: text(raw.id),
    name: text(raw.name),
    title: text(raw.title) ?? '',
    status: text(raw.status),
    level: text(raw.level),
    description: text(raw.description),
    author: text(raw.author),
    date: text(raw.date),
    modified: text(raw.modified),
    references: texts(raw.references),
    tags: texts(raw.tags),
    falsepositives: texts(raw.falsepositives),
    raw,
    source: document,
  };
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

/**
 * Parses one YAML document as a Sigma document. Metadata is read leniently (the schema judges its
 * shape); the detection of a detection rule is parsed into the engine's model, with diagnostics.
 */
export function parseRule(document: YamlDocument, file: string): ParseRuleResult {
  const raw = document.value;
  if (!isRecord(raw)) {
    return {
      diagnostics: [createDiagnostic(file, document.locate([]), 'rule/not-a-mapping', 'error', 'a Sigma document must be a mapping of fields')],
    };
  }
  const metadata = readMetadata(raw, document, file);
  if (metadata.kind !== 'detection') return { metadata, diagnostics: [] };
  if (!('detection' in raw)) {
    // The schema reports the missing section; nothing to compile.
    return { metadata, diagnostics: [] };
  }
  const parsed = parseDetection(raw.detection, document, file);
  if (!parsed.detection) return { metadata, diagnostics: parsed.diagnostics };
  const rule: SigmaRule = {
    ...metadata,
    kind: 'detection',
    logsource: readLogSource(raw.logsource),
    detection: parsed.detection,
    fields: texts(raw.fields),
  };
  return { rule, metadata, diagnostics: parsed.diagnostics };
}
