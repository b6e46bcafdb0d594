/**
 * Back-test benchmark: DuckDB's throughput beside `dac scan`'s on the same generated NDJSON file
 * (1,000,000 flat process-creation events by default, ~1.1 GB, shared with the engine benchmark), and a
 * check that their verdicts are identical: the two commands must print the same match lines, byte for byte.
 *   (a) `dac scan --rules R FILE`
 *   (b) `dac backtest --rules R FILE` (DuckDB, all cores, out of core past --memory-limit)
 *   (c) `dac backtest --rules R FILE.parquet`, the same events written once as Parquet
 * With --sigmahq, R is every SigmaHQ rule of ../shared/data/sigmahq (or --sigmahq-dir) for Windows
 * process creation that converts to exact SQL; the rules that do not are counted by reason.
 *
 * Run: `npx tsx bench/backtest.ts [--events N] [--keep] [--sigmahq] [--sigmahq-dir DIR] [--events-file FILE]`
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { generateEvents } from './gen-events.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'bench', 'out');
const DAC = path.join(ROOT, 'bin', 'dac.js');
const WEBSHELL_RULE = path.join(ROOT, 'rules', 'windows', 'process_creation', 'proc_creation_win_webshell_spawn.yml');
const RSS_PROBE =
  'data:text/javascript,import{writeSync}from"node:fs";process.on("exit",()=>writeSync(2,`\\nbench-peak-rss-kb ${process.resourceUsage().maxRSS}\\n`))';

interface Measured {
  readonly seconds: number;
  readonly peakRssMb: number;
  readonly lines: number;
  readonly digest: string;
}

/** Runs `dac` with arguments; hashes its stdout (the match lines, `rename` read as `as`) without keeping it. */
function measure(args: readonly string[], rename?: { from: string; as: string }): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--import', RSS_PROBE, DAC, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const hash = createHash('sha256');
    let lines = 0;
    let stderr = '';
    let pending = '';
    child.stdout.on('data', (chunk: Buffer) => {
      if (rename) {
        pending += chunk.toString();
        const end = pending.lastIndexOf('\n') + 1;
        hash.update(pending.slice(0, end).replaceAll(rename.from, rename.as));
        pending = pending.slice(end);
      } else hash.update(chunk);
      for (const byte of chunk) if (byte === 10) lines += 1;
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-8192);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const rss = /bench-peak-rss-kb (\d+)/.exec(stderr);
      if (code === 2 || !rss) {
        reject(new Error(`dac ${args.join(' ')} exited with ${code}: ${stderr}`));
        return;
      }
      resolve({ seconds, peakRssMb: Number(rss[1]) / 1024, lines, digest: hash.digest('hex') });
    });
  });
}

/** Copies the SigmaHQ Windows process-creation rules that convert to exact SQL; counts the others by reason. */
async function selectSigmaHqRules(dir: string, into: string): Promise<{ converted: number; total: number; reasons: Map<string, number> }> {
  const { readRulesForConversion, convertRules } = await import('../src/convert/convert-files.js');
  const { SQL_PROFILES } = await import('../src/convert/target-profiles.js');
  const read = await readRulesForConversion([dir], dir, 'sql');
  const rules = read.rules.filter((rule) => rule.logsource.category === 'process_creation' && rule.logsource.product === 'windows');
  const reasons = new Map<string, number>();
  await rm(into, { recursive: true, force: true });
  await mkdir(into, { recursive: true });
  let converted = 0;
  for (const rule of rules) {
    const result = convertRules([rule], SQL_PROFILES.filter((p) => p.target === 'sql'), []);
    if (result.queries.length === 0) {
      const reason = (result.diagnostics[0]?.message ?? 'unknown').replace(/^rule [^:]*: /, '').replace(/item [^:]*: /, '').replace(/\(target.*$/, '').replace(/\([^)]*\)/g, '(…)').slice(0, 90);
      reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
      continue;
    }
    converted += 1;
    await cp(path.join(dir, rule.file), path.join(into, `${converted}-${path.basename(rule.file)}`));
  }
  return { converted, total: rules.length, reasons };
}

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '1000000' },
    keep: { type: 'boolean', default: false },
    sigmahq: { type: 'boolean', default: false },
    'sigmahq-dir': { type: 'string' },
    'events-file': { type: 'string' },
  },
});
const eventCount = Number(values.events);
const eventsFile = values['events-file'] ?? path.join(OUT, `events-${eventCount}.ndjson`);
if (values['events-file'] === undefined && (!values.keep || !existsSync(eventsFile))) {
  const started = Date.now();
  const webShells = await generateEvents(eventsFile, eventCount, 1);
  process.stdout.write(`generated ${eventCount} events (${webShells} web-shell-like), ${(statSync(eventsFile).size / 1e6).toFixed(0)} MB, in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
let rules = WEBSHELL_RULE;
let label = 'the web-shell rule';
if (values.sigmahq) {
  const dir = values['sigmahq-dir'] ?? path.join(ROOT, '..', 'shared', 'data', 'sigmahq');
  rules = path.join(OUT, 'sigmahq-sql-rules');
  const selected = await selectSigmaHqRules(dir, rules);
  label = `${selected.converted} SigmaHQ process-creation rules`;
  process.stdout.write(`SigmaHQ Windows process-creation rules: ${selected.total}; exact SQL: ${selected.converted}; not converted: ${selected.total - selected.converted}\n`);
  for (const [reason, count] of [...selected.reasons].sort((a, b) => b[1] - a[1]).slice(0, 8)) process.stdout.write(`  ${String(count).padStart(4)}  ${reason}\n`);
}

const scan = await measure(['scan', '--rules', rules, eventsFile]);
const backtest = await measure(['backtest', '--rules', rules, eventsFile]);
// The same events as Parquet (columns typed by DuckDB's reading of the NDJSON), as a data lake keeps them.
const parquetFile = eventsFile.replace(/\.ndjson$/, '.parquet');
if (!values.keep || !existsSync(parquetFile)) {
  const { openDuckDb } = await import('../src/backtest/duckdb-session.js');
  const session = await openDuckDb();
  await session.query(`COPY (SELECT * FROM read_json('${eventsFile}', format = 'newline_delimited')) TO '${parquetFile}' (FORMAT parquet)`);
  session.close();
}
const parquet = await measure(['backtest', '--rules', rules, parquetFile], { from: JSON.stringify(parquetFile).slice(1, -1), as: JSON.stringify(eventsFile).slice(1, -1) });
const megabytes = statSync(eventsFile).size / 1e6;
const row = (name: string, m: Measured): string =>
  `${name.padEnd(22)} ${m.seconds.toFixed(2).padStart(8)} s ${(eventCount / m.seconds / 1000).toFixed(0).padStart(6)}k events/s ${(megabytes / m.seconds).toFixed(0).padStart(5)} MB/s ${m.peakRssMb.toFixed(0).padStart(6)} MB peak RSS  ${m.lines} matches`;
process.stdout.write(
  [
    `events: ${eventCount} (${megabytes.toFixed(0)} MB NDJSON), rules: ${label}`,
    row('(a) dac scan', scan),
    row('(b) dac backtest NDJSON', backtest),
    row('(c) dac backtest Parquet', parquet),
    `a/b = ${(scan.seconds / backtest.seconds).toFixed(2)}, a/c = ${(scan.seconds / parquet.seconds).toFixed(2)} (DuckDB's speed-up over the engine; below 1 is slower)`,
    `verdicts identical: ${scan.digest === backtest.digest && scan.digest === parquet.digest ? 'yes' : 'NO'} (sha256 of the match lines: scan ${scan.digest.slice(0, 16)}, NDJSON ${backtest.digest.slice(0, 16)}, Parquet ${parquet.digest.slice(0, 16)})`,
  ].join('\n') + '\n',
);
if (scan.digest !== backtest.digest || scan.digest !== parquet.digest) process.exitCode = 1;
