import { parseAttackCatalog } from '../../../src/attack/catalog.js';
import type { RuleReport, TestReport } from '../../../src/harness/test-report.js';

/** A title that must render as text everywhere: markup, a table pipe, a line break, quotes. */
export const HOSTILE_TITLE = '<script>alert(1)</script> | <img src=x onerror=alert(2)>\n"quoted" & \'single\'';

/** A rule that passes every check. */
export const passingRule: RuleReport = {
  id: '2a1c1239-2603-413d-89eb-93656dcf81a9',
  title: 'Shell or Recon Tool Spawned by a Web Server Process',
  file: 'rules/windows/process_creation/proc_creation_win_webshell_spawn.yml',
  level: 'high',
  status: 'experimental',
  tags: ['attack.persistence', 'attack.t1505.003', 'attack.initial-access', 'attack.t1190'],
  gaps: [],
  inputs: [],
  passed: true,
  checks: [
    { name: 'validate', passed: true },
    { name: 'golden', passed: true },
    { name: 'policy', passed: true },
    { name: 'coverage', passed: true },
    { name: 'properties', passed: true },
    { name: 'version', passed: true },
  ],
  counts: { truePositives: 7, trueNegatives: 5, falsePositives: 1 },
  cases: [
    {
      file: 'tests/rules/proc_creation_win_webshell_spawn/events.ndjson',
      event: 0,
      expected: 'match',
      got: 'match',
      passed: true,
      source: 'sysmon',
      decidingFields: { ParentImage: 'C:\\Windows\\System32\\inetsrv\\w3wp.exe', Image: 'C:\\Windows\\System32\\cmd.exe' },
    },
  ],
  coverage: {
    values: { covered: 17, total: 17, uncovered: [] },
    conditions: { covered: 2, total: 2, uncovered: [] },
    percent: 100,
  },
  properties: { runs: 200, seed: 1505003, properties: 3, failed: 0 },
  failures: [],
};

/** The golden diff the failing rule carries, in the layout the golden replay writes. */
export const GOLDEN_DETAILS = [
  'event:    tests/rules/webshell_linux/events.ndjson #3 (flat)',
  'expected: match',
  'got:      no-match',
  'identifiers: selection=false',
  'deciding fields:',
  '  ParentImage: /usr/sbin/apache2',
  '  Image: /bin/sh',
].join('\n');

/** A rule whose golden replay fails (two failures of one check), with a skipped check. */
export const failingRule: RuleReport = {
  id: '7d3f1c2e-0b7a-4c59-9a63-3b1f2b7f0c11',
  title: 'Linux Web Server Spawning a Shell',
  file: 'rules/linux/process_creation/proc_creation_lnx_webshell_spawn.yml',
  level: 'medium',
  status: 'test',
  tags: ['attack.persistence', 'attack.t1505.003'],
  gaps: [],
  inputs: [],
  passed: false,
  checks: [
    { name: 'validate', passed: true },
    { name: 'golden', passed: false },
    { name: 'policy', passed: true },
    { name: 'coverage', passed: false },
    { name: 'properties', passed: true },
    { name: 'version', passed: true, skipped: 'no rules.lock.json yet' },
  ],
  counts: { truePositives: 3, trueNegatives: 4, falsePositives: 0 },
  cases: [
    {
      file: 'tests/rules/webshell_linux/events.ndjson',
      event: 3,
      expected: 'match',
      got: 'no-match',
      passed: false,
      source: 'flat',
      decidingFields: { ParentImage: '/usr/sbin/apache2', Image: '/bin/sh' },
      provenance: 'hand-written',
    },
  ],
  coverage: {
    values: { covered: 3, total: 4, uncovered: ['Image|endswith: /dash'] },
    conditions: { covered: 2, total: 2, uncovered: [] },
    percent: 75,
  },
  properties: { runs: 100, seed: 42, properties: 2, failed: 0 },
  failures: [
    { check: 'golden', message: 'event #3 of events.ndjson: expected match, got no-match', details: GOLDEN_DETAILS, file: 'rules/linux/process_creation/proc_creation_lnx_webshell_spawn.yml', line: 14, column: 7 },
    { check: 'golden', message: 'event #5 of events.ndjson: expected no-match, got match', file: 'rules/linux/process_creation/proc_creation_lnx_webshell_spawn.yml', line: 15, column: 7 },
    { check: 'coverage', message: 'coverage 75% is below the policy minimum 100%', details: 'uncovered value: Image|endswith: /dash', file: 'rules/linux/process_creation/proc_creation_lnx_webshell_spawn.yml', line: 20, column: 9 },
  ],
};

/** A rule with a Chinese title and Chinese text in its failure. */
export const chineseRule: RuleReport = {
  id: 'c0ffee00-1111-4222-8333-944445555666',
  title: 'Web服务产生的可疑进程',
  file: 'rules/windows/process_creation/web服务 可疑进程.yml',
  level: 'high',
  tags: ['attack.persistence', 'attack.t1505.003', 'attack.execution', 'attack.t1059.001'],
  gaps: [],
  inputs: [],
  passed: true,
  checks: [
    { name: 'validate', passed: true },
    { name: 'golden', passed: true },
  ],
  counts: { truePositives: 2, trueNegatives: 2, falsePositives: 2 },
  cases: [],
  coverage: {
    values: { covered: 1, total: 3, uncovered: ['Image: 可疑.exe', 'Image: b.exe'] },
    conditions: { covered: 1, total: 1, uncovered: [] },
    percent: 33.3333,
  },
  failures: [],
};

/** A failing rule whose user-supplied text is hostile: markup in the title, the message and the details. */
export const hostileRule: RuleReport = {
  id: 'hostile"><script>alert(3)</script>',
  title: HOSTILE_TITLE,
  file: 'rules/windows/hostile.yml',
  tags: ['attack.initial-access', 'attack.t1078', 'attack.stealth', 'attack.t1685', 'attack.t9999', 'attack.g0016', 'attack.s0002'],
  gaps: [],
  inputs: [],
  passed: false,
  checks: [{ name: 'validate', passed: false }],
  counts: { truePositives: 0, trueNegatives: 0, falsePositives: 0 },
  cases: [],
  failures: [
    {
      check: 'validate',
      message: 'title must not contain <markup> | or\nline breaks\u0000',
      details: '```\n<b>not bold</b> ]]> --> & \u0007bell',
      file: 'rules/windows/hostile.yml',
      line: 0,
      column: 0,
    },
  ],
};

/** A run with the four rules and two diagnostics. */
export const sampleReport: TestReport = {
  pack: { name: 'sigma-dac', version: '0.1.0' },
  rules: [passingRule, failingRule, chineseRule, hostileRule],
  diagnostics: [
    { code: 'fixture/unknown-field', severity: 'warning', message: 'field "Imgae" is not in the sysmon mapping', file: 'tests/rules/webshell_linux/events.ndjson', line: 2, column: 14 },
    { code: 'schema/required', severity: 'error', message: 'missing property "logsource"', file: 'rules/windows/broken.yml', line: 1, column: 1 },
  ],
  passed: false,
};

/** A run where everything passes. */
export const passingReport: TestReport = {
  pack: { name: 'sigma-dac', version: '0.1.0' },
  rules: [passingRule],
  diagnostics: [],
  passed: true,
};

/** A small ATT&CK data set: enough tactics and techniques for the fixtures, ids as in v18.1. */
export const smallAttack = parseAttackCatalog({
  attack_version: '18.1',
  tactics: [
    { id: 'TA0001', shortname: 'initial-access', name: 'Initial Access' },
    { id: 'TA0002', shortname: 'execution', name: 'Execution' },
    { id: 'TA0003', shortname: 'persistence', name: 'Persistence' },
    { id: 'TA0004', shortname: 'privilege-escalation', name: 'Privilege Escalation' },
    { id: 'TA0005', shortname: 'defense-evasion', name: 'Defense Evasion' },
    { id: 'TA0043', shortname: 'reconnaissance', name: 'Reconnaissance' },
  ],
  techniques: [
    { id: 'T1059', name: 'Command and Scripting Interpreter', tactics: ['execution'] },
    { id: 'T1059.001', name: 'PowerShell', tactics: ['execution'] },
    { id: 'T1078', name: 'Valid Accounts', tactics: ['defense-evasion', 'persistence', 'privilege-escalation', 'initial-access'] },
    { id: 'T1190', name: 'Exploit Public-Facing Application', tactics: ['initial-access'] },
    { id: 'T1505', name: 'Server Software Component', tactics: ['persistence'] },
    { id: 'T1505.003', name: 'Web Shell', tactics: ['persistence'] },
  ],
  groups: [],
  software: [],
});

/** A rule `dac mutate` judged: one mutant survives (its value holds markup), one is marked equivalent. */
export const mutatedRule: RuleReport = {
  ...passingRule,
  passed: false,
  checks: [...passingRule.checks, { name: 'mutation', passed: false }],
  mutation: {
    mutants: 4,
    killed: 2,
    killedBy: { golden: 1, properties: 1 },
    survived: 1,
    equivalent: 1,
    score: 66.7,
    threshold: 100,
    leftOut: { sameLogic: 2, duplicates: 1, unwritable: 0, invalid: 0 },
    results: [
      { id: "drop-value selection/Image: drop '*\\cmd.exe'", operator: 'drop-value', line: 31, status: 'killed', detail: 'golden: tp.xml #1: expected match, the mutant says no-match' },
      { id: 'add-not condition: \'selection\' -> \'not selection\'', operator: 'add-not', line: 40, status: 'killed', detail: 'properties: missed detection' },
      { id: "wildcard selection/Image: '*<b>x</b>' -> '*<b>x</b>*'", operator: 'wildcard', line: 33, status: 'survived', detail: 'the event that kills it: w3wp.exe -> x.bak, verdict no-match' },
      { id: 'add-cased selection/CommandLine|contains: add cased', operator: 'add-cased', line: 35, status: 'equivalent', detail: 'every real command line has it in lower case' },
    ],
  },
  failures: [
    { check: 'mutation', message: "surviving mutant wildcard selection/Image: '*<b>x</b>' -> '*<b>x</b>*'", details: "--- r.yml\n+++ r.yml (mutant)\n@@ -33,1 +33,1 @@\n-      - '*<b>x</b>'\n+      - '*<b>x</b>*'", file: 'rules/windows/process_creation/proc_creation_win_webshell_spawn.yml', line: 33, column: 9 },
  ],
};

/** A `dac mutate` run of the mutated rule. */
export const mutationReport: TestReport = {
  pack: { name: 'sigma-dac', version: '0.1.0' },
  rules: [mutatedRule],
  diagnostics: [],
  passed: false,
};

/** A rule whose YAML does not parse: a failed rule, named from its text, with its error and line. */
export const notLoadedRule: RuleReport = {
  id: '5a5a5a5a-6b6b-4c7c-8d8d-9e9e9e9e9e9e',
  title: 'Encoded PowerShell From Office',
  file: 'rules/windows/process_creation/proc_creation_win_office_encoded_powershell.yml',
  tags: ['attack.execution', 'attack.t1059.001'],
  passed: false,
  checks: [
    { name: 'validate', passed: false },
    { name: 'golden', passed: true, skipped: 'the rule could not be loaded' },
    { name: 'policy', passed: true, skipped: 'the rule could not be loaded' },
    { name: 'coverage', passed: true, skipped: 'the rule could not be loaded' },
    { name: 'properties', passed: true, skipped: 'the rule could not be loaded' },
    { name: 'version', passed: true, skipped: 'the file could not be read, so its version bookkeeping could not be checked' },
  ],
  counts: { truePositives: 0, trueNegatives: 0, falsePositives: 0 },
  cases: [],
  failures: [
    {
      check: 'validate',
      message: 'yaml/tab-indentation: YAML: tab characters must not be used in indentation',
      file: 'rules/windows/process_creation/proc_creation_win_office_encoded_powershell.yml',
      line: 13,
      column: 1,
    },
  ],
  gaps: [],
  inputs: [],
  loadError: 'the rule could not be loaded: yaml/tab-indentation YAML: tab characters must not be used in indentation (line 13)',
};

/** The passing rule with a gap the policy allows and the account of its golden files. */
export const gappyRule: RuleReport = {
  ...passingRule,
  gaps: [{ kind: 'no-scenario-spec', message: 'no scenario spec: tests/rules/proc_creation_win_webshell_spawn/scenarios.yml does not exist, so no property is checked', fails: false }],
  inputs: [
    {
      file: 'tests/rules/proc_creation_win_webshell_spawn/events/tp.ndjson',
      read: 5,
      notParsed: 0,
      recognised: [{ source: 'sysmon-1', count: 3 }],
      taxonomy: [],
      unrecognised: [{ shape: "Event XML, channel 'Application', event id 1000: no mapping knows this log source", count: 1, first: 3 }],
      skipped: [{ code: 'events/malformed-json', count: 1, first: 4, reason: 'not valid JSON: Unexpected end of JSON input' }],
      problems: 0,
    },
  ],
};

/** A pack of two rules, one broken: every report must say 2 rules, 1 passed, 1 failed. */
export const brokenPackReport: TestReport = {
  pack: { name: 'sigma-dac', version: '0.1.0' },
  rules: [notLoadedRule, gappyRule],
  diagnostics: [],
  passed: false,
};
