import { existsSync } from 'node:fs';
import path from 'node:path';
import { formatDiagnostic } from '../diagnostics/diagnostic.js';
import { formatInputAccount, InputAccountant, type InputAccount } from '../events/input-account.js';
import { readEvents, UNREADABLE_FILE_CODES } from '../events/read-events.js';
import { CONFIG_FILE, loadConfig } from '../harness/config.js';
import { createPredictor, describeIdentities, type Prediction, type PredictionOutcome } from '../harness/predict-events.js';
import { loadScenarioSpec } from '../harness/scenario-spec.js';
import { loadMappings } from '../mapping/load-mappings.js';
import { createSourceRecogniser } from '../mapping/recognise-source.js';
import { resolveLogSource } from '../mapping/resolve-log-source.js';
import { loadCompiledRules } from '../scan/load-rules.js';
import { defineCommand, parseCommandLine, reportUsageError } from './command-spec.js';
import { EXIT_USAGE, printText, type CliIo } from './io.js';

/** `dac predict`'s options, read by the parser and printed by `--help`. */
export const predictSpec = defineCommand({
  name: 'predict',
  operands: 'EVENTFILE...',
  description: `Replays event files (captured attacks, benign baselines; any format dac scan reads) through one rule
and through its scenario spec: every event of the spec's activity in the rule's log sources (process
creations, registry changes, network connections, file creations, image loads, script blocks, logons)
is placed in the spec's spaces by identifying what it shows (a process and its parent, a process and
the key it changed ...), and the rule must fire on exactly those in a true-positive or documented
false-positive space.

Events are named FILE:N, N the 0-based position of the event in FILE (as dac scan names them). Every
event the spec cannot place (no image, a generic runtime without its command line) is
listed with the reason; each file's records are accounted for (read, recognised, not recognised,
skipped). A spec written for another rule is refused.`,
  options: {
    rule: { type: 'string', required: true, value: 'FILE', help: 'the rule' },
    spec: {
      type: 'string',
      value: 'FOLDER',
      help: "the folder of its scenarios.yml (default: tests/rules/<rule file name> of the\nrule's own repository, the nearest folder above the rule with dac.config.yml)",
    },
  },
  exitStatus: '0 the spec predicts every verdict, 1 a firing it does not predict, a missed event, or no\nevent of its activity to judge, 2 usage error or unreadable input',
});

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
 * The repository a rule file belongs to: the nearest folder above it holding dac.config.yml (or, failing
 * that, a .git), so the spec and the mappings are found from the rule wherever the command runs.
 */
export function findRepositoryRoot(ruleFile: string, fallback: string): string {
  for (const marker of [CONFIG_FILE, '.git']) {
    let folder = path.dirname(path.resolve(ruleFile));
    for (;;) {
      if (existsSync(path.join(folder, marker))) return folder;
      const parent = path.dirname(folder);
      if (parent === folder) break;
      folder = parent;
    }
  }
  return fallback;
}

/** Why a prediction could not be made: each dimension's missing identity (`parent: ...; process: ...`). */
function describeUnplaced(prediction: Prediction, labels: readonly string[]): string {
  return prediction.identities
    .flatMap((found, index) => ('unknown' in found ? [`${labels[index] ?? '?'}: ${found.unknown}`] : []))
    .join('; ');
}

/**
 * `dac predict --rule FILE [--spec FOLDER] EVENTFILE...`: the rule's verdict on each event of its
 * activity next to its scenario spec's prediction. Disagreements, and every event the spec cannot
 * place, go to stdout with their file and 0-based event position, then the account of each file and a
 * summary; exit 1 on any disagreement, or when there was nothing to judge.
 */
export async function runPredict(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseCommandLine(predictSpec, argv, io);
  if ('exit' in parsed) return parsed.exit;
  const files = parsed.operands;
  const ruleFile = parsed.values.rule;
  if (files.length === 0) return reportUsageError(predictSpec, 'no event files to replay', io);

  // The rule's own repository gives its config, mappings and spec, whatever folder the command runs in.
  const repoRoot = findRepositoryRoot(path.resolve(io.cwd, ruleFile), io.cwd);
  const { config, diagnostics: configDiagnostics } = await loadConfig(repoRoot);
  for (const diagnostic of configDiagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  const { mappings, diagnostics: mappingDiagnostics } = await loadMappings(config.mappings);
  const loaded = await loadCompiledRules([ruleFile], io.cwd, {}, mappings);
  for (const diagnostic of [...mappingDiagnostics, ...loaded.diagnostics]) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  const [compiled] = loaded.rules;
  if (compiled === undefined || loaded.rules.length !== 1) {
    printText(io.stderr, `dac predict: ${ruleFile} must hold exactly one valid detection rule (it holds ${loaded.rules.length})\n`);
    return EXIT_USAGE;
  }
  const ruleName = path.basename(compiled.rule.file).replace(/\.ya?ml$/, '');
  const specFolder = parsed.values.spec === undefined ? path.join(repoRoot, config.tests, ruleName) : path.resolve(io.cwd, parsed.values.spec);
  const { spec, diagnostics: specDiagnostics } = await loadScenarioSpec(specFolder, io.cwd);
  for (const diagnostic of specDiagnostics) io.stderr.write(`${formatDiagnostic(diagnostic)}\n`);
  if (spec === undefined) {
    printText(io.stderr, `dac predict: no usable scenarios.yml in ${path.relative(io.cwd, specFolder) || '.'}\n`);
    return EXIT_USAGE;
  }
  if (spec.ruleId !== compiled.rule.id) {
    printText(io.stderr, `dac predict: ${spec.file} is the scenario spec of rule ${spec.ruleId}, not of ${compiled.rule.file} (id ${compiled.rule.id ?? 'none'})\n`);
    return EXIT_USAGE;
  }
  const bindings = resolveLogSource(mappings, compiled.rule.logsource);
  const predict = createPredictor(spec, compiled, bindings);
  const recogniser = createSourceRecogniser(mappings);

  io.stdout.write('events are named FILE:N, N the 0-based position of the event in FILE, as dac scan names them\n');
  const counts = new Map<PredictionOutcome, number>();
  const inSpaces = new Map<string, number>();
  const unpredictable = new Map<string, number>();
  const accounts: InputAccount[] = [];
  let events = 0;
  let unreadable = false;
  for (const file of files) {
    const absolute = path.resolve(io.cwd, file);
    const accountant = new InputAccountant(file, recogniser.recognise);
    for await (const item of readEvents(absolute)) {
      accountant.count(item);
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
        printText(io.stdout, `${at}: ${describe(prediction)}\n`);
      } else if (prediction.outcome === 'unpredictable') {
        const key = describeUnplaced(prediction, spec.activity.dimensions.map((dimension) => dimension.label));
        unpredictable.set(key, (unpredictable.get(key) ?? 0) + 1);
        // Every event the spec cannot place is listed: none is dropped.
        printText(io.stdout, prediction.fired
          ? `${at}: fired, but the spec cannot place the event (${key})\n`
          : `${at}: not placed: ${key}\n`);
      }
    }
    accounts.push(accountant.finish());
  }
  const count = (outcome: PredictionOutcome): number => counts.get(outcome) ?? 0;
  const creations = [...counts.values()].reduce((sum, value) => sum + value, 0);
  const placed = creations - count('unpredictable');
  const wrong = count('unpredicted-firing') + count('missed');
  const sources = bindings.map((binding) => binding.id).join(', ') || 'none: no mapping routes an event to its log source';
  const verdict = creations === 0
    ? `nothing to judge: no record of the input is a ${spec.activity.title} of the rule's log sources (${sources})`
    : wrong === 0
      ? `the spec predicts every verdict of the ${placed} ${spec.activity.title}${placed === 1 ? '' : 's'} it placed`
      : `${wrong} verdict${wrong === 1 ? '' : 's'} the spec does not predict`;
  const lines = [
    ...accounts.map(formatInputAccount),
    `dac predict: ${events} event${events === 1 ? '' : 's'} read, ${creations} ${spec.activity.title}${creations === 1 ? '' : 's'} of the rule's log sources: ${placed} placed, ${count('unpredictable')} not placed`,
    `  fired as the spec predicts: ${count('predicted-firing')}${[...inSpaces].map(([name, n]) => `\n    ${name}: ${n}`).join('')}`,
    `  quiet as the spec predicts: ${count('predicted-silence')}`,
    `  fired where the spec predicts silence: ${count('unpredicted-firing')}`,
    `  quiet where the spec predicts a firing: ${count('missed')}`,
    `  not placed (listed above): ${count('unpredictable')}${[...unpredictable].map(([reason, n]) => `\n    ${reason}: ${n}`).join('')}`,
    verdict,
  ];
  printText(io.stdout, `${lines.join('\n')}\n`);
  if (unreadable) return EXIT_USAGE;
  return wrong === 0 && creations > 0 ? 0 : 1;
}
