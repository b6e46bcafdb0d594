/**
 * `dac backtest`: the rules' DuckDB SQL over NDJSON or Parquet files, out of core (DuckDB spills to its
 * temporary directory past its memory limit). Events are read in the taxonomy's field names, as
 * `dac scan` reads flat events; every record is accounted for: matched or not, blank, unreadable, or
 * skipped because it is in a Windows form (Channel/EventID, evtx_dump, ECS) that only the log-source
 * mapping of `dac scan` can read.
 */
import { quoteSql } from '../convert/targets/duckdb.js';
import type { ConvertedQuery } from '../convert/convert-rule.js';
import type { DuckDbSession } from './duckdb-session.js';

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

// evtx_dump, ECS and gated flat records are what src/events/json-event.ts reads through the mapping.
const WINDOWS_FORM = [
  "(json_type(record, '$.Event') = 'OBJECT' AND json_type(record, '$.Event.System') = 'OBJECT')",
  "(json_type(record, '$.winlog') = 'OBJECT' AND (json_exists(record, '$.winlog.event_id') OR json_exists(record, '$.winlog.channel')))",
  "json_type(record, '$.Channel') = 'VARCHAR'",
  "json_type(record, '$.EventID') IN ('BIGINT', 'UBIGINT')",
  "(json_type(record, '$.EventID') = 'DOUBLE' AND CAST(json_extract(record, '$.EventID') AS DOUBLE) = trunc(CAST(json_extract(record, '$.EventID') AS DOUBLE)))",
  "(json_type(record, '$.EventID') = 'VARCHAR' AND regexp_full_match(json_extract_string(record, '$.EventID'), '\\s*[0-9]{1,15}\\s*'))",
].join(' OR ');

/** Loads one file into the temporary table `loaded (event, record, state)`. */
async function loadFile(session: DuckDbSession, path: string, format: 'ndjson' | 'parquet'): Promise<void> {
  const source = quoteSql(path);
  if (format === 'parquet') {
    // A row becomes an object of its columns; a NULL column is a null value, present in every row.
    await session.query(`CREATE OR REPLACE TEMP TABLE loaded AS
SELECT file_row_number AS event, json_merge_patch(to_json(p), '{"file_row_number":null}') AS record, 'event' AS state
FROM read_parquet(${source}, file_row_number = true) AS p`);
    return;
  }
  // Lines are read as text with their line number, so a line that is not JSON keeps its position (DESIGN).
  await session.query(`CREATE OR REPLACE TEMP TABLE loaded AS
WITH lines AS (
  SELECT ordinality, line FROM read_csv(${source}, columns = {'line': 'VARCHAR'}, header = false, delim = chr(1), quote = '', escape = '', auto_detect = false, max_line_size = 67108864) WITH ORDINALITY
), kept AS (
  SELECT row_number() OVER (ORDER BY ordinality) - 1 AS event, try_cast(line AS JSON) AS record
  FROM lines WHERE line IS NOT NULL AND sigma_trim(line) <> ''
)
SELECT event, record,
  CASE WHEN record IS NULL OR json_type(record) <> 'OBJECT' THEN 'unreadable' WHEN ${WINDOWS_FORM} THEN 'windows' ELSE 'event' END AS state
FROM kept`);
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
  await loadFile(session, path, format);
  const [counts] = await session.query(`SELECT count(*), count(*) FILTER (WHERE state = 'event'), count(*) FILTER (WHERE state = 'unreadable'), count(*) FILTER (WHERE state = 'windows') FROM loaded`);
  const [records, events, unreadable, windowsForm] = (counts ?? []).map(Number) as [number, number, number, number];
  const unreadableAt = unreadable > 0 ? (await session.query("SELECT event FROM loaded WHERE state = 'unreadable' ORDER BY event LIMIT 5")).map((row) => Number(row[0])) : [];
  let matches = 0;
  if (rules.length > 0 && events > 0) {
    const columns = rules.map((rule, index) => `${rule.query.condition} AS r${index}`).join(',\n  ');
    const sql = `WITH events AS (SELECT event, record FROM loaded WHERE state = 'event'),
hits AS (SELECT event,\n  ${columns}\nFROM events)
SELECT * FROM hits WHERE ${rules.map((_, index) => `r${index}`).join(' OR ')} ORDER BY event`;
    const result = await session.connection.stream(sql);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (chunk === null || chunk.rowCount === 0) break;
      for (const row of chunk.getRows()) {
        const event = Number(row[0]);
        rules.forEach((rule, index) => {
          if (row[index + 1] !== true) return;
          matches += 1;
          onMatch({ rule: rule.id, title: rule.title, level: rule.level, file: name, event });
        });
      }
    }
  }
  await session.query('DROP TABLE IF EXISTS loaded');
  return { file: name, format, records, events, unreadable, windowsForm, matches, unreadableAt };
}
