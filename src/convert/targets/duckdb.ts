/**
 * DuckDB SQL, written to give exactly the engine's verdicts; `dac test` holds it to that on every
 * golden event. Events are rows of a relation `events` with one JSON column per taxonomy field the
 * query reads (NULL when the event lacks it), `sigma_keys` (the event's field names, for `exists`) and
 * `record` (the whole event as JSON, for keyword searches): what `dac backtest` builds from NDJSON or
 * Parquet, parsing each line once. Working on JSON keeps what typed columns lose: strings apart from numbers,
 * lists (a list matches when any element does), null apart from absent. The `sigma_*` macros of
 * DUCKDB_PRELUDE carry the engine's semantics: its case fold (src/compile/case-fold.ts), the text form of
 * numbers (JavaScript's), numeric strings, trimming, and the time-part reading.
 */
import { foldCase } from '../../compile/case-fold.js';
import type { SigmaValue, StringPart, StringValue } from '../../model/detection.js';
import { isProblem, linkValues, problemAt, type Dialect, type FieldAccess, type Rendered } from '../dialect.js';
import type { ItemTest } from '../expression.js';
import { JS_WHITESPACE_CLASS, writeIpv4Regex } from '../ipv4-pattern.js';
import { FOLD_EXCEPTIONS } from './fold-exceptions.js';

/** A SQL string literal (standard SQL: quotes doubled, backslashes plain). */
export function quoteSql(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

function buildFoldMacro(): string {
  // Each exception is replaced by the engine's fold first; DuckDB's own mapping leaves those folds alone.
  let body = 's';
  for (const [codePoint, folded] of FOLD_EXCEPTIONS) body = `replace(${body}, chr(${codePoint}), ${quoteSql(folded)})`;
  return `CREATE OR REPLACE MACRO sigma_fold(s) AS CASE WHEN strlen(s) = length(s) THEN lower(s) ELSE lower(upper(${body})) END;`;
}

const WS = `[${JS_WHITESPACE_CLASS}]`;

/** The macros every DuckDB query of `dac convert --target sql` uses; run them once per connection. */
export const DUCKDB_PRELUDE = [
  '-- sigma-dac DuckDB prelude: the engine\'s value semantics as macros (run once per connection).',
  '-- Case fold as the engine folds (full Unicode upper- then lower-casing); ASCII takes the fast path.',
  buildFoldMacro(),
  '-- JavaScript\'s String.prototype.trim.',
  `CREATE OR REPLACE MACRO sigma_trim(s) AS regexp_replace(s, '^${WS}+|${WS}+$', '', 'g');`,
  '-- A double as JavaScript writes it (1 not 1.0, 0.00001 not 1e-05, 1e-7 not 1e-07).',
  "CREATE OR REPLACE MACRO sigma_double_text(d) AS CASE WHEN d = 0 THEN '0' " +
    // Integers below 1e21: JavaScript writes the shortest digits padded with zeros; DuckDB writes the same digits, maybe with an exponent.
    "WHEN d = trunc(d) AND abs(d) < 1e21 AND contains(CAST(d AS VARCHAR), 'e+') THEN regexp_extract(CAST(d AS VARCHAR), '^-?') || replace(regexp_extract(CAST(d AS VARCHAR), '^-?([0-9.]+)e', 1), '.', '') || repeat('0', CAST(regexp_extract(CAST(d AS VARCHAR), 'e\\+([0-9]+)$', 1) AS INTEGER) - length(replace(regexp_extract(CAST(d AS VARCHAR), '^-?([0-9.]+)e', 1), '.', '')) + 1) " +
    "WHEN d = trunc(d) AND abs(d) < 1e21 THEN regexp_replace(CAST(d AS VARCHAR), '\\.0$', '') " +
    // Small numbers: JavaScript writes 0.00001 down to 1e-6, then 1e-7; DuckDB switches to exponents at 1e-5 and pads them.
    "WHEN regexp_matches(CAST(d AS VARCHAR), 'e-0[56]$') THEN regexp_extract(CAST(d AS VARCHAR), '^-?') || '0.' || repeat('0', CAST(right(CAST(d AS VARCHAR), 1) AS INTEGER) - 1) || replace(regexp_extract(CAST(d AS VARCHAR), '^-?([0-9.]+)e', 1), '.', '') " +
    "ELSE regexp_replace(CAST(d AS VARCHAR), 'e([+-])0*([0-9])', 'e\\1\\2') END;",
  '-- The scalars of a JSON value as the engine sees a field: the value itself, or the elements of a list (lists flattened, objects and nulls skipped).',
  "CREATE OR REPLACE MACRO sigma_scalars(v) AS CASE WHEN v IS NULL THEN CAST([] AS JSON[]) WHEN json_type(v) = 'ARRAY' THEN list_filter(flatten([json_extract(v, '$[*]'), json_extract(v, '$[*][*]'), json_extract(v, '$[*][*][*]'), json_extract(v, '$[*][*][*][*]')]), lambda e: json_type(e) NOT IN ('ARRAY', 'OBJECT', 'NULL')) WHEN json_type(v) IN ('OBJECT', 'NULL') THEN CAST([] AS JSON[]) ELSE [v] END;",
  '-- Every scalar anywhere in the event, for keyword searches.',
  "CREATE OR REPLACE MACRO sigma_leaves(record) AS list_filter(json_extract(record, '$..*'), lambda e: json_type(e) NOT IN ('ARRAY', 'OBJECT', 'NULL'));",
  '-- The text form of a JSON scalar (strings as they are, numbers as JavaScript writes them).',
  "CREATE OR REPLACE MACRO sigma_text(e) AS CASE json_type(e) WHEN 'DOUBLE' THEN sigma_double_text(CAST(json_extract(e, '$') AS DOUBLE)) ELSE json_extract_string(e, '$') END;",
  "CREATE OR REPLACE MACRO sigma_texts(l) AS list_transform(l, lambda e: sigma_text(e));",
  "CREATE OR REPLACE MACRO sigma_folded(l) AS list_transform(l, lambda e: sigma_fold(sigma_text(e)));",
  '-- The number a scalar stands for: a number, or a decimal or 0x hexadecimal string (trimmed, at most 64 characters).',
  "CREATE OR REPLACE MACRO sigma_parse_number(s) AS CASE WHEN length(sigma_trim(s)) > 64 THEN NULL " +
    "WHEN regexp_full_match(sigma_trim(s), '[-+]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][-+]?[0-9]+)?') THEN CAST(sigma_trim(s) AS DOUBLE) " +
    "WHEN regexp_full_match(sigma_trim(s), '0[xX][0-9a-fA-F]{1,16}') THEN CAST(CAST('0x' || substr(sigma_trim(s), 3) AS UBIGINT) AS DOUBLE) ELSE NULL END;",
  "CREATE OR REPLACE MACRO sigma_number(e) AS CASE json_type(e) WHEN 'VARCHAR' THEN sigma_parse_number(json_extract_string(e, '$')) WHEN 'BOOLEAN' THEN NULL ELSE CAST(json_extract(e, '$') AS DOUBLE) END;",
  '-- A boolean scalar: true/false, or a string that is the word (trimmed, any case).',
  "CREATE OR REPLACE MACRO sigma_boolean_text(e) AS CASE json_type(e) WHEN 'BOOLEAN' THEN json_extract_string(e, '$') WHEN 'VARCHAR' THEN sigma_fold(sigma_trim(json_extract_string(e, '$'))) ELSE NULL END;",
  '-- One part of a timestamp written YYYY-MM-DD[ T]HH:MM..., read as written (no time zones).',
  `CREATE OR REPLACE MACRO sigma_time_fields(t) AS regexp_extract(t, '^${WS}*([0-9]{4})[-/]([0-9]{1,2})[-/]([0-9]{1,2})(?:[T ]([0-9]{1,2}):([0-9]{2})(?::[0-9]{2}(?:[.,][0-9]+)?)?)?', ['y', 'mo', 'd', 'h', 'mi']);`,
  "CREATE OR REPLACE MACRO sigma_time_part(t, unit) AS CASE WHEN sigma_time_fields(t).y = '' OR CAST(sigma_time_fields(t).mo AS INTEGER) NOT BETWEEN 1 AND 12 OR CAST(sigma_time_fields(t).d AS INTEGER) NOT BETWEEN 1 AND 31 THEN NULL " +
    "WHEN unit = 'year' THEN CAST(sigma_time_fields(t).y AS INTEGER) WHEN unit = 'month' THEN CAST(sigma_time_fields(t).mo AS INTEGER) WHEN unit = 'day' THEN CAST(sigma_time_fields(t).d AS INTEGER) " +
    // JavaScript's Date.UTC reads years 0-99 as 1900-1999 and lets day 31 of a short month run over.
    "WHEN unit = 'week' THEN weekofyear(make_date(CAST(sigma_time_fields(t).y AS INTEGER) + CASE WHEN CAST(sigma_time_fields(t).y AS INTEGER) < 100 THEN 1900 ELSE 0 END, CAST(sigma_time_fields(t).mo AS INTEGER), 1) + to_days(CAST(sigma_time_fields(t).d AS INTEGER) - 1)) " +
    "WHEN unit = 'hour' THEN TRY_CAST(NULLIF(sigma_time_fields(t).h, '') AS INTEGER) WHEN unit = 'minute' THEN TRY_CAST(NULLIF(sigma_time_fields(t).mi, '') AS INTEGER) END;",
].join('\n');

/** A SQL identifier (double quotes doubled). */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** The JSON value of a taxonomy field: its column of `events` (the loaders fill it as FlatRecord reads the field). */
export function accessField(field: string): string {
  return quoteIdentifier(field);
}

/**
 * How a loader fills a field's column from a JSON text `source`: the own key, else (for a dotted name)
 * the path through nested objects, as FlatRecord reads it. JSON null stays 'null'; absent is NULL.
 */
export function extractFieldSql(source: string, field: string): string {
  const own = `json_extract(${source}, ${quoteSql(`$."${field.replaceAll('"', '\\"')}"`)})`;
  if (!field.includes('.')) return own;
  const path = `$.${field.split('.').map((part) => `"${part.replaceAll('"', '\\"')}"`).join('.')}`;
  return `coalesce(${own}, json_extract(${source}, ${quoteSql(path)}))`;
}

const LIKE_SPECIAL = /[%_\\]/;

/** A whole-text test of a (folded) string pattern on the text variable `x`. */
export function writeStringTest(parts: readonly StringPart[], variable: string): string {
  if (parts.every((part) => part.kind === 'text')) return `${variable} = ${quoteSql(parts.map((part) => (part as { text: string }).text).join(''))}`;
  if (parts.some((part) => part.kind === 'alternatives')) {
    // Character sets (windash) have no LIKE form; RE2 full match, `(?s)` so `*` spans line breaks like the engine's.
    const regex = parts
      .map((part) => {
        switch (part.kind) {
          case 'text':
            return [...part.text].map(escapeRegexChar).join('');
          case 'any':
            return '.*';
          case 'one':
            return '.';
          case 'alternatives':
            return `[${part.options.map((option) => [...option].map(escapeRegexChar).join('')).join('')}]`;
          case 'placeholder':
            throw new Error('placeholders are expanded before rendering');
        }
      })
      .join('');
    return `regexp_full_match(${variable}, ${quoteSql(`(?s)${regex}`)})`;
  }
  const needsEscape = parts.some((part) => part.kind === 'text' && LIKE_SPECIAL.test(part.text));
  const pattern = parts
    .map((part) => {
      if (part.kind === 'any') return '%';
      if (part.kind === 'one') return '_';
      if (part.kind === 'text') return needsEscape ? part.text.replace(/[%_\\]/g, (c) => `\\${c}`) : part.text;
      return '';
    })
    .join('');
  return `${variable} LIKE ${quoteSql(pattern)}${needsEscape ? " ESCAPE '\\'" : ''}`;
}

function escapeRegexChar(char: string): string {
  return /[\\^$.|?*+()[\]{}-]/.test(char) ? `\\${char}` : char;
}

/** A string value's parts as the engine matches them: literals folded unless cased, keywords as `*value*`. */
export function foldParts(value: StringValue, keyword: boolean): StringPart[] {
  const fold = value.cased ? (text: string) => text : foldCase;
  const parts = value.parts.map((part): StringPart => {
    if (part.kind === 'text') return { kind: 'text', text: fold(part.text) };
    if (part.kind === 'alternatives') return { kind: 'alternatives', options: part.options.map(fold) };
    return part;
  });
  return keyword ? [{ kind: 'any' }, ...parts, { kind: 'any' }] : parts;
}

/** A JavaScript number as a SQL double literal. */
function writeNumber(value: number): string {
  return Number.isFinite(value) ? `${String(value)}::DOUBLE` : value > 0 ? "'infinity'::DOUBLE" : "'-infinity'::DOUBLE";
}

type ListKind = 'folded' | 'texts' | 'scalars';

const anyOf = (list: string, predicate: string): string => `len(list_filter(${list}, lambda x: ${predicate})) > 0`;

/** The DuckDB dialect. */
export const duckdbDialect: Dialect = {
  and: (parts) => (parts.length === 1 ? (parts[0] as string) : `(${parts.join(' AND ')})`),
  or: (parts) => (parts.length === 1 ? (parts[0] as string) : `(${parts.join(' OR ')})`),
  not: (part) => `(NOT ${part})`,
  constant: (value) => (value ? 'TRUE' : 'FALSE'),
  renderItem(test: ItemTest, access: FieldAccess): Rendered {
    const keyword = access.field === undefined;
    const scalars = keyword ? 'sigma_leaves(record)' : `sigma_scalars(${accessField(access.field as string)})`;
    const lists: Record<ListKind, string> = { folded: `sigma_folded(${scalars})`, texts: `sigma_texts(${scalars})`, scalars };
    const renderGroup = (values: readonly SigmaValue[]): Rendered => {
      const grouped = new Map<ListKind, string[]>();
      const whole: string[] = [];
      const add = (kind: ListKind, predicate: string): void => {
        const list = grouped.get(kind) ?? [];
        list.push(predicate);
        grouped.set(kind, list);
      };
      for (const value of values) {
        const rendered = renderValue(value, test, access, keyword, lists, add, whole);
        if (rendered !== undefined) return rendered;
      }
      for (const [kind, predicates] of grouped) {
        const predicate = predicates.length === 1 ? (predicates[0] as string) : predicates.join(' OR ');
        if (keyword) {
          whole.push(anyOf(lists[kind], predicate));
          continue;
        }
        // Fast path: a field holding one string (nearly every event) skips the list machinery; the
        // predicate runs once over a one-element list, so its text stays the same in both branches.
        const value = accessField(access.field as string);
        const single = { folded: `sigma_fold(json_extract_string(${value}, '$'))`, texts: `json_extract_string(${value}, '$')`, scalars: value }[kind];
        whole.push(`CASE WHEN json_type(${value}) = 'VARCHAR' THEN ${anyOf(`[${single}]`, predicate)} ELSE ${anyOf(lists[kind], predicate)} END`);
      }
      return { text: duckdbDialect.or(whole) };
    };
    return linkValues(test, duckdbDialect, renderGroup);
  },
};

/** Adds one value's test; returns a problem, or undefined when added. */
function renderValue(
  value: SigmaValue,
  test: ItemTest,
  access: FieldAccess,
  keyword: boolean,
  lists: Record<ListKind, string>,
  add: (kind: ListKind, predicate: string) => void,
  whole: string[],
): Rendered | undefined {
  const field = access.field;
  switch (value.kind) {
    case 'string':
      add(value.cased ? 'texts' : 'folded', writeStringTest(foldParts(value, keyword), 'x'));
      return undefined;
    case 'number':
      if (keyword) add('folded', writeStringTest(foldParts({ kind: 'string', parts: [{ kind: 'text', text: String(value.value) }], cased: false, encoding: 'text' }, true), 'x'));
      else add('scalars', `sigma_number(x) = ${writeNumber(value.value)}`);
      return undefined;
    case 'boolean':
      add('scalars', keyword
        ? `(json_type(x) = 'BOOLEAN' AND json_extract_string(x, '$') = '${value.value}') OR (json_type(x) = 'VARCHAR' AND contains(sigma_fold(json_extract_string(x, '$')), '${value.value}'))`
        : `sigma_boolean_text(x) = '${value.value}'`);
      return undefined;
    case 'null':
      whole.push(keyword ? 'FALSE' : `(${accessField(field as string)} IS NULL OR json_type(${accessField(field as string)}) = 'NULL')`);
      return undefined;
    case 'exists': {
      // Present with a null value still exists (the engine tests `!== undefined`); sigma_keys lists the keys.
      const present = `(list_contains(sigma_keys, ${quoteSql(field as string)}) OR ${accessField(field as string)} IS NOT NULL)`;
      whole.push(keyword ? (value.value ? 'TRUE' : 'FALSE') : value.value ? present : `(NOT ${present})`);
      return undefined;
    }
    case 'regex': {
      const flags = `${value.flags.i ? 'i' : ''}${value.flags.m ? 'm' : ''}${value.flags.s ? 's' : ''}`;
      add('texts', `regexp_matches(x, ${quoteSql(`${flags ? `(?${flags})` : ''}${value.pattern}`)})`);
      return undefined;
    }
    case 'cidr':
      if (value.version !== 4) return problemAt(test, value, `IPv6 networks (${value.text}) are not converted: the engine's IPv6 parsing has no exact SQL form`);
      add('texts', `regexp_matches(x, ${quoteSql(writeIpv4Regex(value))})`);
      return undefined;
    case 'compare': {
      const op = { gt: '>', gte: '>=', lt: '<', lte: '<=' }[value.op];
      add('scalars', `sigma_number(x) ${op} ${writeNumber(value.value)}`);
      return undefined;
    }
    case 'fieldref': {
      const other = access.resolve(value.field);
      if (other === undefined) return problemAt(test, value, `the referenced field ${value.field} has no name in this target`);
      const mine = value.cased ? lists.texts : lists.folded;
      const theirs = `${value.cased ? 'sigma_texts' : 'sigma_folded'}(sigma_scalars(${accessField(other)}))`;
      const relation = value.startsWith && value.endsWith ? 'contains(x, y)' : value.startsWith ? 'starts_with(x, y)' : value.endsWith ? 'ends_with(x, y)' : 'x = y';
      whole.push(anyOf(mine, `len(list_filter(${theirs}, lambda y: ${relation})) > 0`));
      return undefined;
    }
    case 'timepart':
      add('texts', `sigma_time_part(x, '${value.unit}') = ${value.value}`);
      return undefined;
    case 'expansion': {
      // Expansions are flattened by linkValues; a nested one renders as its own OR group.
      const inner = duckdbDialect.renderItem({ ...test, item: { ...test.item, negated: false, linking: 'or' }, values: value.values }, access);
      if (isProblem(inner)) return inner;
      whole.push(inner.text);
      return undefined;
    }
  }
}
