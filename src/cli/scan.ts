import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../mapping/load-mappings.js';
import { loadCompiledRules } from '../scan/load-rules.js';
import { createScanEngine, scanEventFile, type ScanMatch } from '../scan/scan-events.js';
import { resolveEventInputs } from '../events/event-inputs.js';
import { escapeControlCharacters, escapeJsonControlCharacters } from '../text/control-characters.js';
import { EXIT_FAILURE, EXIT_USAGE, writeWithBackPressure, type CliIo, type OutputStream } from './io.js';

/** The output formats of `dac scan`. */
export const SCAN_FORMATS = ['ndjson', 'text'] as const;

/** One of `SCAN_FORMATS`. */
export type ScanFormat = (typeof SCAN_FORMATS)[number];


const usage = `usage: dac scan --rules PATH [--rules PATH...] [--format ndjson|text] [--fifo-wait SECONDS] INPUT...

Runs Sigma detection rules over event files (EVTX, Event XML, JSON arrays, NDJSON, evtx_dump JSON).
An INPUT is an event file, a folder (walked for .evtx, .xml, .json, .ndjson and .jsonl files; hidden
files and links inside it are not read, and are reported), - for standard input, or a FIFO or process
substitution such as <(zcat logs.ndjson.gz), read as a stream.

  -r, --rules PATH          a rule file or a folder of rules (repeatable)
  -f, --format ndjson|text  ndjson (default): one {"rule","title","level","file","event"} object per match
                            text: one "file:event level title (rule)" line per match
      --fifo-wait SECONDS   how long a FIFO may wait for a process to write to it (default 10)
  -h, --help                show this help

exit status: 0 ran, 1 a rule is invalid, 2 usage error or unreadable input,
             74 standard output could not be written, 141 the reader of standard output went away
`;

const isFormat = (value: string): value is ScanFormat => (SCAN_FORMATS as readonly string[]).includes(value);

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
 * `dac scan --rules PATH... [--format ndjson|text] INPUT...`: runs rules over event files, folders,
 * standard input and FIFOs. Matches go to stdout, at the pace of its reader; diagnostics (rules and
 * events) and a summary to stderr, with a progress bar when stderr is a terminal. Exit 0 when it ran,
 * 1 when a rule is invalid (the valid ones still run), 2 for usage errors and unreadable input; when
 * standard output fails, the scan stops and `main` decides the status (141 closed pipe, 74 otherwise).
 */
export async function runScan(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        rules: { type: 'string', short: 'r', multiple: true },
        format: { type: 'string', short: 'f', default: 'ndjson' },
        'fifo-wait': { type: 'string', default: '10' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.stderr.write(`dac scan: ${escapeControlCharacters(error instanceof Error ? error.message : String(error))}\n\n${usage}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) {
    io.stdout.write(usage);
    return 0;
  }
  const format = parsed.values.format;
  const rulePaths = parsed.values.rules ?? [];
  const inputs = parsed.positionals;
  const fifoWait = readSeconds(parsed.values['fifo-wait']);
  const problem = !isFormat(format)
    ? `unknown format '${format}'; use ndjson or text`
    : rulePaths.length === 0
      ? 'no rules: give --rules PATH'
      : inputs.length === 0
        ? 'no inputs to scan: name event files, folders, or - for standard input'
        : fifoWait === undefined
          ? `--fifo-wait takes a number of seconds, not '${parsed.values['fifo-wait']}'`
          : undefined;
  if (problem !== undefined || fifoWait === undefined) {
    io.stderr.write(`dac scan: ${escapeControlCharacters(problem ?? '')}\n\n${usage}`);
    return EXIT_USAGE;
  }

  const reportDiagnostic = (diagnostic: Diagnostic): Promise<void> => writeWithBackPressure(io.stderr, `${formatDiagnostic(diagnostic)}\n`);
  // The repository's log-source mappings gate Windows events by each rule's log source.
  const mappings = await loadMappings(DEFAULT_MAPPINGS_DIR);
  for (const diagnostic of mappings.diagnostics) await reportDiagnostic(diagnostic);
  const loaded = await loadCompiledRules(rulePaths, io.cwd, {}, mappings.mappings);
  for (const diagnostic of loaded.diagnostics) await reportDiagnostic(diagnostic);
  if (loaded.missing > 0) return EXIT_USAGE;

  const engine = createScanEngine(loaded.rules);
  const out = new BufferedWriter(io.stdout);
  const render = format === 'text' ? renderMatchText : renderMatchJson;
  const bar = io.stderr.isTTY
    ? new cliProgress.SingleBar(
        { format: 'scanning {file} |{bar}| {value}/{total} inputs, {events} events, {matches} matches', stream: io.stderr as unknown as NodeJS.WritableStream, clearOnComplete: true },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  let totalEvents = 0;
  let totalMatches = 0;
  let scanned = 0;
  let unreadable = false;
  const shown = (name: string): string => escapeControlCharacters(name);
  const note = async (diagnostic: Diagnostic): Promise<void> => {
    if (bar) bar.stop();
    await reportDiagnostic(diagnostic);
    if (bar) bar.start(Math.max(inputs.length, scanned + 1), scanned, { file: '', events: totalEvents, matches: totalMatches });
  };
  bar?.start(inputs.length, 0, { file: '', events: 0, matches: 0 });
  const stdin = (io.stdin ?? process.stdin) as AsyncIterable<Uint8Array>;
  try {
    for await (const item of resolveEventInputs(inputs, { cwd: io.cwd, stdin, fifoWaitMs: fifoWait * 1000 })) {
      if (item.kind === 'diagnostic') {
        unreadable ||= item.unreadable;
        await note(item.diagnostic);
        continue;
      }
      const { name, source } = item.input;
      bar?.setTotal(Math.max(inputs.length, scanned + 1));
      const summary = await scanEventFile(source, name, engine, {
        match: (match) => {
          totalMatches += 1;
          return out.write(render(match));
        },
        diagnostic: note,
        progress: bar ? (events) => bar.update(scanned, { file: shown(name), events: totalEvents + events, matches: totalMatches }) : undefined,
      });
      scanned += 1;
      totalEvents += summary.events;
      unreadable ||= summary.unreadable;
      bar?.update(scanned, { file: shown(name), events: totalEvents, matches: totalMatches });
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
  }
  await writeWithBackPressure(io.stderr,
    `dac scan: ${loaded.rules.length} rule${loaded.rules.length === 1 ? '' : 's'}, ${scanned} input${scanned === 1 ? '' : 's'}, ` +
      `${totalEvents} events parsed, ${totalMatches} match${totalMatches === 1 ? '' : 'es'}` +
      `${loaded.invalid > 0 ? `, ${loaded.invalid} invalid rule${loaded.invalid === 1 ? '' : 's'} skipped` : ''}\n`,
  );
  if (unreadable) return EXIT_USAGE;
  return loaded.invalid > 0 ? EXIT_FAILURE : 0;
}
