import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { backtestFile, detectFormat, type BacktestMatch, type BacktestRule } from '../backtest/run-backtest.js';
import { DuckDbUnavailableError, openDuckDb, type DuckDbSession } from '../backtest/duckdb-session.js';
import { convertRules, readFilters, readRulesForConversion } from '../convert/convert-files.js';
import { quoteSql } from '../convert/targets/duckdb.js';
import { SQL_PROFILES } from '../convert/target-profiles.js';
import { formatDiagnostic, hasErrors } from '../diagnostics/diagnostic.js';
import { defineCommand, parseCommandLine, reportUsageError } from './command-spec.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './io.js';

/** `dac backtest`'s options, read by the parser and printed by `--help`. */
export const backtestSpec = defineCommand({
  name: 'backtest',
  operands: 'FILE|GLOB...',
  description: `Runs the rules' DuckDB SQL (what \`dac convert --target sql\` writes, held to the engine by \`dac test\`)
over NDJSON (.ndjson, .jsonl, .json) or Parquet files of events in taxonomy field names, out of core.
Matches are printed as \`dac scan\` prints them; a per-file account of records on stderr.

Records in a Windows form (Channel/EventID, evtx_dump, Winlogbeat ECS) need the log-source mapping and
are counted and skipped; run \`dac scan\` on them.`,
  options: {
    rules: { type: 'string', short: 'r', multiple: true, required: true, value: 'PATH', help: 'a rule file or a folder of rules' },
    filters: { type: 'string', value: 'DIR', help: 'Sigma filters to apply to the rules they name (default: none, as dac scan)' },
    format: {
      type: 'string',
      short: 'f',
      choices: ['ndjson', 'text'],
      default: 'ndjson',
      help: 'ndjson: {"rule","title","level","file","event"} per match; text: one line per match',
    },
    'memory-limit': { type: 'string', value: 'SIZE', default: '1GB', help: "DuckDB's memory limit; past it DuckDB spills to a temporary folder" },
    threads: { type: 'string', value: 'N', help: "DuckDB's threads (default: all cores)" },
  },
  exitStatus: '0 ran, 1 a rule is invalid or has no exact SQL, 2 usage error or unreadable input',
});

/** `dac backtest`: the SQL conversion of the rules over event files in DuckDB. */
export async function runBacktest(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(backtestSpec, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const { values, operands: positionals } = parsed;
  const rulePaths = values.rules;
  const format = values.format;
  const threads = values.threads === undefined ? undefined : Number(values.threads);
  if (positionals.length === 0) return reportUsageError(backtestSpec, 'no event files', io);
  if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) {
    return reportUsageError(backtestSpec, '--threads takes a whole number above 0', io);
  }
  const report = (text: string): void => {
    io.stderr.write(`${text}\n`);
  };

  const read = await readRulesForConversion(rulePaths, io.cwd, 'sql');
  for (const diagnostic of read.diagnostics) report(formatDiagnostic(diagnostic));
  if (read.missing > 0) return EXIT_USAGE;
  const filters = await readFilters(values.filters === undefined ? undefined : resolve(io.cwd, values.filters), io.cwd);
  for (const diagnostic of filters.diagnostics) report(formatDiagnostic(diagnostic));
  const profile = SQL_PROFILES.filter((p) => p.target === 'sql');
  const converted = convertRules(read.rules, profile, filters.filters);
  for (const diagnostic of converted.diagnostics) report(formatDiagnostic(diagnostic));
  const rules: BacktestRule[] = converted.queries.map((query) => {
    const rule = read.rules.find((candidate) => candidate.file === query.file && candidate.title === query.title);
    return { id: query.ruleId ?? query.title, title: query.title, level: rule?.level ?? null, query };
  });
  const invalid = hasErrors(read.diagnostics) || read.rules.length > rules.length;

  // Out of core: past the memory limit DuckDB spills to a folder of its own under the system's temp.
  const spill = await mkdtemp(join(tmpdir(), 'dac-backtest-'));
  let session: DuckDbSession;
  try {
    session = await openDuckDb({
      ...(threads !== undefined ? { threads } : {}),
      memoryLimit: values['memory-limit'],
      tempDirectory: spill,
    });
  } catch (error) {
    await rm(spill, { recursive: true, force: true });
    if (!(error instanceof DuckDbUnavailableError)) throw error;
    report(`dac backtest: ${error.message}; dac scan runs the same rules without it`);
    return EXIT_USAGE;
  }
  let unreadableInput = false;
  try {
    // A glob is expanded by DuckDB (its own glob syntax); a plain path is read as named.
    const files: { path: string; name: string }[] = [];
    for (const argument of positionals) {
      if (/[*?[]/.test(argument)) {
        const matched = await session.query(`SELECT file FROM glob(${quoteSql(resolve(io.cwd, argument))}) ORDER BY file`);
        if (matched.length === 0) {
          report(`${argument}: no file matches`);
          unreadableInput = true;
        }
        for (const [file] of matched) files.push({ path: String(file), name: String(file) });
      } else files.push({ path: resolve(io.cwd, argument), name: argument });
    }
    const bar = io.stderr.isTTY
      ? new cliProgress.SingleBar({ format: 'backtest {file} |{bar}| {value}/{total} files, {events} events, {matches} matches', stream: io.stderr as NodeJS.WritableStream, clearOnComplete: true }, cliProgress.Presets.shades_classic)
      : undefined;
    let buffer = '';
    const flush = (): void => {
      if (buffer !== '') io.stdout.write(buffer);
      buffer = '';
    };
    const render = format === 'text'
      ? (match: BacktestMatch) => `${match.file}:${match.event} ${match.level ?? 'unknown'} ${match.title} (${match.rule})\n`
      : (match: BacktestMatch) => `${JSON.stringify(match)}\n`;
    let totalEvents = 0;
    let totalMatches = 0;
    bar?.start(files.length, 0, { file: '', events: 0, matches: 0 });
    const accounts: string[] = [];
    for (const [index, file] of files.entries()) {
      bar?.update(index, { file: file.name, events: totalEvents, matches: totalMatches });
      const fileFormat = detectFormat(file.path);
      if (fileFormat === undefined || !existsSync(file.path)) {
        accounts.push(`${file.name}: ${fileFormat === undefined ? 'not NDJSON or Parquet (by its extension)' : 'no such file'}; not read`);
        unreadableInput = true;
        continue;
      }
      try {
        const account = await backtestFile(session, file.path, file.name, fileFormat, rules, (match) => {
          totalMatches += 1;
          buffer += render(match);
          if (buffer.length > 65536) flush();
        });
        totalEvents += account.events;
        const skipped = [
          account.unreadable > 0 ? `${account.unreadable} unreadable (not a JSON object; first at ${account.unreadableAt.join(', ')})` : '',
          account.windowsForm > 0 ? `${account.windowsForm} skipped: in a Windows form that needs the log-source mapping (use dac scan)` : '',
        ].filter((part) => part !== '');
        accounts.push(`${file.name}: ${account.records} records, ${account.events} events in taxonomy form, ${account.matches} matches${skipped.length ? `; ${skipped.join('; ')}` : ''}`);
      } catch (error) {
        accounts.push(`${file.name}: cannot be read: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        unreadableInput = true;
      }
    }
    bar?.stop();
    flush();
    for (const account of accounts) report(`dac backtest: ${account}`);
    report(`dac backtest: ${rules.length} rule(s) as DuckDB SQL, ${files.length} file(s), ${totalEvents} events, ${totalMatches} match${totalMatches === 1 ? '' : 'es'}`);
  } finally {
    session.close();
    await rm(spill, { recursive: true, force: true });
  }
  if (unreadableInput) return EXIT_USAGE;
  return invalid ? EXIT_FAILURE : EXIT_OK;
}
