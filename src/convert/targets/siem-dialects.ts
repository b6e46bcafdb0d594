/**
 * The dialects of the SIEMs and of Spark: Spark SQL, KQL (Defender, Sentinel), Splunk SPL (search
 * language, or `| where` when an item needs eval functions) and Elastic ES|QL. They read typed,
 * scalar columns, so they are written for readability with each language's own operators; where a
 * language cannot say what the engine means, the item is an error, and where its semantics differ in
 * ways a rule cannot show (case folding of non-ASCII text, multi-valued fields), the query header says so.
 */
import type { SigmaValue, StringValue } from '../../model/detection.js';
import { linkValues, problemAt, type Dialect, type FieldAccess, type Rendered } from '../dialect.js';
import type { ItemTest } from '../expression.js';
import { writeIpv4Regex } from '../ipv4-pattern.js';
import { foldParts } from './duckdb.js';
import { classifyPattern, writePatternRegex } from './string-pattern.js';

type ValueWriter = (value: SigmaValue, test: ItemTest, access: FieldAccess) => Rendered;

/** Builds a dialect from a per-value writer and its connectives. */
function createDialect(connectives: Pick<Dialect, 'and' | 'or' | 'not' | 'constant'>, writeValue: ValueWriter): Dialect {
  const dialect: Dialect = {
    ...connectives,
    renderItem(test, access) {
      return linkValues(test, connectives, (values) => {
        const parts: string[] = [];
        for (const value of values) {
          const rendered = writeValue(value, test, access);
          if ('problem' in rendered) return rendered;
          parts.push(rendered.text);
        }
        return { text: connectives.or(parts) };
      });
    },
  };
  return dialect;
}

const join = (word: string) => (parts: readonly string[]): string => (parts.length === 1 ? (parts[0] as string) : `(${parts.join(` ${word} `)})`);

const keywordProblem = (test: ItemTest, value: SigmaValue, language: string): Rendered =>
  problemAt(test, value, `keyword searches (values without a field) have no exact form in ${language}: it searches no single text that holds every field`);

const timeUnits = { year: 'year', month: 'month', day: 'day', hour: 'hour', minute: 'minute' } as const;

// ---------------------------------------------------------------- Spark SQL

/** A Spark SQL string literal: backslash and quote escaped (Spark unescapes string literals). */
export function quoteSpark(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

const sparkColumn = (name: string): string => `\`${name.replaceAll('`', '``')}\``;

function writeSparkString(value: StringValue, column: string, keyword: boolean): string {
  const parts = foldParts(value, keyword);
  const subject = value.cased ? column : `lower(${column})`;
  if (parts.some((part) => part.kind === 'alternatives')) return `${subject} RLIKE ${quoteSpark(`(?s)^${writePatternRegex(parts)}$`)}`;
  const shape = classifyPattern(parts);
  if (shape.kind === 'equals') return `${subject} = ${quoteSpark(shape.text)}`;
  // ESCAPE '!' keeps backslashes (Windows paths) plain inside the LIKE pattern.
  const pattern = parts.map((part) => (part.kind === 'any' ? '%' : part.kind === 'one' ? '_' : part.kind === 'text' ? part.text.replace(/[!%_]/g, (c) => `!${c}`) : '')).join('');
  return `${subject} LIKE ${quoteSpark(pattern)} ESCAPE '!'`;
}

/** Spark SQL over a table `events` with one column per taxonomy field. */
export const sparkDialect = createDialect(
  { and: join('AND'), or: join('OR'), not: (part) => `(NOT ${part})`, constant: (value) => (value ? 'TRUE' : 'FALSE') },
  (value, test, access) => {
    if (access.field === undefined) return keywordProblem(test, value, 'Spark SQL');
    const column = sparkColumn(access.field);
    switch (value.kind) {
      case 'string':
        return { text: writeSparkString(value, column, false) };
      case 'number':
        return { text: `CAST(${column} AS DOUBLE) = ${value.value}` };
      case 'boolean':
        return { text: `lower(trim(CAST(${column} AS STRING))) = '${value.value}'` };
      case 'null':
        return { text: `${column} IS NULL` };
      case 'exists':
        return { text: `${column} IS ${value.value ? 'NOT ' : ''}NULL` };
      case 'regex': {
        const flags = `${value.flags.i ? 'i' : ''}${value.flags.m ? 'm' : ''}${value.flags.s ? 's' : ''}`;
        return { text: `${column} RLIKE ${quoteSpark(`${flags ? `(?${flags})` : ''}${value.pattern}`)}` };
      }
      case 'cidr':
        if (value.version !== 4) return problemAt(test, value, `IPv6 networks (${value.text}) are not converted for Spark SQL`);
        return { text: `${column} RLIKE ${quoteSpark(writeIpv4Regex(value))}` };
      case 'compare':
        return { text: `CAST(${column} AS DOUBLE) ${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[value.op]} ${value.value}` };
      case 'fieldref': {
        const other = access.resolve(value.field);
        if (other === undefined) return problemAt(test, value, `the referenced field ${value.field} has no name in this target`);
        const [a, b] = value.cased ? [column, sparkColumn(other)] : [`lower(${column})`, `lower(${sparkColumn(other)})`];
        if (value.startsWith && value.endsWith) return { text: `instr(${a}, ${b}) > 0` };
        if (value.startsWith) return { text: `left(${a}, length(${b})) = ${b}` };
        if (value.endsWith) return { text: `right(${a}, length(${b})) = ${b}` };
        return { text: `${a} = ${b}` };
      }
      case 'timepart':
        return value.unit === 'week'
          ? { text: `weekofyear(${column}) = ${value.value}` }
          : { text: `${timeUnits[value.unit]}(${column}) = ${value.value}` };
      case 'expansion':
        return problemAt(test, value, 'a nested expansion cannot be written');
    }
  },
);

// ---------------------------------------------------------------- KQL

/** A KQL string literal: backslash and double quote escaped. */
export function quoteKql(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

function writeKqlString(value: StringValue, column: string): string {
  const parts = foldParts(value, false);
  const cs = value.cased ? '_cs' : '';
  const shape = classifyPattern(parts);
  switch (shape.kind) {
    case 'equals':
      return `${column} ${value.cased ? '==' : '=~'} ${quoteKql(shape.text)}`;
    case 'startswith':
    case 'endswith':
    case 'contains':
      return `${column} ${shape.kind}${cs} ${quoteKql(shape.text)}`;
    case 'general':
      return `${column} matches regex ${quoteKql(`(?s${value.cased ? '' : 'i'})^${writePatternRegex(shape.parts)}$`)}`;
  }
}

/** KQL (Microsoft Defender advanced hunting, Microsoft Sentinel). */
export const kqlDialect = createDialect(
  { and: join('and'), or: join('or'), not: (part) => `not(${part})`, constant: (value) => (value ? 'true' : 'false') },
  (value, test, access) => {
    if (access.field === undefined) return keywordProblem(test, value, 'KQL');
    const column = access.field;
    switch (value.kind) {
      case 'string':
        return { text: writeKqlString(value, column) };
      case 'number':
        return { text: `toreal(${column}) == ${value.value}` };
      case 'boolean':
        return { text: `tostring(${column}) =~ "${value.value}"` };
      case 'null':
        return { text: `isnull(${column})` };
      case 'exists':
        return { text: value.value ? `isnotnull(${column})` : `isnull(${column})` };
      case 'regex': {
        const flags = `${value.flags.i ? 'i' : ''}${value.flags.m ? 'm' : ''}${value.flags.s ? 's' : ''}`;
        return { text: `${column} matches regex ${quoteKql(`${flags ? `(?${flags})` : ''}${value.pattern}`)}` };
      }
      case 'cidr':
        return { text: `${value.version === 4 ? 'ipv4' : 'ipv6'}_is_in_range(${column}, ${quoteKql(value.text)})` };
      case 'compare':
        return { text: `toreal(${column}) ${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[value.op]} ${value.value}` };
      case 'fieldref': {
        const other = access.resolve(value.field);
        if (other === undefined) return problemAt(test, value, `the referenced field ${value.field} has no name in this target`);
        const [a, b] = value.cased ? [column, other] : [`tolower(${column})`, `tolower(${other})`];
        if (value.startsWith && value.endsWith) return { text: `indexof(${a}, ${b}) >= 0` };
        if (value.startsWith) return { text: `substring(${a}, 0, strlen(${b})) == ${b}` };
        if (value.endsWith) return { text: `substring(${a}, strlen(${a}) - strlen(${b})) == ${b}` };
        return { text: `${a} == ${b}` };
      }
      case 'timepart':
        return value.unit === 'week'
          ? { text: `week_of_year(todatetime(${column})) == ${value.value}` }
          : { text: `datetime_part("${timeUnits[value.unit]}", todatetime(${column})) == ${value.value}` };
      case 'expansion':
        return problemAt(test, value, 'a nested expansion cannot be written');
    }
  },
);

// ---------------------------------------------------------------- Splunk SPL

/** A Splunk quoted string: backslash and double quote escaped. */
export function quoteSpl(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** SPL search language: `Field="*value"` (case-insensitive, `*` wildcard), `NOT`, `Field=*`. */
export const splSearchDialect = createDialect(
  { and: join('AND'), or: join('OR'), not: (part) => `NOT ${part}`, constant: (value) => (value ? '(NOT _sigma_never_=*)' : '_sigma_never_=*') },
  (value, test, access) => {
    const field = access.field;
    switch (value.kind) {
      case 'string': {
        if (value.cased) return problemAt(test, value, 'cased values need the where form');
        const parts = foldParts(value, field === undefined);
        if (parts.some((part) => part.kind === 'one' || part.kind === 'alternatives' || (part.kind === 'text' && part.text.includes('*')))) {
          return problemAt(test, value, 'this pattern needs the where form');
        }
        const pattern = parts.map((part) => (part.kind === 'any' ? '*' : part.kind === 'text' ? part.text : '')).join('');
        return { text: field === undefined ? quoteSpl(pattern) : `${field}=${quoteSpl(pattern)}` };
      }
      case 'number':
        return field === undefined ? keywordProblem(test, value, 'SPL') : { text: `${field}=${value.value}` };
      case 'null':
        return field === undefined ? { text: '_sigma_never_=*' } : { text: `NOT ${field}=*` };
      case 'exists':
        return field === undefined ? keywordProblem(test, value, 'SPL') : { text: value.value ? `${field}=*` : `NOT ${field}=*` };
      case 'cidr':
        return field === undefined ? keywordProblem(test, value, 'SPL') : { text: `${field}=${quoteSpl(value.text)}` };
      case 'compare':
        return field === undefined ? keywordProblem(test, value, 'SPL') : { text: `${field}${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[value.op]}${value.value}` };
      default:
        return problemAt(test, value, `${value.kind} values need the where form`);
    }
  },
);

/** SPL `| where` eval expressions, for what the search language cannot say. */
export const splWhereDialect = createDialect(
  { and: join('AND'), or: join('OR'), not: (part) => `NOT (${part})`, constant: (value) => (value ? 'true()' : 'false()') },
  (value, test, access) => {
    if (access.field === undefined) return keywordProblem(test, value, 'SPL eval expressions');
    const field = `'${access.field}'`;
    switch (value.kind) {
      case 'string': {
        const parts = foldParts(value, false);
        const shape = classifyPattern(parts);
        if (shape.kind === 'equals') return { text: `${value.cased ? field : `lower(${field})`}==${quoteSpl(shape.text)}` };
        return { text: `match(${field}, ${quoteSpl(`(?s${value.cased ? '' : 'i'})^${writePatternRegex(parts)}$`)})` };
      }
      case 'number':
        return { text: `tonumber(${field})==${value.value}` };
      case 'boolean':
        return { text: `lower(trim(tostring(${field})))=="${value.value}"` };
      case 'null':
        return { text: `isnull(${field})` };
      case 'exists':
        return { text: value.value ? `isnotnull(${field})` : `isnull(${field})` };
      case 'regex': {
        const flags = `${value.flags.i ? 'i' : ''}${value.flags.m ? 'm' : ''}${value.flags.s ? 's' : ''}`;
        return { text: `match(${field}, ${quoteSpl(`${flags ? `(?${flags})` : ''}${value.pattern}`)})` };
      }
      case 'cidr':
        return { text: `cidrmatch(${quoteSpl(value.text)}, ${field})` };
      case 'compare':
        return { text: `tonumber(${field})${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[value.op]}${value.value}` };
      case 'fieldref': {
        const other = access.resolve(value.field);
        if (other === undefined) return problemAt(test, value, `the referenced field ${value.field} has no name in this target`);
        const [a, b] = value.cased ? [field, `'${other}'`] : [`lower(${field})`, `lower('${other}')`];
        if (value.startsWith && value.endsWith) return problemAt(test, value, 'SPL has no substring test between two fields');
        if (value.startsWith) return { text: `substr(${a}, 1, len(${b}))==${b}` };
        if (value.endsWith) return { text: `substr(${a}, len(${a}) - len(${b}) + 1)==${b}` };
        return { text: `${a}==${b}` };
      }
      case 'timepart':
        return problemAt(test, value, 'time parts need a known timestamp format, which SPL eval must be told');
      case 'expansion':
        return problemAt(test, value, 'a nested expansion cannot be written');
    }
  },
);

// ---------------------------------------------------------------- ES|QL

/** An ES|QL string literal: backslash and double quote escaped. */
export function quoteEsql(text: string): string {
  return `"${text.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/** A Lucene regular expression (ES|QL RLIKE): every reserved character escaped. */
function writeLuceneRegex(value: StringValue, parts: ReturnType<typeof foldParts>): string {
  void value;
  const escape = (text: string): string => text.replace(/[\\.?+*|{}[\]()"#@&<>~^$-]/g, (c) => `\\${c}`);
  return parts
    .map((part) => (part.kind === 'text' ? escape(part.text) : part.kind === 'any' ? '.*' : part.kind === 'one' ? '.' : part.kind === 'alternatives' ? `[${part.options.map(escape).join('')}]` : ''))
    .join('');
}

/** Elastic ES|QL over ECS fields. */
export const esqlDialect = createDialect(
  { and: join('AND'), or: join('OR'), not: (part) => `NOT ${part}`, constant: (value) => (value ? 'true' : 'false') },
  (value, test, access) => {
    if (access.field === undefined) return keywordProblem(test, value, 'ES|QL');
    const column = access.field;
    switch (value.kind) {
      case 'string': {
        const parts = foldParts(value, false);
        const subject = value.cased ? column : `TO_LOWER(${column})`;
        const shape = classifyPattern(parts);
        if (shape.kind === 'equals') return { text: `${subject} == ${quoteEsql(shape.text)}` };
        if (parts.some((part) => part.kind === 'alternatives')) return { text: `${subject} RLIKE ${quoteEsql(writeLuceneRegex(value, parts))}` };
        // LIKE reads `*` and `?` as wildcards and a backslash as their escape.
        const pattern = parts.map((part) => (part.kind === 'any' ? '*' : part.kind === 'one' ? '?' : part.kind === 'text' ? part.text.replace(/[\\*?]/g, (c) => `\\${c}`) : '')).join('');
        // Triple quotes keep backslashes plain, so only LIKE's own escapes remain.
        return { text: `${subject} LIKE ${pattern.includes('"') ? quoteEsql(pattern) : `"""${pattern}"""`}` };
      }
      case 'number':
        return { text: `TO_DOUBLE(${column}) == ${value.value}` };
      case 'boolean':
        return { text: `TO_LOWER(TO_STRING(${column})) == "${value.value}"` };
      case 'null':
        return { text: `${column} IS NULL` };
      case 'exists':
        return { text: `${column} IS ${value.value ? 'NOT ' : ''}NULL` };
      case 'regex':
        return problemAt(test, value, "ES|QL's RLIKE reads Lucene regular expressions (anchored, no flags, other syntax), not the RE2 expressions of |re");
      case 'cidr':
        return { text: `CIDR_MATCH(TO_IP(${column}), ${quoteEsql(value.text)})` };
      case 'compare':
        return { text: `TO_DOUBLE(${column}) ${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[value.op]} ${value.value}` };
      case 'fieldref': {
        const other = access.resolve(value.field);
        if (other === undefined) return problemAt(test, value, `the referenced field ${value.field} has no name in this target`);
        const [a, b] = value.cased ? [column, other] : [`TO_LOWER(${column})`, `TO_LOWER(${other})`];
        if (value.startsWith && value.endsWith) return { text: `LOCATE(${a}, ${b}) > 0` };
        if (value.startsWith) return { text: `STARTS_WITH(${a}, ${b})` };
        if (value.endsWith) return { text: `ENDS_WITH(${a}, ${b})` };
        return { text: `${a} == ${b}` };
      }
      case 'timepart':
        if (value.unit === 'week') return problemAt(test, value, 'ES|QL has no ISO week-of-year extraction');
        return { text: `DATE_EXTRACT("${{ year: 'year', month: 'month_of_year', day: 'day_of_month', hour: 'hour_of_day', minute: 'minute_of_hour' }[value.unit]}", TO_DATETIME(${column})) == ${value.value}` };
      case 'expansion':
        return problemAt(test, value, 'a nested expansion cannot be written');
    }
  },
);
