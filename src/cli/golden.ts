import { existsSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { compileRule } from '../compile/compile-rule.js';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { FileExistsError } from '../files/write-new-file.js';
import { FileWriteError } from '../files/write-file-atomic.js';
import { loadConfig } from '../harness/config.js';
import { addGoldenEvents, type CaptureSelection } from '../harness/golden-add.js';
import type { Verdict } from '../harness/test-report.js';
import { loadYamlFile } from '../load/yaml.js';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../mapping/load-mappings.js';
import { resolveLogSource } from '../mapping/resolve-log-source.js';
import { parseRule } from '../parse/parse-rule.js';
import { EXIT_FAILURE, EXIT_OK, EXIT_USAGE, type CliIo } from './io.js';

const usage = `usage: dac golden add RULE FILE[#N[,N...]]... --verdict match|no-match|false-positive=ENTRY --source TEXT [--name NAME]

Copies events out of captures into a rule's golden set: tests/rules/<rule name>/events/ gets a new
file per capture (Windows events as Event XML, flat events as NDJSON), and rule-test.yml a new entry
with the verdict and the provenance (your --source text, the capture's path and SHA-256, and which
events). Existing files are never overwritten; rule-test.yml keeps its comments and layout.

  RULE                   the rule file
  FILE#N                 a capture (.evtx, .xml, .json, .ndjson) and the 0-based positions of the
                         events to copy, as dac scan numbers them (#3, #3,7); all events without #;
                         or a .yml file of events in Sigma taxonomy fields, copied whole
  --verdict V            what the rule must do with them: match, no-match, or
                         false-positive=ENTRY (ENTRY: the falsepositives entry, by 0-based index or
                         the start of its text)
  --source TEXT          where the events come from: captured where, on what, doing what
  --name NAME            the new event file's name (default: the capture's name and positions)
  -h, --help             show this help

Events written by hand in Sigma taxonomy fields (a YAML list of field maps, FILE.yml) are copied as
they are: dac test renders each into every shape of the rule's log sources.

exit status: 0 copied, 1 nothing copied (a selection or the spec is wrong), 2 usage error
`;

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
  if (subcommand === undefined || subcommand === '--help' || subcommand === '-h' || subcommand === 'help') {
    (subcommand === undefined ? io.stderr : io.stdout).write(usage);
    return subcommand === undefined ? EXIT_USAGE : EXIT_OK;
  }
  if (subcommand !== 'add') {
    io.stderr.write(`dac golden: unknown subcommand '${subcommand}'\n\n${usage}`);
    return EXIT_USAGE;
  }
  let parsed;
  try {
    parsed = parseArgs({
      args: [...rest],
      options: { verdict: { type: 'string' }, source: { type: 'string' }, name: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.stderr.write(`dac golden add: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) {
    io.stdout.write(usage);
    return EXIT_OK;
  }
  const [ruleArgument, ...captureArguments] = parsed.positionals;
  const verdict = parsed.values.verdict === undefined ? undefined : readVerdict(parsed.values.verdict);
  const source = parsed.values.source?.trim();
  const problem =
    ruleArgument === undefined ? 'no rule: give the rule file first'
      : captureArguments.length === 0 ? 'no capture to copy from: give FILE or FILE#N'
        : parsed.values.verdict === undefined ? 'no verdict: give --verdict match, no-match or false-positive=ENTRY'
          : verdict === undefined ? `--verdict takes match, no-match or false-positive=ENTRY, not '${parsed.values.verdict}'`
            : source === undefined || source.length < 10 ? 'no provenance: give --source with at least 10 characters saying where the events come from'
              : parsed.values.name !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(parsed.values.name) ? `--name takes a plain file name (letters, digits, . _ -), not '${parsed.values.name}'`
                : undefined;
  if (problem !== undefined || ruleArgument === undefined || verdict === undefined || source === undefined) {
    io.stderr.write(`dac golden add: ${problem ?? 'missing arguments'}\n\n${usage}`);
    return EXIT_USAGE;
  }
  const captures: CaptureSelection[] = [];
  for (const argument of captureArguments) {
    const capture = readCapture(argument, io.cwd);
    if (typeof capture === 'string') {
      io.stderr.write(`dac golden add: ${capture}\n`);
      return EXIT_USAGE;
    }
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
  const mappingsDir = existsSync(join(repoRoot, config.mappings)) ? join(repoRoot, config.mappings) : DEFAULT_MAPPINGS_DIR;
  const { mappings } = await loadMappings(mappingsDir);
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
