import type { ErrorObject } from 'ajv/dist/2020.js';
import { createDiagnostic, type Diagnostic, type Position } from '../diagnostics/diagnostic.js';
import type { YamlDocument } from '../load/yaml.js';
import type { SigmaDocumentKind } from '../model/rule.js';
import { quote, suggestClosest } from './lint.js';
import { MESSAGE_KEYWORD } from './sigma-schemas.js';

type Segment = string | number;

const NOUN: Readonly<Record<SigmaDocumentKind, string>> = {
  detection: 'the rule',
  correlation: 'the correlation rule',
  filter: 'the filter',
};

// What the required fields are, so "missing X" also says what X is for (Sigma specifications v2.1).
const FIELD_PURPOSE: ReadonlyMap<string, string> = new Map([
  ['title', 'a brief title of what is detected'],
  ['logsource', 'the log data the rule applies to'],
  ['detection', 'the search identifiers and the condition'],
  ['condition', 'how the search identifiers combine'],
  ['correlation', 'what is correlated and how'],
  ['filter', 'the rules to filter, the selections and the condition'],
  ['type', 'the kind of correlation'],
  ['rules', 'the rules, by id or name'],
  ['timespan', 'the time window, such as 5m'],
  ['field', 'the field whose values are aggregated'],
  ['id', 'the id of the related rule'],
]);

// Which error to keep when several land on one place: the most fundamental first.
const KEYWORD_RANK: ReadonlyMap<string, number> = new Map([
  ['required', 0],
  ['additionalProperties', 1],
  ['type', 2],
  ['anyOf', 3],
  ['oneOf', 3],
  ['enum', 4],
  ['const', 4],
  ['format', 5],
  ['pattern', 6],
]);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Turns an ajv instance path (JSON pointer) into YAML path segments, with list indexes as numbers. */
function decodePath(pointer: string, root: unknown): Segment[] {
  if (pointer === '') return [];
  const segments: Segment[] = [];
  let node = root;
  for (const raw of pointer.slice(1).split('/')) {
    const token = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(token)) {
      segments.push(Number(token));
      node = node[Number(token)];
    } else {
      segments.push(token);
      node = isRecord(node) && Object.hasOwn(node, token) ? node[token] : undefined;
    }
  }
  return segments;
}

/** Names a place in a document the way a rule author reads it: `detection.selection[0].Image|endswith`. */
export function labelPath(segments: readonly Segment[]): string {
  return segments.reduce<string>((label, segment) => {
    if (typeof segment === 'number') return `${label}[${segment}]`;
    return label === '' ? segment : `${label}.${segment}`;
  }, '');
}

const TYPE_WORDS: ReadonlyMap<string, string> = new Map([
  ['string', 'text'],
  ['number', 'a number'],
  ['integer', 'a whole number'],
  ['boolean', 'true or false'],
  ['null', 'null'],
  ['array', 'a list'],
  ['object', 'a mapping'],
]);

const COMPARISON_WORDS: ReadonlyMap<string, string> = new Map([
  ['<=', 'at most'],
  ['>=', 'at least'],
  ['<', 'less than'],
  ['>', 'more than'],
]);

/** Describes a value found in a document: `text 'abc'`, `the number 5`, `a list`... */
function describeValue(value: unknown): string {
  if (typeof value === 'string') return `text ${quote(value, 60)}`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null (an empty value)';
  if (Array.isArray(value)) return 'a list';
  return 'a mapping';
}

const shortValue = (value: unknown): string =>
  typeof value === 'string' ? quote(value, 60) : typeof value === 'number' || typeof value === 'boolean' ? String(value) : describeValue(value);

const listWords = (words: readonly string[], joiner = 'or'): string =>
  words.length <= 1 ? (words[0] ?? '') : `${words.slice(0, -1).join(', ')} ${joiner} ${words[words.length - 1]}`;

const hintOf = (error: ErrorObject): string | undefined => {
  const hint = error.parentSchema?.[MESSAGE_KEYWORD];
  return typeof hint === 'string' ? hint : undefined;
};

interface Finding {
  readonly position: Position;
  readonly keyword: string;
  readonly message: string;
  readonly hinted: boolean;
}

function explainRequired(errors: readonly ErrorObject[], segments: readonly Segment[], kind: SigmaDocumentKind): string {
  const missing = [...new Set(errors.map((error) => String(error.params.missingProperty)))];
  const owner = segments.length === 0 ? NOUN[kind] : `'${labelPath(segments)}'`;
  const described = missing.map((name) => {
    const purpose = FIELD_PURPOSE.get(name);
    return purpose ? `'${name}' (${purpose})` : `'${name}'`;
  });
  return `${owner} is missing the required field${missing.length > 1 ? 's' : ''} ${listWords(described, 'and')}`;
}

function explainOne(error: ErrorObject, segments: readonly Segment[], kind: SigmaDocumentKind): string {
  const label = segments.length === 0 ? NOUN[kind] : `'${labelPath(segments)}'`;
  const hint = hintOf(error);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties': {
      const key = String(params.additionalProperty);
      const allowed = isRecord(error.parentSchema?.properties) ? Object.keys(error.parentSchema.properties) : [];
      const suggestion = suggestClosest(key, allowed);
      const where = segments.length === 0 ? NOUN[kind] : `'${labelPath(segments)}'`;
      return `'${key}' is not a field of ${where}${suggestion ? `; did you mean '${suggestion}'?` : ''}${allowed.length > 0 ? ` (allowed: ${allowed.join(', ')})` : ''}`;
    }
    case 'type': {
      const types = String(params.type).split(',');
      const expected = hint ?? listWords(types.map((type) => TYPE_WORDS.get(type) ?? type));
      return `${label} must be ${expected}; got ${describeValue(error.data)}`;
    }
    case 'enum': {
      const allowed = Array.isArray(params.allowedValues) ? params.allowedValues.map(String) : [];
      const suggestion = typeof error.data === 'string' ? suggestClosest(error.data, allowed) : undefined;
      return `${label} must be one of ${listWords(allowed)}; got ${shortValue(error.data)}${suggestion ? ` (did you mean '${suggestion}'?)` : ''}`;
    }
    case 'const':
      return `${label} must be ${shortValue(params.allowedValue)}; got ${shortValue(error.data)}`;
    case 'format':
      return `${label} must be ${hint ?? `a valid ${String(params.format)}`}; got ${shortValue(error.data)}`;
    case 'pattern':
      return `${label} must be ${hint ?? `text matching ${String(params.pattern)}`}; got ${shortValue(error.data)}`;
    case 'minLength':
      return Number(params.limit) <= 1 ? `${label} must not be empty` : `${label} must be at least ${String(params.limit)} characters long`;
    case 'maxLength': {
      const length = typeof error.data === 'string' ? [...error.data].length : undefined;
      return `${label} ${length === undefined ? 'is too long' : `is ${length} characters long`}; at most ${String(params.limit)} are allowed`;
    }
    case 'minItems':
      return Number(params.limit) <= 1 ? `${label} must not be an empty list` : `${label} must list at least ${String(params.limit)} items`;
    case 'maxItems':
      return `${label} must list at most ${String(params.limit)} items`;
    case 'minProperties':
      return `${label} must not be empty`;
    case 'uniqueItems': {
      const later = Number(params.i);
      const earlier = Number(params.j);
      const item = Array.isArray(error.data) ? error.data[later] : undefined;
      return `${label} lists ${shortValue(item)} twice (items ${earlier + 1} and ${later + 1})`;
    }
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${label} must be ${COMPARISON_WORDS.get(String(params.comparison)) ?? String(params.comparison)} ${String(params.limit)}; got ${shortValue(error.data)}`;
    case 'anyOf':
    case 'oneOf':
      return `${label} must be ${hint ?? 'of one of the allowed forms'}`;
    default:
      return `${label} ${error.message ?? `fails the schema keyword '${error.keyword}'`}`;
  }
}

/**
 * Turns ajv errors for one document into diagnostics a detection engineer understands: each names the field
 * (`logsource.category`), what is allowed and what was found, sits where the field is written, and carries the
 * code `schema/<keyword>`. Cascades are cut: `if` errors and the branches of a failed `anyOf` are dropped (the
 * `anyOf` error says what is allowed), missing fields of one mapping are reported together, and one error is
 * kept per source position, the most fundamental (required, unknown field, type, ... pattern).
 */
export function explainSchemaErrors(
  errors: readonly ErrorObject[],
  document: YamlDocument,
  file: string,
  kind: SigmaDocumentKind,
): Diagnostic[] {
  const failedAlternatives = errors
    .filter((error) => error.keyword === 'anyOf' || error.keyword === 'oneOf')
    .map((error) => `${error.schemaPath}/`);
  const relevant = errors.filter(
    (error) => error.keyword !== 'if' && !failedAlternatives.some((prefix) => error.schemaPath.startsWith(prefix)),
  );

  const findings: Finding[] = [];
  const requiredByPath = new Map<string, ErrorObject[]>();
  for (const error of relevant) {
    if (error.keyword === 'required') {
      requiredByPath.set(error.instancePath, [...(requiredByPath.get(error.instancePath) ?? []), error]);
      continue;
    }
    const segments = decodePath(error.instancePath, document.value);
    let position: Position;
    if (error.keyword === 'additionalProperties') {
      position = document.locateKey([...segments, String(error.params.additionalProperty)]);
    } else if (error.keyword === 'uniqueItems') {
      position = document.locate([...segments, Number(error.params.i)]);
    } else if (error.data === null && segments.length > 0) {
      // An empty value (`title:`) has no place of its own in the text; its key does.
      position = document.locateKey(segments);
    } else {
      position = document.locate(segments);
    }
    findings.push({ position, keyword: error.keyword, message: explainOne(error, segments, kind), hinted: hintOf(error) !== undefined });
  }
  for (const [pointer, group] of requiredByPath) {
    const segments = decodePath(pointer, document.value);
    // A missing field has no place of its own: point at the key of the mapping that lacks it.
    const position = segments.length === 0 ? document.locate([]) : document.locateKey(segments);
    findings.push({ position, keyword: 'required', message: explainRequired(group, segments, kind), hinted: true });
  }

  const best = new Map<string, Finding>();
  const rank = (finding: Finding) => (KEYWORD_RANK.get(finding.keyword) ?? 7) * 2 + (finding.hinted ? 0 : 1);
  for (const finding of findings) {
    const key = `${finding.position.line}:${finding.position.column}`;
    const kept = best.get(key);
    if (!kept || rank(finding) < rank(kept)) best.set(key, finding);
  }
  return [...best.values()]
    .sort((a, b) => a.position.line - b.position.line || a.position.column - b.position.column)
    .map((finding) => createDiagnostic(file, finding.position, `schema/${finding.keyword}`, 'error', finding.message));
}
