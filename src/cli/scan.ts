import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../mapping/load-mappings.js';
import { loadCompiledRules } from '../scan/load-rules.js';
import { FileScanner } from '../scan/parallel-scan.js';
import { createScanEngine, type ScanMatch } from '../scan/scan-events.js';
import { EXIT_FAILURE, EXIT_USAGE, type CliIo } from './io.js';

/** The output formats of `dac scan`. */
export const SCAN_FORMATS = ['ndjson', 'text'] as const;

/** One of `SCAN_FORMATS`. */
export type ScanFormat = (typeof SCAN_FORMATS)[number];


/** Where compiled-rule results are kept between runs: the package's own node_modules/.cache, as build tools do. */
export const DEFAULT_SCAN_CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/sigma-dac/', import.meta.url));

const usage = `usage: dac scan --rules PATH [--rules PATH...] [--format ndjson|text] [--threads N] [--cache-dir DIR | --no-cache] FILE...

Runs Sigma detection rules over event files (EVTX, Event XML, JSON arrays, NDJSON, evtx_dump JSON).

  -r, --rules PATH          a rule file or a folder of rules (repeatable)
  -f, --format ndjson|text  ndjson (default): one {"rule","title","level","file","event"} object per match
                            text: one "file:event level title (rule)" line per match
      --threads N           worker threads for large NDJSON files (default: the cores available; 1: none)
      --cache-dir DIR       where what loading the rules found is kept between runs
                            (default: node_modules/.cache/sigma-dac in dac's folder)
      --no-cache            parse every rule again, keep nothing
  -h, --help                show this help

exit status: 0 ran, 1 a rule is invalid, 2 usage error or unreadable input
`;

const isFormat = (value: string): value is ScanFormat => (SCAN_FORMATS as readonly string[]).includes(value);

/** Renders one match in the NDJSON contract of DESIGN.md. */
export function renderMatchJson(match: ScanMatch): string {
  const { rule } = match.rule;
  return `${JSON.stringify({ rule: rule.id ?? rule.title, title: rule.title, level: rule.level ?? null, file: match.file, event: match.event })}\n`;
}

/** Renders one match as a line for people. */
export function renderMatchText(match: ScanMatch): string {
  const { rule } = match.rule;
  return `${match.file}:${match.event} ${rule.level ?? 'unknown'} ${rule.title} (${rule.id ?? rule.file})\n`;
}

/** Collects output and writes it in blocks, so a million matches are not a million writes. */
class BufferedWriter {
  private buffer = '';

  constructor(private readonly stream: { write(text: string): unknown }) {}

  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= 64 * 1024) this.flush();
  }

  flush(): void {
    if (this.buffer !== '') this.stream.write(this.buffer);
    this.buffer = '';
  }
}

/** What is wrong with the arguments of `dac scan`, if anything. */
function findUsageProblem(args: {
  readonly format: string;
  readonly threads: number | undefined;
  readonly threadsText: string | undefined;
  readonly rulePaths: readonly string[];
  readonly files: readonly string[];
  readonly cacheDir: string | undefined;
  readonly noCache: boolean;
}): string | undefined {
  if (!isFormat(args.format)) return `unknown format '${args.format}'; use ndjson or text`;
  if (args.threads !== undefined && (!Number.isInteger(args.threads) || args.threads < 1)) return `--threads takes a whole number of at least 1, not '${args.threadsText}'`;
  if (args.noCache && args.cacheDir !== undefined) return '--cache-dir and --no-cache exclude each other';
  if (args.rulePaths.length === 0) return 'no rules: give --rules PATH';
  if (args.files.length === 0) return 'no event files to scan';
  return undefined;
}

/**
 * `dac scan --rules PATH... [--format ndjson|text] FILE...`: runs rules over event files. Matches go to
 * stdout; diagnostics (rules and events) and a summary to stderr, with a progress bar when stderr is a
 * terminal. Exit 0 when it ran, 1 when a rule is invalid (the valid ones still run), 2 for usage errors
 * and unreadable input.
 */
export async function runScan(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        rules: { type: 'string', short: 'r', multiple: true },
        format: { type: 'string', short: 'f', default: 'ndjson' },
        threads: { type: 'string' },
        'cache-dir': { type: 'string' },
        'no-cache': { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.stderr.write(`dac scan: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) {
    io.stdout.write(usage);
    return 0;
  }
  const format = parsed.values.format;
  const rulePaths = parsed.values.rules ?? [];
  const files = parsed.positionals;
  const threads = parsed.values.threads === undefined ? undefined : Number(parsed.values.threads);
  const problem = findUsageProblem({ format, threads, threadsText: parsed.values.threads, rulePaths, files, cacheDir: parsed.values['cache-dir'], noCache: parsed.values['no-cache'] });
  if (problem !== undefined) {
    io.stderr.write(`dac scan: ${problem}\n\n${usage}`);
    return EXIT_USAGE;
  }

  const reportDiagnostic = (diagnostic: Diagnostic): void => {
    io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  };
  // The repository's log-source mappings gate Windows events by each rule's log source.
  const mappings = await loadMappings(DEFAULT_MAPPINGS_DIR);
  for (const diagnostic of mappings.diagnostics) reportDiagnostic(diagnostic);
  const cacheDir = parsed.values['no-cache'] ? undefined : path.resolve(io.cwd, parsed.values['cache-dir'] ?? DEFAULT_SCAN_CACHE_DIR);
  const loaded = await loadCompiledRules(rulePaths, io.cwd, cacheDir === undefined ? {} : { cacheDir }, mappings.mappings);
  for (const diagnostic of loaded.diagnostics) reportDiagnostic(diagnostic);
  if (loaded.cache?.problem !== undefined) io.stderr.write(`dac scan: the rule cache was not saved (${loaded.cache.problem}); the next run parses the rules again\n`);
  if (loaded.missing > 0) return EXIT_USAGE;

  const engine = createScanEngine(loaded.rules);
  const scanner = new FileScanner(engine, {
    pack: loaded.pack,
    mappingsDir: DEFAULT_MAPPINGS_DIR,
    mapping: mappings.mappings,
    ...(cacheDir !== undefined ? { cacheDir } : {}),
    ...(threads !== undefined ? { threads } : {}),
  });
  const out = new BufferedWriter(io.stdout);
  const render = format === 'text' ? renderMatchText : renderMatchJson;
  const bar = io.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: 'scanning {file} |{bar}| {value}/{total} files, {events} events, {matches} matches', stream: io.stderr as NodeJS.WritableStream, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let totalEvents = 0;
  let totalMatches = 0;
  let unreadable = false;
  bar?.start(files.length, 0, { file: '', events: 0, matches: 0 });
  try {
    for (const [index, file] of files.entries()) {
      const summary = await scanner.scanFile(path.resolve(io.cwd, file), file, {
        match: (match) => {
          totalMatches += 1;
          out.write(render(match));
        },
        diagnostic: (diagnostic) => {
          if (bar) bar.stop();
          reportDiagnostic(diagnostic);
          if (bar) bar.start(files.length, index, { file, events: totalEvents, matches: totalMatches });
        },
        progress: bar ? (events) => bar.update(index, { file, events: totalEvents + events, matches: totalMatches }) : undefined,
      });
      totalEvents += summary.events;
      unreadable ||= summary.unreadable;
      bar?.update(index + 1, { file, events: totalEvents, matches: totalMatches });
    }
  } finally {
    await scanner.close();
  }
  if (scanner.entryProblem !== undefined) io.stderr.write(`dac scan: worker threads started through tsx, the bundled worker could not be built (${scanner.entryProblem})\n`);
  bar?.stop();
  out.flush();
  io.stderr.write(
    `dac scan: ${loaded.rules.length} rule${loaded.rules.length === 1 ? '' : 's'}, ${files.length} file${files.length === 1 ? '' : 's'}, ` +
      `${totalEvents} events parsed, ${totalMatches} match${totalMatches === 1 ? '' : 'es'}` +
      `${loaded.invalid > 0 ? `, ${loaded.invalid} invalid rule${loaded.invalid === 1 ? '' : 's'} skipped` : ''}\n`,
  );
  if (unreadable) return EXIT_USAGE;
  return loaded.invalid > 0 ? EXIT_FAILURE : 0;
}
