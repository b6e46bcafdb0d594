import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileRule } from '../../../src/compile/compile-rule.js';
import { describeRuleSource, evaluateMutant, prepareRule, type MutationSettings } from '../../../src/mutate/evaluate-mutant.js';
import { findKillingEvent } from '../../../src/mutate/find-killing-event.js';
import { generateMutants } from '../../../src/mutate/generate-mutants.js';
import { writeMutant } from '../../../src/mutate/mutant.js';
import { createMutationPack, RULE_FILE, TEST_DIR } from './mutation-pack.js';
import { readRule } from './mutation-rule.js';
import { readFile } from 'node:fs/promises';
import { parseYaml } from '../../../src/load/yaml.js';
import { parseRule } from '../../../src/parse/parse-rule.js';

async function preparePack({ withSpec = true } = {}) {
  const root = await createMutationPack(withSpec ? {} : { spec: null });
  const text = await readFile(join(root, RULE_FILE), 'utf8');
  const rule = parseRule(parseYaml(text, RULE_FILE).documents[0]!, RULE_FILE).rule!;
  const settings: MutationSettings = { repoRoot: root, mappingsDir: join(root, 'mappings'), filtersDir: 'filters', seed: 1, runs: 20, renderings: 'rotate', hintRuns: 500 };
  const prepared = await prepareRule(describeRuleSource(rule, join(root, TEST_DIR)), settings);
  const mutants = generateMutants(rule).mutants;
  const textOf = (id: string): string => writeMutant(text, mutants.find((mutant) => mutant.id === id) ?? { edits: [] });
  return { prepared, settings, textOf };
}

describe('evaluateMutant', () => {
  it('replays the golden events the rule gets right, and names the first the mutant gets wrong', async () => {
    const { prepared, settings, textOf } = await preparePack();
    expect(prepared.golden).toHaveLength(7);
    expect(await evaluateMutant(prepared, textOf("add-not condition: 'selection' -> 'not selection'"), settings)).toEqual({
      status: 'killed',
      by: 'golden',
      test: `${TEST_DIR}/tp.xml #0: expected match, the mutant says no-match`,
    });
  });

  it("runs the rule's properties when no golden event kills the mutant", async () => {
    const { prepared, settings, textOf } = await preparePack();
    const outcome = await evaluateMutant({ ...prepared, golden: [] }, textOf("add-not condition: 'selection' -> 'not selection'"), settings);
    expect(outcome).toMatchObject({ status: 'killed', by: 'properties' });
    expect(outcome.status === 'killed' && outcome.test).toMatch(/^property true-positive 'iis starts cmd': undocumented false positive: [\w.]+ -> w3wp\.exe on its fields/);
  });

  it('says a mutant survives without a hint when there is no scenario spec to search', async () => {
    const { prepared, settings, textOf } = await preparePack({ withSpec: false });
    expect(prepared.spec).toBeUndefined();
    const outcome = await evaluateMutant({ ...prepared, golden: [] }, textOf("wildcard selection/Image: '*\\cmd.exe' -> '*\\cmd.exe*'"), settings);
    expect(outcome).toMatchObject({ status: 'survived', noHint: 'the rule has no scenarios.yml to generate events from' });
  });

  it('calls a mutant text that is not a rule invalid', async () => {
    const { prepared, settings } = await preparePack();
    expect(await evaluateMutant(prepared, 'title: [', settings)).toMatchObject({ status: 'invalid' });
  });
});

describe('findKillingEvent', () => {
  it('finds nothing between a rule and itself, and an event with its verdict between a rule and a mutant', async () => {
    const { prepared } = await preparePack();
    expect(findKillingEvent(prepared.spec!, prepared.compiled, prepared.compiled, { seed: 3, runs: 50 })).toBeUndefined();
    const mutant = compileRule(readRule(prepared.rule.source.text.replace("'*\\cmd.exe'", "'*\\cmd.exe*'")), { bindings: prepared.bindings }).compiled!;
    const hint = findKillingEvent(prepared.spec!, prepared.compiled, mutant, { seed: 3, runs: 500 });
    expect(hint).toMatchObject({ identity: 'cmd.exe.bak', verdict: 'no-match', rule: 'no-match', mutant: 'match', format: 'sysmon-xml', seed: 3 });
    expect(hint?.text).toContain('cmd.exe.bak</Data>');
  });
});
