/**
 * An embedded DuckDB (@duckdb/node-api) with the converter's prelude installed: where the SQL
 * conversion runs, for `dac test`'s differential check and for `dac backtest`. The native binary comes
 * with the npm package of the platform; nothing is downloaded at run time.
 */
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { EventRecord, FieldValue } from '../compile/event-record.js';
import { DUCKDB_PRELUDE, extractFieldSql, quoteIdentifier, quoteSql } from '../convert/targets/duckdb.js';

/** An open DuckDB connection with the sigma_* macros. */
export interface DuckDbSession {
  readonly connection: DuckDBConnection;
  /** Runs a statement and returns its rows as arrays of JavaScript values. */
  query(sql: string): Promise<unknown[][]>;
  close(): void;
}

/**
 * DuckDB could not be loaded: @duckdb/node-api is an optional dependency (its native binary is one
 * platform's), so an install may lack it. What needs it says so and does not run.
 */
export class DuckDbUnavailableError extends Error {
  constructor(reason: string) {
    super(`DuckDB is not available (the optional dependency @duckdb/node-api is not installed or does not load here: ${reason})`);
    this.name = 'DuckDbUnavailableError';
  }
}

/** Loads the DuckDB module, or throws {@link DuckDbUnavailableError}. */
async function importDuckDb(): Promise<typeof import('@duckdb/node-api')> {
  try {
    return await import('@duckdb/node-api');
  } catch (error) {
    throw new DuckDbUnavailableError(error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error));
  }
}

/** Opens an in-memory DuckDB, optionally limited in memory and threads, and installs the prelude. */
export async function openDuckDb(options: { readonly threads?: number; readonly memoryLimit?: string; readonly tempDirectory?: string } = {}): Promise<DuckDbSession> {
  const { DuckDBInstance: Instance } = await importDuckDb();
  const settings: Record<string, string> = {};
  if (options.threads !== undefined) settings.threads = String(options.threads);
  if (options.memoryLimit !== undefined) settings.memory_limit = options.memoryLimit;
  if (options.tempDirectory !== undefined) settings.temp_directory = options.tempDirectory;
  const instance: DuckDBInstance = await Instance.create(':memory:', settings);
  const connection = await instance.connect();
  await connection.run(DUCKDB_PRELUDE);
  return {
    connection,
    async query(sql) {
      const reader = await connection.runAndReadAll(sql);
      return reader.getRows() as unknown[][];
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * An event as the SQL conversion reads it: an object of its taxonomy fields (what the engine's `get`
 * returns for each name the event lists, and for each name the rule reads).
 */
export function describeRecord(record: EventRecord, fields: readonly string[] = []): Record<string, FieldValue> {
  const object: Record<string, FieldValue> = Object.create(null) as Record<string, FieldValue>;
  for (const name of record.fieldNames()) {
    const value = record.get(name);
    if (value !== undefined) object[name] = value;
  }
  // A field the record answers without listing it (a dotted path, say) is added so the query sees it too.
  for (const name of fields) {
    if (Object.hasOwn(object, name)) continue;
    const value = record.get(name);
    if (value !== undefined) object[name] = value;
  }
  return object;
}

/**
 * Loads records into a table `events`: `k` (their index in the list), file, event, `record` (the event
 * as JSON), `sigma_keys` (its field names) and one JSON column per field in `columns`, filled as the
 * queries read them (see DUCKDB_PRELUDE's contract).
 */
export async function loadEventsTable(
  session: DuckDbSession,
  rows: readonly { file: string; event: number; record: Record<string, FieldValue> }[],
  columns: readonly string[],
): Promise<void> {
  await session.query('CREATE OR REPLACE TEMP TABLE sigma_raw_events (k BIGINT, file VARCHAR, event BIGINT, record JSON)');
  const BATCH = 500;
  for (let start = 0; start < rows.length; start += BATCH) {
    const values = rows
      .slice(start, start + BATCH)
      .map((row, offset) => `(${start + offset}, ${quoteSql(row.file)}, ${row.event}, ${quoteSql(JSON.stringify(row.record))})`)
      .join(',\n');
    await session.query(`INSERT INTO sigma_raw_events VALUES ${values}`);
  }
  const fields = [...new Set(columns)].map((field) => `, ${extractFieldSql('record', field)} AS ${quoteIdentifier(field)}`).join('');
  await session.query(`CREATE OR REPLACE TEMP TABLE events AS SELECT k, file, event, record, json_keys(record) AS sigma_keys${fields} FROM sigma_raw_events`);
}

/** The keys (`k`) of the loaded events a condition selects. */
export async function selectMatchingKeys(session: DuckDbSession, condition: string): Promise<Set<number>> {
  const rows = await session.query(`SELECT k FROM events WHERE ${condition}`);
  return new Set(rows.map((row) => Number(row[0])));
}
