import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDiagnostic, formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { formatAccountTotals, formatInputAccount, totalAccounts, type InputAccount } from '../events/input-account.js';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../mapping/load-mappings.js';
import type { Mapping } from '../mapping/mapping.js';
import { canReachRule, createSourceRecogniser, type SourceRecogniser } from '../mapping/recognise-source.js';
import { describeLogSource, resolveLogSource } from '../mapping/resolve-log-source.js';
import { loadCompiledRules, type RulePack } from '../scan/load-rules.js';
import { FileScanner, RUNS_COMPILED } from '../scan/parallel-scan.js';
import { createScanEngine, type ScanMatch } from '../scan/scan-events.js';
import { resolveEventInputs } from '../events/event-inputs.js';
import { escapeControlCharacters, escapeJsonControlCharacters } from '../text/control-characters.js';
import { defineCommand, parseCommandLine, reportUsageError } from './command-spec.js';
import { EXIT_FAILURE, EXIT_USAGE, printText, writeWithBackPressure, type CliIo, type OutputStream } from './io.js';
import { createScanProgress } from './scan-progress.js';

/** The output formats of `dac scan`. */
export const SCAN_FORMATS = ['ndjson', 'text'] as const;

/** One of `SCAN_FORMATS`. */
export type ScanFormat = (typeof SCAN_FORMATS)[number];

/**
 * Where what loading the rules found is kept between runs, as build tools keep theirs: in `.cache/sigma-dac`
 * of the node_modules folder dac is installed in, or of the repository's own node_modules when dac runs
 * from its sources.
 */
export const DEFAULT_SCAN_CACHE_DIR = findDefaultCacheDir();

function findDefaultCacheDir(): string {
  // This module is src/cli/scan.ts in the repository, lib/src/cli/scan.js in the package.
  const packageRoot = fileURLToPath(new URL(RUNS_COMPILED ? '../../../' : '../../', import.meta.url));
  const parent = path.dirname(packageRoot);
  const nodeModules = path.basename(parent) === 'node_modules' ? parent : path.join(packageRoot, 'node_modules');
  return path.join(nodeModules, '.cache', 'sigma-dac');
}

/** `dac scan`'s options, read by the parser and printed by `--help`. */
export const scanSpec = defineCommand({
  name: 'scan',
  operands: 'FILE...',
  description: `Runs Sigma detection rules over event files (EVTX, Event XML, JSON arrays, NDJSON, evtx_dump JSON).
Matches go to stdout; diagnostics and a summary to stderr, with a progress bar when stderr is a terminal.

An INPUT is an event file, a folder (walked for .evtx, .xml, .json, .ndjson and .jsonl files; hidden
files and links inside it are not read, and are reported), - for standard input, or a FIFO or process
substitution such as <(zcat logs.ndjson.gz), read as a stream.

On stderr, per input: records read, recognised (by log source), not recognised (by shape: format,
channel and event id, or the top-level keys of a JSON object), skipped (damaged or too large, by
reason), and not parsed (NDJSON lines in which no rule literal occurs); then a warning for each rule
no record of the input could reach.`,
  options: {
    rules: { type: 'string', short: 'r', multiple: true, required: true, value: 'PATH', help: 'a rule file or a folder of rules' },
    format: {
      type: 'string',
      short: 'f',
      choices: SCAN_FORMATS,
      default: 'ndjson',
      help: 'ndjson: one {"rule","title","level","file","event"} object per match\ntext: one "file:event level title (rule)" line per match\n(event: the 0-based position of the event in its file)',
    },
    'fifo-wait': { type: 'string', value: 'SECONDS', default: '10', help: 'how long a FIFO may wait for a process to write to it' },
    threads: {
      type: 'string',
      value: 'N',
      help: 'threads for regular NDJSON files of 8 MiB or more (default: the cores available; 1: none)\nstreams (-, FIFOs) and other formats are read in one thread',
    },
    'cache-dir': {
      type: 'string',
      value: 'DIR',
      help: 'where what loading the rules found is kept between runs\n(default: .cache/sigma-dac in the node_modules folder dac is in)',
    },
    'no-cache': { type: 'boolean', help: 'parse every rule again, keep nothing' },
  },
  exitStatus: '0 ran, 1 a rule is invalid, 2 usage error or unreadable input,\n74 standard output could not be written, 141 the reader of standard output went away',
});

/** Renders one match in the NDJSON contract of DESIGN.md (control characters encoded, see text/control-characters). */
export function renderMatchJson(match: ScanMatch): string {
  const { rule } = match.rule;
  return `${escapeJsonControlCharacters(JSON.stringify({ rule: rule.id ?? rule.title, title: rule.title, level: rule.level ?? null, file: match.file, event: match.event }))}\n`;
}

/** Renders one match as a line for people; rule text and file names have their control characters escaped. */
export function renderMatchText(match: ScanMatch): string {
  const { rule } = match.rule;
  return `${escapeControlCharacters(`${match.file}:${match.event} ${rule.level ?? 'unknown'} ${rule.title} (${rule.id ?? rule.file})`)}\n`;
}

/** Thrown inside the scan loop when standard output can no longer be written: the scan stops there. */
class OutputGone extends Error {}

/**
 * Collects output and writes it in blocks, so a million matches are not a million writes; a full
 * block waits until the stream has room (back-pressure), and a failed stream stops the scan.
 */
class BufferedWriter {
  private buffer = '';

  constructor(private readonly stream: OutputStream) {}

  write(text: string): Promise<void> | undefined {
    this.buffer += text;
    return this.buffer.length >= 64 * 1024 ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (this.buffer !== '') {
      const text = this.buffer;
      this.buffer = '';
      await writeWithBackPressure(this.stream, text);
    }
    if (this.stream.failure) throw new OutputGone();
  }
}

/** Parses --fifo-wait: seconds, fractions allowed. */
const readSeconds = (value: string): number | undefined => (/^\d+(\.\d+)?$/.test(value) ? Number(value) : undefined);

/**
 * A warning for each rule no record of the input could reach: no record was of its log source (and no
 * flat record, which reaches every rule, was read). Lines the prefilter did not parse are unknown; the
 * warning says how many, and that they could not have matched any rule.
 */
export function findUnreachedRules(pack: RulePack, mapping: Mapping, recogniser: SourceRecogniser, notParsed: number): Diagnostic[] {
  const unparsed = notParsed > 0 ? `; ${notParsed} record${notParsed === 1 ? ' was' : 's were'} not parsed (no rule literal occurs in them, so none could match)` : '';
  // From the rules' plain data: a rule the scan never evaluated is not parsed again to be named.
  return pack.records.flatMap((record) => {
    const bindings = resolveLogSource(mapping, record.logsource);
    if (canReachRule(bindings, recogniser)) return [];
    const sources = bindings.length === 0 ? 'no mapping routes any event to it' : `its sources: ${bindings.map((b) => b.id).join(', ')}`;
    const file = pack.files[record.text]?.displayName ?? '';
    return [createDiagnostic(file, record.logsourceAt, 'scan/unreached-rule', 'warning',
      `rule '${record.title}': no record of the input is of its logsource {${describeLogSource(record.logsource)}} (${sources})${unparsed}`)];
  });
}

/**
 * `dac scan --rules PATH... [--format ndjson|text] INPUT...`: runs rules over event files, folders,
 * standard input and FIFOs. Matches go to stdout, at the pace of its reader; diagnostics (rules and
 * events), every input's account and a summary to stderr, with a progress bar when stderr is a terminal.
 * Exit 0 when it ran, 1 when a rule is invalid (the valid ones still run), 2 for usage errors and
 * unreadable input; when standard output fails, the scan stops and `main` decides the status (141
 * closed pipe, 74 otherwise).
 */
export async function runScan(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(scanSpec, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const { format, rules: rulePaths } = parsed.values;
  const inputs = parsed.operands;
  if (inputs.length === 0) return reportUsageError(scanSpec, 'no inputs to scan: name event files, folders, or - for standard input', io);
  const fifoWait = readSeconds(parsed.values['fifo-wait']);
  if (fifoWait === undefined) return reportUsageError(scanSpec, `--fifo-wait takes a number of seconds, not '${parsed.values['fifo-wait']}'`, io);
  const threadsText = parsed.values.threads;
  const threads = threadsText === undefined ? undefined : /^\d+$/.test(threadsText) ? Number(threadsText) : Number.NaN;
  if (threads !== undefined && !(threads >= 1)) return reportUsageError(scanSpec, `--threads takes a whole number of at least 1, not '${threadsText}'`, io);
  if (parsed.values['no-cache'] && parsed.values['cache-dir'] !== undefined) return reportUsageError(scanSpec, '--cache-dir and --no-cache exclude each other', io);
  const cacheDir = parsed.values['no-cache'] ? undefined : path.resolve(io.cwd, parsed.values['cache-dir'] ?? DEFAULT_SCAN_CACHE_DIR);

  const reportDiagnostic = (diagnostic: Diagnostic): Promise<void> => writeWithBackPressure(io.stderr, `${formatDiagnostic(diagnostic)}\n`);
  // The repository's log-source mappings gate Windows events by each rule's log source.
  const mappings = await loadMappings(DEFAULT_MAPPINGS_DIR);
  for (const diagnostic of mappings.diagnostics) await reportDiagnostic(diagnostic);
  const loaded = await loadCompiledRules(rulePaths, io.cwd, cacheDir === undefined ? {} : { cacheDir }, mappings.mappings);
  for (const diagnostic of loaded.diagnostics) await reportDiagnostic(diagnostic);
  // A cache that cannot be written costs time, never the scan: one warning.
  const cacheProblem = loaded.cache?.problem;
  if (cacheProblem !== undefined) {
    printText(io.stderr, `dac scan: warning: the rule cache was not saved (${cacheProblem}); the next run parses the rules again (give --cache-dir DIR, or --no-cache)\n`);
  }
  if (loaded.missing > 0) return EXIT_USAGE;

  const engine = createScanEngine(loaded.rules);
  const recogniser = createSourceRecogniser(mappings.mappings);
  const scanner = new FileScanner(engine, {
    pack: loaded.pack,
    mappingsDir: DEFAULT_MAPPINGS_DIR,
    mapping: mappings.mappings,
    recogniser,
    ...(cacheDir !== undefined ? { cacheDir } : {}),
    ...(threads !== undefined ? { threads } : {}),
  });
  const accounts: InputAccount[] = [];
  const out = new BufferedWriter(io.stdout);
  const render = format === 'text' ? renderMatchText : renderMatchJson;
  const bar = createScanProgress(io, inputs.length);
  let totalEvents = 0;
  let totalMatches = 0;
  let scanned = 0;
  let unreadable = false;
  const note = async (diagnostic: Diagnostic): Promise<void> => {
    bar?.pause();
    await reportDiagnostic(diagnostic);
    bar?.resume();
  };
  const stdin = (io.stdin ?? process.stdin) as AsyncIterable<Uint8Array>;
  try {
    for await (const item of resolveEventInputs(inputs, { cwd: io.cwd, stdin, fifoWaitMs: fifoWait * 1000 })) {
      if (item.kind === 'diagnostic') {
        unreadable ||= item.unreadable;
        await note(item.diagnostic);
        continue;
      }
      const { name, source } = item.input;
      // A folder expands to many inputs: the count grows as they come.
      bar?.setInputs(Math.max(inputs.length, scanned + 1));
      const size = typeof source === 'string' ? await stat(path.resolve(io.cwd, source)).then((info) => info.size, () => undefined) : undefined;
      bar?.startFile(scanned, escapeControlCharacters(name), size);
      const summary = await scanner.scanFile(source, name, {
        match: (match) => {
          totalMatches += 1;
          return out.write(render(match));
        },
        diagnostic: note,
        progress: bar ? (events, bytes) => bar.update(bytes, totalEvents + events, totalMatches) : undefined,
      });
      accounts.push(summary.account);
      scanned += 1;
      totalEvents += summary.events;
      unreadable ||= summary.unreadable;
    }
    bar?.stop();
    await out.flush();
    // A failure of the last writes shows only once they have left: the summary must not claim them.
    await io.stdout.finished?.();
    if (io.stdout.failure) throw new OutputGone();
  } catch (error) {
    bar?.stop();
    // The reader of the output went away or the output failed: stop reading; main says how it ended.
    if (error instanceof OutputGone) return EXIT_FAILURE;
    throw error;
  } finally {
    await scanner.close();
  }
  // In the repository, workers run a bundle of the sources; without one they still run, through tsx.
  if (scanner.entryProblem !== undefined && cacheProblem === undefined) {
    printText(io.stderr, `dac scan: warning: worker threads started through tsx, the bundled worker could not be kept (${scanner.entryProblem})\n`);
  }
  // Every record of every input, accounted for; then every rule no record of the input could reach.
  for (const account of accounts) printText(io.stderr, `${formatInputAccount(account)}\n`);
  const totals = totalAccounts(accounts);
  const unreached = findUnreachedRules(loaded.pack, mappings.mappings, recogniser, totals.notParsed);
  for (const diagnostic of unreached) await reportDiagnostic(diagnostic);
  await writeWithBackPressure(io.stderr,
    `dac scan: ${loaded.rules.length} rule${loaded.rules.length === 1 ? '' : 's'}, ${scanned} input${scanned === 1 ? '' : 's'}, ` +
      `${formatAccountTotals(totals)}, ${totalMatches} match${totalMatches === 1 ? '' : 'es'}` +
      `${scanner.workersUsed > 0 ? `, scanned on ${scanner.workersUsed + 1} threads` : ''}` +
      `${unreached.length > 0 ? `, ${unreached.length} rule${unreached.length === 1 ? '' : 's'} no record could reach` : ''}` +
      `${loaded.invalid > 0 ? `, ${loaded.invalid} invalid rule${loaded.invalid === 1 ? '' : 's'} skipped` : ''}\n`,
  );
  if (unreadable) return EXIT_USAGE;
  return loaded.invalid > 0 ? EXIT_FAILURE : 0;
}
