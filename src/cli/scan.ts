import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { CompiledRule } from '../compile/compile-rule.js';
import { createDiagnostic, formatDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { formatAccountTotals, formatInputAccount, totalAccounts, type InputAccount } from '../events/input-account.js';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../mapping/load-mappings.js';
import type { Mapping } from '../mapping/mapping.js';
import { canReachRule, createSourceRecogniser, type SourceRecogniser } from '../mapping/recognise-source.js';
import { describeLogSource, resolveLogSource } from '../mapping/resolve-log-source.js';
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
Matches go to stdout; diagnostics and a summary to stderr, with a progress bar when stderr is a terminal.

On stderr, per file: records read, recognised (by log source), not recognised (by shape: format,
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
 * A warning for each rule no record of the input could reach: no record was of its log source (and no
 * flat record, which reaches every rule, was read). Lines the prefilter did not parse are unknown; the
 * warning says how many, and that they could not have matched any rule.
 */
export function findUnreachedRules(rules: readonly CompiledRule[], mapping: Mapping, recogniser: SourceRecogniser, notParsed: number): Diagnostic[] {
  const unparsed = notParsed > 0 ? `; ${notParsed} record${notParsed === 1 ? ' was' : 's were'} not parsed (no rule literal occurs in them, so none could match)` : '';
  return rules.flatMap(({ rule }) => {
    const bindings = resolveLogSource(mapping, rule.logsource);
    if (canReachRule(bindings, recogniser)) return [];
    const sources = bindings.length === 0 ? 'no mapping routes any event to it' : `its sources: ${bindings.map((b) => b.id).join(', ')}`;
    return [createDiagnostic(rule.file, rule.source.locate(['logsource']), 'scan/unreached-rule', 'warning',
      `rule '${rule.title}': no record of the input is of its logsource {${describeLogSource(rule.logsource)}} (${sources})${unparsed}`)];
  });
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
  const recogniser = createSourceRecogniser(mappings.mappings);
  const accounts: InputAccount[] = [];
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
    }, recogniser.recognise);
    accounts.push(summary.account);
    totalEvents += summary.events;
    unreadable ||= summary.unreadable;
  }
  bar?.stop();
  out.flush();
  // Every record of every file, accounted for; then every rule no record of the input could reach.
  for (const account of accounts) io.stderr.write(`${formatInputAccount(account)}\n`);
  const totals = totalAccounts(accounts);
  const unreached = findUnreachedRules(loaded.rules, mappings.mappings, recogniser, totals.notParsed);
  for (const diagnostic of unreached) reportDiagnostic(diagnostic);
  io.stderr.write(
    `dac scan: ${loaded.rules.length} rule${loaded.rules.length === 1 ? '' : 's'}, ${files.length} file${files.length === 1 ? '' : 's'}, ` +
      `${formatAccountTotals(totals)}, ${totalMatches} match${totalMatches === 1 ? '' : 'es'}` +
      `${unreached.length > 0 ? `, ${unreached.length} rule${unreached.length === 1 ? '' : 's'} no record could reach` : ''}` +
      `${loaded.invalid > 0 ? `, ${loaded.invalid} invalid rule${loaded.invalid === 1 ? '' : 's'} skipped` : ''}\n`,
  );
  if (unreadable) return EXIT_USAGE;
  return loaded.invalid > 0 ? EXIT_FAILURE : 0;
}
