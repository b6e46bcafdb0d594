import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runProperties } from '../../../src/harness/properties.js';
import { compileWithMappings, writeTempFolder } from './properties-pack.js';

const RULE_ID = '3f0c9a7e-2b1d-4c5e-8f6a-7b8c9d0e1f2a';
const RULE_FILE = 'rules/registry_set_rdp_on.yml';
const FOLDER = 'tests/rules/registry_set_rdp_on';

/** A registry_set rule: RDP turned on; `values` and `details` let a test break it. */
function registryRule({ values = ["'\\Control\\Terminal Server\\fDenyTSConnections'", "'\\Terminal Services\\fDenyTSConnections'"], details = "Details: 'DWORD (0x00000000)'" } = {}): string {
  return `title: RDP turned on
id: ${RULE_ID}
status: experimental
date: 2026-12-02
logsource:
  category: registry_set
  product: windows
detection:
  selection:
    TargetObject|endswith:
${values.map((value) => `      - ${value}`).join('\n')}
    ${details}
  condition: selection
falsepositives:
  - Administrators in System Properties
level: medium
`;
}

const SPEC = `rule: ${RULE_ID}
activity: registry
truePositives:
  - name: a tool turns RDP on
    processes: { names: [reg.exe, powershell.exe, rdpwinst.exe] }
    keys: { names: [rdp-enable] }
falsePositives:
  - name: an administrator turns RDP on
    falsepositive: 0
    processes: { names: [systempropertiesremote.exe] }
    keys: { names: [rdp-enable] }
background:
  - name: other settings
    processes: { names: [reg.exe, regedit.exe, explorer.exe] }
    keys: { tags: [rdp-setting, credential-exposure, autorun], exclude: [rdp-enable] }
`;

async function run(rule: string, spec = SPEC) {
  const root = await writeTempFolder({ [RULE_FILE]: rule, [`${FOLDER}/scenarios.yml`]: spec });
  const compiled = await compileWithMappings(rule, RULE_FILE);
  return runProperties({ ...compiled, seed: 7, runs: 60, repoRoot: root, testFolder: join(root, FOLDER) });
}

describe('properties over registry changes', () => {
  it('pass a correct rule: one property per space, every event read back from Sysmon XML, evtx_dump and Winlogbeat JSON', async () => {
    const outcome = await run(registryRule());
    expect(outcome.failures).toEqual([]);
    expect(outcome.properties).toEqual({ runs: 60, seed: 7, properties: 3, failed: 0 });
  });

  it('find the spelling a rule misses: the policy key left out is a missed detection', async () => {
    const outcome = await run(registryRule({ values: ["'\\Control\\Terminal Server\\fDenyTSConnections'"] }));
    const missed = outcome.failures.find((failure) => failure.message.startsWith('missed detection'));
    expect(missed?.message).toMatch(/^missed detection: (reg|powershell|rdpwinst)\.exe -> rdp-enable /);
    expect(missed?.details).toContain('TargetObject: HKLM\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services\\fDenyTSConnections');
    expect(missed?.details).toMatch(/golden event \(sysmon-xml; save as tests\/rules\/registry_set_rdp_on\/events\/prop-.*-rdp-enable\.sysmon\.xml\)/);
  });

  it('find what an over-broad rule fires on: without its Details, turning RDP off is an undocumented false positive', async () => {
    const outcome = await run(registryRule({ details: "EventType: 'SetValue'" }));
    expect(outcome.failures.map((failure) => failure.message)).toContainEqual(expect.stringMatching(/^undocumented false positive: (reg|regedit|explorer)\.exe -> rdp-disable /));
  });

  it("refuse a spec whose true positives the rule's log source never sees", async () => {
    const spec = SPEC.replace('keys: { names: [rdp-enable] }\nfalsePositives', 'keys: { names: [rdp-enable, wdigest-key-created] }\nfalsePositives');
    const outcome = await run(registryRule(), spec);
    expect(outcome.properties).toBeUndefined();
    expect(outcome.failures.map((failure) => failure.message)).toEqual([
      "scenario/unseen-source: true-positive space 'a tool turns RDP on' selects wdigest-key-created, whose events (event id 12) the rule's log source never sees (it sees 13)",
    ]);
  });

  it("refuse a spec written for another activity than the rule's log source", async () => {
    const outcome = await run(registryRule(), SPEC.replace('activity: registry', 'activity: file_event'));
    expect(outcome.failures.map((failure) => failure.message)).toEqual([
      expect.stringContaining("scenario/foreign-dimension: 'keys' is not a dimension of file_event spaces (processes, files)"),
      expect.stringContaining("needs 'files'"),
      expect.stringContaining("'keys' is not a dimension"),
      expect.stringContaining("needs 'files'"),
      expect.stringContaining("'keys' is not a dimension"),
      expect.stringContaining("needs 'files'"),
    ]);
  });
});
