/**
 * `dac backtest`: the rules' DuckDB SQL over NDJSON or Parquet files, out of core (DuckDB spills to its
 * temporary directory past its memory limit). Events are read in the taxonomy's field names, as
 * `dac scan` reads flat events; every record is accounted for: matched or not, blank, unreadable, or
 * skipped because it is in a Windows form (Channel/EventID, evtx_dump, ECS) that only the log-source
 * mapping of `dac scan` can read.
 */
import { extractFieldSql, quoteIdentifier, quoteSql } from '../convert/targets/duckdb.js';
import { JS_WHITESPACE_CLASS } from '../convert/ipv4-pattern.js';
import type { ConvertedQuery } from '../convert/convert-rule.js';
import type { DuckDbSession } from './duckdb-session.js';

/** How many rules' conditions one query evaluates. */
const RULE_BATCH = 25;

/** One rule's query, with what the match line needs. */
export interface BacktestRule {
  readonly id: string;
  readonly title: string;
  readonly level: string | null;
  readonly query: ConvertedQuery;
}

/** One match: the same object `dac scan` prints. */
export interface BacktestMatch {
  readonly rule: string;
  readonly title: string;
  readonly level: string | null;
  readonly file: string;
  readonly event: number;
}

/** What reading one file found, record by record. */
export interface FileAccount {
  readonly file: string;
  readonly format: 'ndjson' | 'parquet';
  /** Records read (non-blank lines or rows). */
  readonly records: number;
  /** Records in taxonomy form that the queries ran on. */
  readonly events: number;
  readonly unreadable: number;
  /** Records in a Windows form (Channel/EventID, evtx_dump, ECS) that need the log-source mapping. */
  readonly windowsForm: number;
  readonly matches: number;
  /** Positions of the first unreadable records, for the message. */
  readonly unreadableAt: readonly number[];
}

/** The format of a file, from its name. */
export function detectFormat(file: string): 'ndjson' | 'parquet' | undefined {
  if (/\.parquet$/i.test(file)) return 'parquet';
  if (/\.(ndjson|jsonl|json)$/i.test(file)) return 'ndjson';
  return undefined;
}

/** What the queries of a run read: the field columns, the whole event, the field names. */
export interface LoadPlan {
  readonly columns: readonly string[];
  readonly record: boolean;
  readonly keys: boolean;
}

/** The union of what a run's queries read. */
export function planLoad(rules: readonly BacktestRule[]): LoadPlan {
  return {
    columns: [...new Set(rules.flatMap((rule) => rule.query.columns))],
    record: rules.some((rule) => rule.query.reads.record),
    keys: rules.some((rule) => rule.query.reads.keys),
  };
}

/** A JSON object key as a json_transform structure key. */
const structureKey = (key: string): string => JSON.stringify(key);

// evtx_dump, ECS and gated flat records are what src/events/json-event.ts reads through the mapping;
// the structure below reads what tells them apart, with the plain fields, in one parse of the line.
const WINDOWS_FORM = [
  "json_type(t.\"Event\".\"System\") = 'OBJECT'",
  "(t.winlog.event_id IS NOT NULL OR t.winlog.channel IS NOT NULL)",
  "json_type(t.\"Channel\") = 'VARCHAR'",
  "json_type(t.\"EventID\") IN ('BIGINT', 'UBIGINT')",
  "(json_type(t.\"EventID\") = 'DOUBLE' AND CAST(t.\"EventID\" AS DOUBLE) = trunc(CAST(t.\"EventID\" AS DOUBLE)))",
  "(json_type(t.\"EventID\") = 'VARCHAR' AND regexp_full_match(json_extract_string(t.\"EventID\", '$'), '\\s*[0-9]{1,15}\\s*'))",
].join(' OR ');

/** Loads one file into the temporary table `loaded (event, state, record, sigma_keys, <columns>)`. */
async function loadFile(session: DuckDbSession, path: string, format: 'ndjson' | 'parquet', plan: LoadPlan): Promise<void> {
  const source = quoteSql(path);
  if (format === 'parquet') {
    // A row becomes an object of its columns; a NULL column is a null value, present in every row.
    const described = await session.query(`DESCRIBE SELECT * FROM read_parquet(${source})`);
    const names = described.map((row) => String(row[0]));
    const fields = plan.columns.map((field) => `, ${names.includes(field) ? `to_json(p.${quoteIdentifier(field)})` : 'CAST(NULL AS JSON)'} AS ${quoteIdentifier(field)}`).join('');
    const keys = `[${names.map(quoteSql).join(', ')}]::VARCHAR[]`;
    await session.query(`CREATE OR REPLACE TEMP TABLE loaded AS
SELECT file_row_number AS event, 'event' AS state, ${plan.record ? `json_merge_patch(to_json(p), '{"file_row_number":null}')` : 'CAST(NULL AS JSON)'} AS record, ${keys} AS sigma_keys${fields}
FROM read_parquet(${source}, file_row_number = true) AS p`);
    return;
  }
  const plain = plan.columns.filter((field) => !field.includes('.') && !['Channel', 'EventID', 'Event', 'winlog'].includes(field));
  const structure = `{${[...plain.map((field) => `${structureKey(field)}:"JSON"`), '"Channel":"JSON"', '"EventID":"JSON"', '"Event":{"System":"JSON"}', '"winlog":{"event_id":"JSON","channel":"JSON"}'].join(',')}}`;
  // Fields json_transform cannot take (dotted names, the ones also used to classify) are extracted apart.
  const fields = plan.columns
    .map((field) => `, ${plain.includes(field) ? `t.${quoteIdentifier(field)}` : extractFieldSql('line', field)} AS ${quoteIdentifier(field)}`)
    .join('');
  // Lines are read as text with their line number, so a line that is not JSON keeps its position (DESIGN).
  await session.query(`CREATE OR REPLACE TEMP TABLE loaded AS
WITH lines AS (
  SELECT ordinality, line FROM read_csv(${source}, columns = {'line': 'VARCHAR'}, header = false, delim = chr(1), quote = '', escape = '', auto_detect = false, max_line_size = 16777216, buffer_size = 33554432) WITH ORDINALITY
), kept AS (
  SELECT row_number() OVER (ORDER BY ordinality) - 1 AS event, line, starts_with(ltrim(line), '{') AS object
  FROM lines
  -- Blank as the engine's reader judges it (JavaScript's trim); lines of JSON objects skip the regex.
  WHERE line IS NOT NULL AND (starts_with(ltrim(line), '{') OR regexp_matches(line, '[^${JS_WHITESPACE_CLASS}]'))
), parsed AS (
  SELECT event, line, t IS NOT NULL AS readable, t FROM (SELECT event, line, CASE WHEN object THEN try(json_transform(line, ${quoteSql(structure)})) END AS t FROM kept)
)
SELECT event,
  CASE WHEN NOT readable THEN 'unreadable' WHEN ${WINDOWS_FORM} THEN 'windows' ELSE 'event' END AS state,
  ${plan.record ? 'CASE WHEN readable THEN CAST(line AS JSON) END' : 'CAST(NULL AS JSON)'} AS record,
  ${plan.keys ? 'CASE WHEN readable THEN json_keys(line) END' : 'CAST([] AS VARCHAR[])'} AS sigma_keys${fields}
FROM parsed`);
}

/**
 * Runs every rule's query over one file and calls `onMatch` for each match, in event order and, per
 * event, in rule order (as `dac scan` prints them).
 */
export async function backtestFile(
  session: DuckDbSession,
  path: string,
  name: string,
  format: 'ndjson' | 'parquet',
  rules: readonly BacktestRule[],
  onMatch: (match: BacktestMatch) => void,
): Promise<FileAccount> {
  await loadFile(session, path, format, planLoad(rules));
  const [counts] = await session.query(`SELECT count(*), count(*) FILTER (WHERE state = 'event'), count(*) FILTER (WHERE state = 'unreadable'), count(*) FILTER (WHERE state = 'windows') FROM loaded`);
  const [records, events, unreadable, windowsForm] = (counts ?? []).map(Number) as [number, number, number, number];
  const unreadableAt = unreadable > 0 ? (await session.query("SELECT event FROM loaded WHERE state = 'unreadable' ORDER BY event LIMIT 5")).map((row) => Number(row[0])) : [];
  let matches = 0;
  if (rules.length > 0 && events > 0) {
    // Rules run in batches over the loaded events (a query of a thousand conditions costs DuckDB
    // gigabytes to plan); the hits are merged and printed by event, then rule order, as dac scan prints.
    const hits: [number, number][] = [];
    for (let first = 0; first < rules.length; first += RULE_BATCH) {
      const batch = rules.slice(first, first + RULE_BATCH);
      const columns = batch.map((rule, index) => `${rule.query.condition} AS r${index}`).join(',\n  ');
      const sql = `WITH events AS (SELECT * FROM loaded WHERE state = 'event')
SELECT event,\n  ${columns}\nFROM events WHERE ${batch.map((rule) => `(${rule.query.condition})`).join(' OR ')}`;
      const result = await session.connection.stream(sql);
      for (;;) {
        const chunk = await result.fetchChunk();
        if (chunk === null || chunk.rowCount === 0) break;
        for (const row of chunk.getRows()) {
          const event = Number(row[0]);
          batch.forEach((_, index) => {
            if (row[index + 1] === true) hits.push([event, first + index]);
          });
        }
      }
    }
    hits.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [event, index] of hits) {
      const rule = rules[index] as BacktestRule;
      matches += 1;
      onMatch({ rule: rule.id, title: rule.title, level: rule.level, file: name, event });
    }
  }
  await session.query('DROP TABLE IF EXISTS loaded');
  return { file: name, format, records, events, unreadable, windowsForm, matches, unreadableAt };
}
