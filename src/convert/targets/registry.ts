/**
 * The dialects of each target, in order of preference, and how each writes a whole query: a header
 * naming the rule and what the reader must know, the profile's source, the condition.
 */
import type { Dialect } from '../dialect.js';
import type { ProfileSource, TargetName, TargetProfile } from '../target-profiles.js';
import { duckdbDialect } from './duckdb.js';
import { esqlDialect, kqlDialect, sparkDialect, splSearchDialect, splWhereDialect } from './siem-dialects.js';

/** A dialect of a target and how its condition joins the profile's query. */
interface DialectChoice {
  readonly dialect: Dialect;
  readonly attach: (query: string, condition: string) => string;
}

/** Per target: its dialects (the first that writes the whole rule wins), its comment prefix and its caveats. */
export const TARGET_DIALECTS = {
  sql: {
    comment: '--',
    choices: [{ dialect: duckdbDialect, attach: (query, condition) => `SELECT file, event FROM ${query}\nWHERE ${condition}` }],
    caveats: [
      'DuckDB over `events`: one JSON column per taxonomy field read (NULL when absent), sigma_keys (the field names) and record (the event, for keywords), as `dac backtest` loads NDJSON or Parquet; run the prelude (`dac convert --prelude`) first.',
      'Held to the engine: `dac test` runs it on every golden event and fails on any verdict that differs.',
    ],
  },
  spark: {
    comment: '--',
    choices: [{ dialect: sparkDialect, attach: (query, condition) => `SELECT * FROM ${query}\nWHERE ${condition}` }],
    caveats: [
      'Spark SQL over a table `events` with one column per taxonomy field (e.g. spark.read.json of flat NDJSON).',
      'Differs from the engine: lower() lowercases where the engine upper- then lower-cases (ß is ss there); a list column is not searched element by element; NULL is absent and null alike; RLIKE reads Java regular expressions; numbers are compared as doubles of the column (hex strings are not read).',
    ],
  },
  kql: {
    comment: '//',
    choices: [{ dialect: kqlDialect, attach: (query, condition) => `${query}\n| where ${condition}` }],
    caveats: [
      'Differs from the engine: =~, startswith, endswith and contains fold case character by character; dynamic (array) columns are not searched element by element; an absent string column reads as "", not null.',
    ],
  },
  spl: {
    comment: '```',
    choices: [
      { dialect: splSearchDialect, attach: (query, condition) => `${query} ${condition}` },
      { dialect: splWhereDialect, attach: (query, condition) => `${query}\n| where ${condition}` },
    ],
    caveats: [
      'Search terms match case-insensitively, with * as the only wildcard, and a multi-valued field by any value, as the engine does; eval match() reads PCRE.',
    ],
  },
  esql: {
    comment: '//',
    choices: [{ dialect: esqlDialect, attach: (query, condition) => `${query}\n| WHERE ${condition}` }],
    caveats: [
      'Differs from the engine: a comparison on a multi-valued field is null (no match) instead of any element; TO_LOWER lowercases where the engine upper- then lower-cases.',
    ],
  },
} as const satisfies Record<TargetName, { comment: string; choices: readonly DialectChoice[]; caveats: readonly string[] }>;

/** The dialects of a target, in order of preference. */
export function listDialects(target: TargetName): readonly DialectChoice[] {
  return TARGET_DIALECTS[target].choices;
}

/** What a query's header says. */
export interface QueryHeader {
  readonly ruleId: string | undefined;
  readonly title: string;
  readonly file: string;
  readonly filters: readonly string[];
  readonly notes: readonly string[];
}

function writeComment(target: TargetName, line: string): string {
  const { comment } = TARGET_DIALECTS[target];
  // SPL comments are enclosed in triple backticks; the others run to the end of the line.
  return comment === '```' ? `\`\`\`${line.replaceAll('`', "'")}\`\`\`` : `${comment} ${line.replace(/[\r\n]+/g, ' ')}`;
}

/** Writes the whole query of a profile: header comments, then the source and the condition. */
export function writeQuery(profile: TargetProfile, source: ProfileSource, condition: string, header: QueryHeader, choice: DialectChoice): string {
  const target = profile.target;
  const lines = [
    `${header.title}${header.ruleId ? ` (${header.ruleId})` : ''}`,
    `rule ${header.file}${header.filters.length ? `, tuned by filters ${header.filters.join(', ')}` : ''}`,
    `target ${target}, profile ${profile.profile}: ${profile.title}`,
    ...TARGET_DIALECTS[target].caveats,
    ...header.notes.map((note) => `note: ${note}`),
  ].map((line) => writeComment(target, line));
  return `${lines.join('\n')}\n${choice.attach(source.query, condition)}\n`;
}
