import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { formatDiagnostic, hasErrors } from '../diagnostics/diagnostic.js';
import { convertRules, nameQueryFile, readFilters, readRulesForConversion } from '../convert/convert-files.js';
import { DUCKDB_PRELUDE } from '../convert/targets/duckdb.js';
import { loadTargetProfiles, TARGET_NAMES } from '../convert/target-profiles.js';
import { FileWriteError, toFileWriteError, writeFileAtomic } from '../files/write-file-atomic.js';
import { defineCommand, parseCommandLine, reportUsageError } from './command-spec.js';
import { describeWriteError, EXIT_FAILURE, EXIT_IO, EXIT_OK, EXIT_USAGE, type CliIo } from './io.js';

/** `dac convert`'s options, read by the parser and printed by `--help`. */
export const convertSpec = defineCommand({
  name: 'convert',
  operands: 'RULE...',
  description: `Converts Sigma detection rules into queries, one per rule and target profile:
  sql    DuckDB SQL over events in taxonomy field names (what dac backtest runs; held to the engine by dac test)
  spark  Spark SQL over a table of events in taxonomy field names
  kql    Microsoft Defender (DeviceProcessEvents) and Sentinel (SecurityEvent) KQL
  spl    Splunk SPL (Sysmon and Security 4688 sourcetypes)
  esql   Elastic ES|QL over ECS fields
Field names per profile are data in targets/*.yml. A value a target cannot say exactly is an error
naming the rule, the item and the target, and that rule gets no query. 'dac convert --prelude'
prints the DuckDB macros the sql target's queries need.`,
  options: {
    target: { type: 'string', short: 't', choices: TARGET_NAMES, help: 'the query language' },
    profile: { type: 'string', short: 'p', value: 'NAME', help: 'only this profile of the target (e.g. defender, sentinel, sysmon, security-4688)' },
    filters: { type: 'string', value: 'DIR', help: 'Sigma filters to apply to the rules they name (default: filters, when it exists)' },
    'no-filters': { type: 'boolean', help: 'convert the rules without their filters' },
    out: { type: 'string', short: 'o', value: 'DIR', help: 'write DIR/<target>/<profile>/<rule>.<ext> instead of printing the queries' },
    prelude: { type: 'boolean', help: "print the DuckDB macros the sql target's queries need" },
  },
  exitStatus: '0 every rule converted, 1 a rule could not be converted, 2 usage error or unreadable input',
});

/** `dac convert`: writes the queries of rules for a target. */
export async function runConvert(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(convertSpec, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const { values, operands: positionals } = parsed;
  if (values.prelude) {
    io.stdout.write(`${DUCKDB_PRELUDE}\n`);
    return EXIT_OK;
  }
  const target = values.target;
  if (target === undefined) return reportUsageError(convertSpec, `no target: give --target ${TARGET_NAMES.join('|')}`, io);
  if (positionals.length === 0) return reportUsageError(convertSpec, 'no rules to convert', io);
  const loadedProfiles = await loadTargetProfiles();
  for (const diagnostic of loadedProfiles.diagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  const profiles = loadedProfiles.profiles.filter((p) => p.target === target && (values.profile === undefined || p.profile === values.profile));
  if (profiles.length === 0) {
    const known = loadedProfiles.profiles.filter((p) => p.target === target).map((p) => p.profile).join(', ');
    io.stderr.write(`dac convert: target ${target} has no profile '${values.profile ?? ''}'; its profiles: ${known}\n`);
    return EXIT_USAGE;
  }
  const read = await readRulesForConversion(positionals, io.cwd, target);
  for (const diagnostic of read.diagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  if (read.missing > 0) return EXIT_USAGE;
  const filtersDir = values['no-filters'] ? undefined : resolve(io.cwd, values.filters ?? 'filters');
  const filters = await readFilters(filtersDir, io.cwd);
  for (const diagnostic of filters.diagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  const converted = convertRules(read.rules, profiles, filters.filters);
  for (const diagnostic of converted.diagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);

  if (values.out !== undefined) {
    const written: string[] = [];
    for (const query of converted.queries) {
      const path = join(resolve(io.cwd, values.out), query.target, query.profile, nameQueryFile(query));
      try {
        await mkdir(dirname(path), { recursive: true });
        await writeFileAtomic(path, query.text);
      } catch (error) {
        const failure = error instanceof FileWriteError ? error : toFileWriteError(path, error);
        io.stderr.write(describeWriteError('convert', failure));
        return EXIT_IO;
      }
      written.push(path);
    }
    io.stderr.write(`dac convert: ${written.length} queries written under ${values.out}\n`);
  } else {
    io.stdout.write(converted.queries.map((query) => query.text).join('\n'));
  }
  const failedRules = read.rules.length * profiles.length - converted.queries.length;
  io.stderr.write(`dac convert: ${read.rules.length} rule(s), ${profiles.length} profile(s) of ${target}: ${converted.queries.length} queries, ${failedRules} not converted\n`);
  return failedRules > 0 || hasErrors(read.diagnostics) ? EXIT_FAILURE : EXIT_OK;
}
