import { stat } from 'node:fs/promises';
import path from 'node:path';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../mapping/load-mappings.js';
import { loadCompiledRules } from '../scan/load-rules.js';
import { createScanEngine, scanEventFile, type ScanMatch } from '../scan/scan-events.js';
import { defineCommand, parseCommandLine, reportUsageError } from './command-spec.js';
import { EXIT_FAILURE, EXIT_USAGE, type CliIo } from './io.js';
import { createScanProgress } from './scan-progress.js';

/** The output formats of `dac scan`. */
export const SCAN_FORMATS = ['ndjson', 'text'] as const;

/** One of `SCAN_FORMATS`. */
export type ScanFormat = (typeof SCAN_FORMATS)[number];

/** `dac scan`'s options, read by the parser and printed by `--help`. */
export const scanSpec = defineCommand({
  name: 'scan',
  operands: 'FILE...',
  description: `Runs Sigma detection rules over event files (EVTX, Event XML, JSON arrays, NDJSON, evtx_dump JSON).
Matches go to stdout; diagnostics and a summary to stderr, with a progress bar when stderr is a terminal.`,
  options: {
    rules: { type: 'string', short: 'r', multiple: true, required: true, value: 'PATH', help: 'a rule file or a folder of rules' },
    format: {
      type: 'string',
      short: 'f',
      choices: SCAN_FORMATS,
      default: 'ndjson',
      help: 'ndjson: one {"rule","title","level","file","event"} object per match\ntext: one "file:event level title (rule)" line per match',
    },
  },
  exitStatus: '0 ran, 1 a rule is invalid, 2 usage error or unreadable input',
});

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

/**
 * `dac scan --rules PATH... [--format ndjson|text] FILE...`: runs rules over event files. Matches go to
 * stdout; diagnostics (rules and events) and a summary to stderr, with a progress bar when stderr is a
 * terminal. Exit 0 when it ran, 1 when a rule is invalid (the valid ones still run), 2 for usage errors
 * and unreadable input.
 */
export async function runScan(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(scanSpec, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const { format, rules: rulePaths } = parsed.values;
  const files = parsed.operands;
  if (files.length === 0) return reportUsageError(scanSpec, 'no event files to scan', io);

  const reportDiagnostic = (diagnostic: Diagnostic): void => {
    io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  };
  // The repository's log-source mappings gate Windows events by each rule's log source.
  const mappings = await loadMappings(DEFAULT_MAPPINGS_DIR);
  for (const diagnostic of mappings.diagnostics) reportDiagnostic(diagnostic);
  const loaded = await loadCompiledRules(rulePaths, io.cwd, {}, mappings.mappings);
  for (const diagnostic of loaded.diagnostics) reportDiagnostic(diagnostic);
  if (loaded.missing > 0) return EXIT_USAGE;

  const engine = createScanEngine(loaded.rules);
  const out = new BufferedWriter(io.stdout);
  const render = format === 'text' ? renderMatchText : renderMatchJson;
  const bar = createScanProgress(io, files.length);
  let totalEvents = 0;
  let totalMatches = 0;
  let unreadable = false;
  for (const [index, file] of files.entries()) {
    const absolute = path.resolve(io.cwd, file);
    bar?.startFile(index, file, await stat(absolute).then((info) => info.size, () => undefined));
    const summary = await scanEventFile(absolute, file, engine, {
      match: (match) => {
        totalMatches += 1;
        out.write(render(match));
      },
      diagnostic: (diagnostic) => {
        bar?.pause();
        reportDiagnostic(diagnostic);
        bar?.resume();
      },
      progress: bar ? (events, bytes) => bar.update(bytes, totalEvents + events, totalMatches) : undefined,
    });
    totalEvents += summary.events;
    unreadable ||= summary.unreadable;
  }
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
