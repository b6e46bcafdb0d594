import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { compileRule } from '../../../src/compile/compile-rule.js';
import { describeRuleSource, evaluateMutant, prepareRule, type MutationSettings } from '../../../src/mutate/evaluate-mutant.js';
import { formatKillingEvent } from '../../../src/mutate/describe-survivor.js';
import { findKillingEvent } from '../../../src/mutate/find-killing-event.js';
import { generateMutants } from '../../../src/mutate/generate-mutants.js';
import { writeMutant } from '../../../src/mutate/mutant.js';
import { createTempPack } from '../harness/temp-pack.js';
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
    expect(hint).toMatchObject({ identities: ['w3wp.exe', 'cmd.exe.bak'], verdict: 'no-match', rule: 'no-match', mutant: 'match', format: 'sysmon-xml', seed: 3 });
    expect(hint?.text).toContain('cmd.exe.bak</Data>');
  });
});

/** A registry_set rule (RDP turned on), its scenario spec, and golden events written in taxonomy fields. */
const REGISTRY_ID = '3f0c9a7e-2b1d-4c5e-8f6a-7b8c9d0e1f2a';
const REGISTRY_RULE = 'rules/windows/registry/registry_set/registry_set_rdp_on.yml';
const REGISTRY_TESTS = 'tests/rules/registry_set_rdp_on';
const registryPack = (): Promise<string> => createTempPack({
  [REGISTRY_RULE]: `title: RDP turned on
id: ${REGISTRY_ID}
status: experimental
date: 2026-12-02
logsource:
  category: registry_set
  product: windows
detection:
  selection:
    TargetObject|endswith:
      - '\\Control\\Terminal Server\\fDenyTSConnections'
      - '\\Terminal Services\\fDenyTSConnections'
    Details: 'DWORD (0x00000000)'
  condition: selection
falsepositives:
  - Administrators in System Properties
level: medium
`,
  [`${REGISTRY_TESTS}/scenarios.yml`]: `rule: ${REGISTRY_ID}
activity: registry
truePositives:
  - name: a tool turns RDP on
    processes: { names: [reg.exe, powershell.exe] }
    keys: { names: [rdp-enable] }
falsePositives:
  - name: an administrator turns RDP on
    falsepositive: 0
    processes: { names: [systempropertiesremote.exe] }
    keys: { names: [rdp-enable] }
background:
  - name: other settings
    processes: { names: [reg.exe, explorer.exe] }
    keys: { tags: [rdp-setting], exclude: [rdp-enable] }
`,
  [`${REGISTRY_TESTS}/rule-test.yml`]: `rule: ${REGISTRY_ID}
events:
  - file: on.yml
    verdict: match
    provenance: written by hand
  - file: off.yml
    verdict: no-match
    provenance: written by hand
`,
  [`${REGISTRY_TESTS}/on.yml`]: '- Image: C:\\Windows\\System32\\reg.exe\n  TargetObject: HKLM\\System\\CurrentControlSet\\Control\\Terminal Server\\fDenyTSConnections\n  Details: DWORD (0x00000000)\n',
  [`${REGISTRY_TESTS}/off.yml`]: '- Image: C:\\Windows\\System32\\reg.exe\n  TargetObject: HKLM\\System\\CurrentControlSet\\Control\\Terminal Server\\fDenyTSConnections\n  Details: DWORD (0x00000001)\n',
});

describe('mutants of a rule of another log source', () => {
  it('are replayed over its taxonomy events in every rendering, and get a hint from its registry spec', async () => {
    const root = await registryPack();
    const text = await readFile(join(root, REGISTRY_RULE), 'utf8');
    const rule = parseRule(parseYaml(text, REGISTRY_RULE).documents[0]!, REGISTRY_RULE).rule!;
    const settings: MutationSettings = { repoRoot: root, mappingsDir: join(root, 'mappings'), filtersDir: 'filters', seed: 1, runs: 20, renderings: 'rotate', hintRuns: 500 };
    const prepared = await prepareRule(describeRuleSource(rule, join(root, REGISTRY_TESTS)), settings);
    // Two events, each read back from Sysmon XML, evtx_dump JSON, Winlogbeat JSON and flat JSON.
    expect(prepared.golden).toHaveLength(8);
    const mutants = generateMutants(rule).mutants;
    const textOf = (id: string): string => writeMutant(text, mutants.find((mutant) => mutant.id === id) ?? { edits: [] });
    expect(await evaluateMutant(prepared, textOf('drop-field selection: drop Details'), settings)).toEqual({
      status: 'killed',
      by: 'golden',
      test: `${REGISTRY_TESTS}/off.yml #0 (sysmon-xml): expected no-match, the mutant says match`,
    });
    // No golden event writes the policy key: the properties kill the mutant that forgets it, and the hint names it.
    const forgetful = textOf("drop-value selection/TargetObject|endswith: drop '\\Terminal Services\\fDenyTSConnections'");
    expect(await evaluateMutant(prepared, forgetful, settings)).toMatchObject({ status: 'killed', by: 'properties' });
    const mutant = compileRule(parseRule(parseYaml(forgetful, REGISTRY_RULE).documents[0]!, REGISTRY_RULE).rule!, { bindings: prepared.bindings }).compiled!;
    const hint = findKillingEvent(prepared.spec!, prepared.compiled, mutant, { seed: 1, runs: 500 });
    expect(hint).toMatchObject({ identities: [expect.stringMatching(/^(reg|powershell|systempropertiesremote)\.exe$/), 'rdp-enable'], rule: 'match', mutant: 'no-match', format: 'sysmon-xml' });
    expect(hint?.text).toContain('Terminal Services\\fDenyTSConnections</Data>');
    // As dac mutate prints it: a Sysmon 13 golden event to save, and its rule-test.yml entry.
    const lines = formatKillingEvent(hint!, { id: 'the mutant' }, REGISTRY_TESTS);
    expect(lines[1]).toMatch(new RegExp(`^golden event \\(sysmon-xml; save as ${REGISTRY_TESTS}/events/mutant-systempropertiesremote-rdp-enable\\.sysmon\\.xml\\):$`));
    // The event found at this seed is the documented false positive: its entry names the falsepositives entry too.
    expect(load(lines.slice(4).join('\n'))).toEqual([{
      file: 'events/mutant-systempropertiesremote-rdp-enable.sysmon.xml',
      verdict: 'false-positive',
      falsepositive: 0,
      provenance: "generated by dac mutate (seed 1) from scenarios.yml: systempropertiesremote.exe -> rdp-enable, false-positive space 'an administrator turns RDP on'; kills the mutant the mutant",
    }]);
  });
});
