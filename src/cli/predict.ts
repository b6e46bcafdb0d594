import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { readEvents, UNREADABLE_FILE_CODES } from '../events/read-events.js';
import { loadConfig } from '../harness/config.js';
import { createPredictor, describeIdentities, type Prediction, type PredictionOutcome } from '../harness/predict-events.js';
import { loadScenarioSpec } from '../harness/scenario-spec.js';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../mapping/load-mappings.js';
import { resolveLogSource } from '../mapping/resolve-log-source.js';
import { loadCompiledRules } from '../scan/load-rules.js';
import { EXIT_USAGE, type CliIo } from './io.js';

const usage = `usage: dac predict --rule FILE [--spec FOLDER] EVENTFILE...

Replays event files (captured attacks, benign baselines; any format dac scan reads) through one rule
and through its scenario spec: every event of the spec's activity in the rule's log sources (process
creations, registry changes, network connections ...) is placed in the spec's spaces by identifying
what it shows (a process and its parent, a process and the key it changed ...), and the rule must
fire on exactly those in a true-positive or documented false-positive space.

  --rule FILE      the rule
  --spec FOLDER    the folder of its scenarios.yml (default: tests/rules/<rule file name>, per dac.config.yml)
  -h, --help       show this help

exit status: 0 the spec predicts every verdict, 1 a firing it does not predict or a missed event,
2 usage error or unreadable input
`;

const HEADLINES: Partial<Record<PredictionOutcome, string>> = {
  'unpredicted-firing': 'fired on an event in no true- or false-positive space',
  missed: 'did not fire on an event the spec puts in',
};

function describe(prediction: Prediction): string {
  const space = prediction.predicted?.space;
  const where = space === undefined ? '' : ` ${space.kind} space '${space.name}'`;
  const lines = [
    `${HEADLINES[prediction.outcome] ?? prediction.outcome}${prediction.outcome === 'missed' ? where : ''}: ${describeIdentities(prediction)}`,
    ...Object.entries(prediction.fields).map(([field, value]) => `    ${field}: ${value ?? '(absent)'}`),
  ];
  return lines.join('\n');
}

/**
 * `dac predict --rule FILE [--spec FOLDER] EVENTFILE...`: the rule's verdict on each event of its activity
 * next to its scenario spec's prediction. Disagreements and firings the spec cannot place go to stdout
 * with their file and event position, then a summary; exit 1 on any disagreement.
 */
export async function runPredict(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { rule: { type: 'string' }, spec: { type: 'string' }, help: { type: 'boolean', short: 'h', default: false } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    io.stderr.write(`dac predict: ${error instanceof Error ? error.message : String(error)}\n\n${usage}`);
    return EXIT_USAGE;
  }
  if (parsed.values.help) {
    io.stdout.write(usage);
    return 0;
  }
  const files = parsed.positionals;
  const ruleFile = parsed.values.rule;
  const problem = ruleFile === undefined ? 'no rule: give --rule FILE' : files.length === 0 ? 'no event files to replay' : undefined;
  if (problem !== undefined || ruleFile === undefined) {
    io.stderr.write(`dac predict: ${problem}\n\n${usage}`);
    return EXIT_USAGE;
  }

  const { config, diagnostics: configDiagnostics } = await loadConfig(io.cwd);
  for (const diagnostic of configDiagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  const mappingsDir = existsSync(path.join(io.cwd, config.mappings)) ? path.join(io.cwd, config.mappings) : DEFAULT_MAPPINGS_DIR;
  const { mappings, diagnostics: mappingDiagnostics } = await loadMappings(mappingsDir);
  const loaded = await loadCompiledRules([ruleFile], io.cwd, {}, mappings);
  for (const diagnostic of [...mappingDiagnostics, ...loaded.diagnostics]) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  const [compiled] = loaded.rules;
  if (compiled === undefined || loaded.rules.length !== 1) {
    io.stderr.write(`dac predict: ${ruleFile} must hold exactly one valid detection rule (it holds ${loaded.rules.length})\n`);
    return EXIT_USAGE;
  }
  const ruleName = path.basename(compiled.rule.file).replace(/\.ya?ml$/, '');
  const specFolder = path.resolve(io.cwd, parsed.values.spec ?? path.join(config.tests, ruleName));
  const { spec, diagnostics: specDiagnostics } = await loadScenarioSpec(specFolder, io.cwd);
  for (const diagnostic of specDiagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  if (spec === undefined) {
    io.stderr.write(`dac predict: no usable scenarios.yml in ${path.relative(io.cwd, specFolder) || '.'}\n`);
    return EXIT_USAGE;
  }
  const predict = createPredictor(spec, compiled, resolveLogSource(mappings, compiled.rule.logsource));

  const counts = new Map<PredictionOutcome, number>();
  const inSpaces = new Map<string, number>();
  const unpredictable = new Map<string, number>();
  let events = 0;
  let unreadable = false;
  for (const file of files) {
    const absolute = path.resolve(io.cwd, file);
    for await (const item of readEvents(absolute)) {
      if (item.kind === 'error') {
        unreadable ||= UNREADABLE_FILE_CODES.has(item.diagnostic.code);
        io.stderr.write(`${formatDiagnostic(item.diagnostic.file === absolute ? { ...item.diagnostic, file } : item.diagnostic)}\n`);
        continue;
      }
      events += 1;
      const prediction = predict(item.record);
      if (prediction === undefined) continue;
      counts.set(prediction.outcome, (counts.get(prediction.outcome) ?? 0) + 1);
      const at = `${file}:${item.record.index}`;
      if (prediction.outcome === 'predicted-firing' && prediction.predicted?.space !== undefined) {
        const name = `${prediction.predicted.kind} '${prediction.predicted.space.name}'`;
        inSpaces.set(name, (inSpaces.get(name) ?? 0) + 1);
      } else if (prediction.outcome === 'unpredicted-firing' || prediction.outcome === 'missed') {
        io.stdout.write(`${at}: ${describe(prediction)}\n`);
      } else if (prediction.outcome === 'unpredictable') {
        const dimensions = spec.activity.dimensions;
        const key = prediction.identities
          .flatMap((found, index) => ('unknown' in found ? [`${dimensions[index]?.label ?? '?'}: ${found.unknown}`] : []))
          .join('; ');
        unpredictable.set(key, (unpredictable.get(key) ?? 0) + 1);
        if (prediction.fired) io.stdout.write(`${at}: fired, but the spec cannot place the event (${key})\n`);
      }
    }
  }
  const count = (outcome: PredictionOutcome): number => counts.get(outcome) ?? 0;
  const creations = [...counts.values()].reduce((sum, value) => sum + value, 0);
  const wrong = count('unpredicted-firing') + count('missed');
  const lines = [
    `dac predict: ${events} event${events === 1 ? '' : 's'} read, ${creations} ${spec.activity.title}${creations === 1 ? '' : 's'} of the rule's log sources`,
    `  fired as the spec predicts: ${count('predicted-firing')}${[...inSpaces].map(([name, n]) => `\n    ${name}: ${n}`).join('')}`,
    `  quiet as the spec predicts: ${count('predicted-silence')}`,
    `  fired where the spec predicts silence: ${count('unpredicted-firing')}`,
    `  quiet where the spec predicts a firing: ${count('missed')}`,
    `  not predictable: ${count('unpredictable')}${[...unpredictable].map(([reason, n]) => `\n    ${reason}: ${n}`).join('')}`,
    wrong === 0 ? 'the spec predicts every verdict' : `${wrong} verdict${wrong === 1 ? '' : 's'} the spec does not predict`,
  ];
  io.stdout.write(`${lines.join('\n')}\n`);
  if (unreadable) return EXIT_USAGE;
  return wrong === 0 ? 0 : 1;
}
