import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replayGolden } from '../../../src/harness/golden.js';
import { DEFAULT_CONFIG } from '../../../src/harness/config.js';
import { checkGoldenPredictions } from '../../../src/harness/predict-events.js';
import { propertyCheck } from '../../../src/harness/properties.js';
import { loadRuleTestSpec } from '../../../src/harness/rule-test-spec.js';
import { loadScenarioSpec } from '../../../src/harness/scenario-spec.js';
import { compileWithMappings } from './properties-pack.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const RULE_FILE = 'rules/windows/process_creation/proc_creation_win_webshell_spawn.yml';
const TEST_FOLDER = join(repoRoot, 'tests/rules/proc_creation_win_webshell_spawn');

async function replayWebshell() {
  const { compiled, bindings } = await compileWithMappings(await readFile(join(repoRoot, RULE_FILE), 'utf8'), RULE_FILE);
  const { spec: ruleTest } = await loadRuleTestSpec(TEST_FOLDER, repoRoot);
  const { spec } = await loadScenarioSpec(TEST_FOLDER, repoRoot);
  if (ruleTest === undefined || spec === undefined) throw new Error('the web-shell test folder does not load');
  const { events } = await replayGolden(compiled, ruleTest, bindings, () => undefined);
  return { compiled, bindings, spec, events, ruleTest, ruleTestFile: ruleTest.file };
}

describe('checkGoldenPredictions', () => {
  it("finds the web-shell golden set, real captures included, in agreement with its scenario spec", async () => {
    const { compiled, bindings, spec, events, ruleTestFile } = await replayWebshell();
    expect(events.length).toBeGreaterThan(400);
    expect(checkGoldenPredictions(spec, compiled, bindings, events, ruleTestFile)).toEqual([]);
  });

  it('fails a golden verdict the spec does not predict, at the verdict in rule-test.yml', async () => {
    const { compiled, bindings, spec, events, ruleTestFile } = await replayWebshell();
    const index = events.findIndex((event) => event.result.file.endsWith('tp-children.sysmon.xml') && event.expectation.verdict === 'match');
    const original = events[index]!;
    const tampered = [...events];
    tampered[index] = { ...original, expectation: { ...original.expectation, verdict: 'false-positive' } };
    const failures = checkGoldenPredictions(spec, compiled, bindings, tampered, ruleTestFile);
    expect(failures).toEqual([
      {
        check: 'properties',
        message: expect.stringMatching(
          new RegExp(`^tests/rules/proc_creation_win_webshell_spawn/events/tp-children\\.sysmon\\.xml #${original.result.event}: rule-test\\.yml expects false-positive, but the scenario spec predicts match for w3wp\\.exe -> \\S+ \\(true-positive space 'web server starts a shell or tool'\\)$`),
        ),
        file: ruleTestFile,
        line: original.expectation.verdictAt.line,
        column: original.expectation.verdictAt.column,
      },
    ]);
  });

  it("is part of dac test's properties check", async () => {
    const { compiled, bindings, events, ruleTest } = await replayWebshell();
    const index = events.findIndex((event) => event.expectation.verdict === 'false-positive');
    const tampered = [...events];
    tampered[index] = { ...events[index]!, expectation: { ...events[index]!.expectation, verdict: 'match' } };
    const context = { rule: compiled.rule, compiled, bindings, spec: ruleTest, config: DEFAULT_CONFIG, repoRoot, seed: 1, runs: 2, renderings: 'rotate' as const, testFolder: TEST_FOLDER };
    expect((await propertyCheck.run({ ...context, events })).failures).toEqual([]);
    const failures = (await propertyCheck.run({ ...context, events: tampered })).failures;
    expect(failures.map((failure) => failure.message)).toEqual([expect.stringMatching(/rule-test\.yml expects match, but the scenario spec predicts false-positive for health-check-w3wp -> /)]);
  });
});
