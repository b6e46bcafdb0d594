import { existsSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { compileRule } from '../compile/compile-rule.js';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { FileExistsError } from '../files/write-new-file.js';
import { FileWriteError } from '../files/write-file-atomic.js';
import { loadConfig } from '../harness/config.js';
import { addGoldenEvents, type CaptureSelection } from '../harness/golden-add.js';
import type { Verdict } from '../harness/test-report.js';
import { loadYamlFile } from '../load/yaml.js';
import { loadMappings } from '../mapping/load-mappings.js';
import { resolveLogSource } from '../mapping/resolve-log-source.js';
import { parseRule } from '../parse/parse-rule.js';
import { defineCommand, formatHelp, parseCommandLine, reportUsageError } from './command-spec.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './io.js';

/** `dac golden add`'s options, read by the parser and printed by `--help`. */
export const goldenSpec = defineCommand({
  name: 'golden add',
  operands: 'RULE FILE[#N[,N...]]...',
  description: `Copies events out of captures into a rule's golden set: tests/rules/<rule name>/events/ gets a new
file per capture (Windows events as Event XML, checked to read back with the same fields; flat events as
NDJSON), and rule-test.yml a new entry with the verdict and the provenance (your --source text, the
capture's path and SHA-256, and which events). Existing files are never overwritten; rule-test.yml keeps
its comments and layout.

  RULE       the rule file
  FILE#N     a capture (.evtx, .xml, .json, .ndjson) and the 0-based positions of the events to copy,
             as dac scan numbers them (#3, #3,7); all events without #; or a .yml file of events
             written in Sigma taxonomy fields (a list of field maps), copied whole: dac test renders
             each into every shape of the rule's log sources`,
  options: {
    verdict: {
      type: 'string',
      required: true,
      value: 'VERDICT',
      help: 'what the rule must do with them: match, no-match, or false-positive=ENTRY\n(ENTRY: the falsepositives entry, by 0-based index or the start of its text)',
    },
    source: { type: 'string', required: true, value: 'TEXT', help: 'where the events come from: captured where, on what, doing what' },
    name: { type: 'string', value: 'NAME', help: "the new event file's name (default: the capture's name and positions)" },
  },
  exitStatus: '0 copied, 1 nothing copied (a selection or the spec is wrong), 2 usage error',
});

/** Reads `FILE#N,M`: the file and its positions; a name with '#' and no digits after it is a file name. */
function readCapture(argument: string, cwd: string): CaptureSelection | string {
  const match = /^(.*)#(\d+(?:,\d+)*)$/.exec(argument);
  const file = match?.[1] ?? argument;
  const path = isAbsolute(file) ? file : resolve(cwd, file);
  if (!existsSync(path)) return `${file}: no such file`;
  return match?.[2] === undefined ? { path } : { path, positions: [...new Set(match[2].split(',').map(Number))] };
}

/** Reads `--verdict`: a verdict, and for a false positive the entry it documents. */
function readVerdict(text: string): { verdict: Verdict; entry?: string } | undefined {
  if (text === 'match' || text === 'no-match') return { verdict: text };
  const match = /^false-positive=(.+)$/s.exec(text);
  return match?.[1] === undefined ? undefined : { verdict: 'false-positive', entry: match[1] };
}

/** `dac golden add`: copies captured events into a rule's golden set. */
export async function runGolden(argv: readonly string[], io: CliIo): Promise<number> {
  const [subcommand, ...rest] = argv;
  // `dac golden --help`, `dac help golden` and `dac golden add ... --help` show the one subcommand's help.
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(formatHelp(goldenSpec));
    return EXIT_OK;
  }
  if (subcommand !== 'add') {
    return reportUsageError(goldenSpec, subcommand === undefined ? "give the subcommand: dac golden add" : `unknown subcommand '${subcommand}': dac golden has add`, io);
  }
  const parsed = parseCommandLine(goldenSpec, rest, io);
  if ('exit' in parsed) return parsed.exit;
  const [ruleArgument, ...captureArguments] = parsed.operands;
  const verdict = readVerdict(parsed.values.verdict);
  const source = parsed.values.source.trim();
  const problem =
    ruleArgument === undefined ? 'no rule: give the rule file first'
      : captureArguments.length === 0 ? 'no capture to copy from: give FILE or FILE#N'
        : verdict === undefined ? `--verdict takes match, no-match or false-positive=ENTRY, not '${parsed.values.verdict}'`
          : source.length < 10 ? 'give --source at least 10 characters saying where the events come from'
            : parsed.values.name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(parsed.values.name) ? `--name takes a plain file name (letters, digits, . _ -), not '${parsed.values.name}'`
              : undefined;
  if (problem !== undefined || ruleArgument === undefined || verdict === undefined) return reportUsageError(goldenSpec, problem ?? 'missing arguments', io);
  const captures: CaptureSelection[] = [];
  for (const argument of captureArguments) {
    const capture = readCapture(argument, io.cwd);
    if (typeof capture === 'string') return reportUsageError(goldenSpec, capture, io);
    captures.push(capture);
  }

  const repoRoot = resolve(io.cwd);
  const rulePath = resolve(io.cwd, ruleArgument);
  const ruleDisplay = relative(repoRoot, rulePath).split('\\').join('/');
  if (ruleDisplay.startsWith('..') || isAbsolute(ruleDisplay)) {
    io.stderr.write(`dac golden add: ${ruleArgument} is outside this repository (${repoRoot}); golden events belong to a rule of the repository\n`);
    return EXIT_USAGE;
  }
  const loaded = await loadYamlFile(rulePath, ruleDisplay);
  const document = loaded.documents[0];
  const rule = document === undefined ? undefined : parseRule(document, ruleDisplay).rule;
  if (rule === undefined || rule.id === undefined) {
    for (const diagnostic of loaded.diagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
    io.stderr.write(`dac golden add: ${ruleDisplay} is not a detection rule with an id (dac validate says why)\n`);
    return EXIT_USAGE;
  }
  let falsepositive: number | undefined;
  if (verdict.entry !== undefined) {
    const entry = verdict.entry;
    const index = /^\d+$/.test(entry) ? Number(entry) : rule.falsepositives.findIndex((text) => text.startsWith(entry));
    if (index < 0 || index >= rule.falsepositives.length) {
      io.stderr.write(`dac golden add: the rule has no falsepositives entry '${entry}' (it has ${rule.falsepositives.map((text, i) => `${i}: ${text}`).join('; ') || 'none'})\n`);
      return EXIT_USAGE;
    }
    falsepositive = index;
  }
  const { config } = await loadConfig(repoRoot);
  // The config names the mapping folder to use (the repository's, else the harness's own).
  const { mappings } = await loadMappings(resolve(repoRoot, config.mappings));
  const { compiled } = compileRule(rule, { bindings: resolveLogSource(mappings, rule.logsource) });
  const testFolder = join(repoRoot, config.tests, basename(rulePath).replace(/\.ya?ml$/i, ''));

  let result;
  try {
    result = await addGoldenEvents({
      repoRoot,
      rule,
      ...(compiled === undefined ? {} : { compiled }),
      testFolder,
      captures,
      verdict: verdict.verdict,
      ...(falsepositive === undefined ? {} : { falsepositive }),
      source,
      ...(parsed.values.name === undefined ? {} : { name: parsed.values.name }),
    });
  } catch (error) {
    if (error instanceof FileWriteError || error instanceof FileExistsError) {
      io.stderr.write(`dac golden add: ${error.message}; nothing was added\n`);
      return EXIT_FAILURE;
    }
    throw error;
  }
  if ('problem' in result) {
    io.stderr.write(`dac golden add: ${result.problem}; nothing was added\n`);
    return EXIT_FAILURE;
  }
  for (const copied of result.copied) {
    const matches = copied.verdicts.filter((got) => got === 'match').length;
    const today = copied.verdicts.length === 0 ? 'dac test renders them into every shape of the rule\'s log sources' : `the rule fires on ${matches} of ${copied.events} today`;
    io.stdout.write(`copied ${copied.events} event${copied.events === 1 ? '' : 's'} into ${copied.file} (verdict ${verdict.verdict}); ${today}\n`);
  }
  io.stdout.write(`${result.specFile}: ${result.createdSpec ? 'created with' : 'added'} ${result.copied.length} entr${result.copied.length === 1 ? 'y' : 'ies'}; run npx dac test to replay them\n`);
  return EXIT_OK;
}
