import { describe, expect, it } from 'vitest';
import type { LintCode } from '../../../src/validate/lint-registry.js';
import { validateSources, type RuleSource } from '../../../src/validate/validate-files.js';

/** A clean detection rule; cases replace parts of it. */
const BASE = `title: Lint Case
id: 11111111-2222-4333-8444-555555555555
status: test
date: 2025-01-10
tags:
    - attack.execution
    - attack.t1059.003
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\cmd.exe'
    condition: selection
level: low
`;

interface LintCase {
  readonly name: string;
  readonly sources: readonly RuleSource[];
  /** `line:column message-fragment` of each finding of the lint under test, in order. */
  readonly findings: readonly string[];
}

const one = (text: string, file = 'case.yml'): RuleSource[] => [{ file, text }];
const withTags = (...tags: string[]) => BASE.replace('    - attack.execution\n    - attack.t1059.003\n', tags.map((t) => `    - ${t}\n`).join(''));

const CASES: Readonly<Partial<Record<LintCode, readonly LintCase[]>>> = {
  'rule/duplicate-id': [
    { name: 'distinct ids', sources: [...one(BASE, 'a.yml'), ...one(BASE.replace('11111111', '21111111'), 'b.yml')], findings: [] },
    {
      name: 'the same id in two files, compared without case',
      sources: [...one(BASE, 'a.yml'), ...one(BASE.replace('555555555555', '555555555555'.toUpperCase()).replace('11111111-', '11111111-'), 'b.yml')],
      findings: ["2:5 also used at b.yml:2:5", "2:5 also used at a.yml:2:5"],
    },
    {
      name: 'three copies name the two others',
      sources: [...one(BASE, 'a.yml'), ...one(BASE, 'b.yml'), ...one(BASE, 'c.yml')],
      findings: ['2:5 also used at b.yml:2:5, c.yml:2:5', '2:5 also used at a.yml:2:5, c.yml:2:5', '2:5 also used at a.yml:2:5, b.yml:2:5'],
    },
  ],
  'rule/duplicate-name': [
    { name: 'one name', sources: one(`${BASE}name: alpha\n`), findings: [] },
    {
      name: 'a shared name across a multi-document file',
      sources: one(`${BASE}name: alpha\n---\n${BASE.replace('11111111', '31111111')}name: alpha\n`),
      findings: ["16:7 the name 'alpha' is also used at case.yml:33:7", "33:7 the name 'alpha' is also used at case.yml:16:7"],
    },
  ],
  'rule/missing-id': [
    { name: 'with id', sources: one(BASE), findings: [] },
    { name: 'without id', sources: one(BASE.replace(/^id: .*\n/m, '')), findings: ["1:1 has no 'id'"] },
  ],
  'rule/modified-before-date': [
    { name: 'same day', sources: one(BASE.replace('date: 2025-01-10', 'date: 2025-01-10\nmodified: 2025-01-10')), findings: [] },
    { name: 'later', sources: one(BASE.replace('date: 2025-01-10', 'date: 2025-01-10\nmodified: 2025-01-11')), findings: [] },
    {
      name: 'one day earlier',
      sources: one(BASE.replace('date: 2025-01-10', 'date: 2025-01-10\nmodified: 2025-01-09')),
      findings: ['5:11 modified (2025-01-09) is earlier than date (2025-01-10)'],
    },
    { name: 'unparseable dates are the schema\'s', sources: one(BASE.replace('date: 2025-01-10', 'date: 2025/01/10\nmodified: 2024-01-09')), findings: [] },
  ],
  'rule/deprecated-without-related': [
    { name: 'not deprecated', sources: one(BASE), findings: [] },
    {
      name: 'deprecated with related',
      sources: one(BASE.replace('status: test', 'status: deprecated\nrelated:\n    - id: 41111111-2222-4333-8444-555555555555\n      type: obsolete')),
      findings: [],
    },
    { name: 'deprecated alone', sources: one(BASE.replace('status: test', 'status: deprecated')), findings: ["3:9 deprecated but has no 'related'"] },
    { name: 'deprecated with an empty related', sources: one(BASE.replace('status: test', 'status: deprecated\nrelated: []')), findings: ['3:9'] },
  ],
  'rule/misspelled-field': [
    { name: 'standard and custom fields', sources: one(`${BASE}x_owner: soc\nfields:\n    - User\n`), findings: [] },
    {
      name: 'typos and letter case',
      sources: one(`${BASE}falsepositive:\n    - x\nReferences:\n    - y\nautor: z\n`),
      findings: ["16:1 'falsepositive' is not a Sigma field and is ignored; did you mean 'falsepositives'?", "18:1 did you mean 'references'?", "20:1 did you mean 'author'?"],
    },
    { name: 'a logsource typo', sources: one(BASE.replace('    product: windows', '    prodcut: windows')), findings: ["10:5 'logsource.prodcut' is not a log source field and is ignored; did you mean 'product'?"] },
    { name: 'two-letter keys match only by letter case', sources: one(`${BASE}ip: 1\nsc: x\nId: y\n`), findings: ["18:1 'Id' is not a Sigma field and is ignored; did you mean 'id'?"] },
  ],
  'tag/unknown-attack-id': [
    { name: 'known ids of every kind', sources: one(withTags('attack.execution', 'attack.t1059.003', 'attack.g0016', 'attack.s0002', 'attack.ds0017', 'attack.m1038', 'attack.a0001')), findings: [] },
    {
      name: 'unknown technique, group, software and tactic',
      sources: one(withTags('attack.execution', 'attack.t1059.003', 'attack.t1059.099', 'attack.g9999', 'attack.s9999', 'attack.exfiltraton', 'attack.frobnicate')),
      findings: [
        "8:7 'attack.t1059.099': T1059.099 is not a technique of MITRE ATT&CK Enterprise v18.1 or v19",
        "9:7 G9999 is not a group",
        "10:7 S9999 is not a software entry",
        "11:7 did you mean 'attack.exfiltration'?",
        '12:7 tactics are initial-access, execution',
      ],
    },
    { name: 'old underscore tactics are left to tag/old-tactic-name', sources: one(withTags('attack.defense_evasion', 'attack.t1027')), findings: [] },
    {
      name: "ATT&CK v19's tactics and new techniques are known",
      sources: one(withTags('attack.stealth', 'attack.defense-impairment', 'attack.t1685', 'attack.t1685.005', 'attack.t1686.003', 'attack.t1690', 'attack.t1027.018')),
      findings: [],
    },
  ],
  'tag/deprecated-attack-id': [
    { name: 'current ids', sources: one(BASE), findings: [] },
    {
      name: 'deprecated technique and group',
      sources: one(withTags('attack.exfiltration', 'attack.t1002', 'attack.g0014', 'attack.s9000')),
      findings: ["7:7 T1002 (Data Compressed) is deprecated", '8:7 G0014 (Night Dragon) is deprecated', '9:7 S9000 (Ngrok) is deprecated'],
    },
  ],
  'tag/old-tactic-name': [
    { name: 'hyphenated tactics', sources: one(withTags('attack.privilege-escalation', 'attack.t1055')), findings: [] },
    {
      name: 'underscores',
      sources: one(withTags('attack.privilege_escalation', 'attack.command_and_control', 'attack.t1055', 'attack.t1105', 'attack.not_a_tactic')),
      findings: ["6:7 write 'attack.privilege-escalation'", "7:7 write 'attack.command-and-control'"],
    },
  ],
  'tag/tactic-mismatch': [
    { name: 'matching pair', sources: one(BASE), findings: [] },
    { name: 'a multi-tactic technique with one of its tactics', sources: one(withTags('attack.persistence', 'attack.t1053.005')), findings: [] },
    { name: 'tactics without techniques are fine', sources: one(withTags('attack.persistence', 'attack.impact')), findings: [] },
    {
      name: 'a tactic no technique serves, and a technique without its tactic',
      sources: one(withTags('attack.execution', 'attack.t1059.003', 'attack.impact', 'attack.t1003.001')),
      findings: ["8:7 'attack.impact': none of the rule's technique tags (attack.t1059.003, attack.t1003.001)", "9:7 'attack.t1003.001' belongs to credential-access in ATT&CK, but no such tactic is tagged; add attack.credential-access"],
    },
    { name: 'underscore tactics still count', sources: one(withTags('attack.defense_evasion', 'attack.t1027')), findings: [] },
    { name: 'only techniques: each one asks for its tactics', sources: one(withTags('attack.t1053.005')), findings: ['6:7 add attack.execution or attack.persistence or attack.privilege-escalation'] },
    { name: 'a v19 technique with its v19 tactic', sources: one(withTags('attack.defense-impairment', 'attack.t1685')), findings: [] },
    {
      name: 'a v19 technique with a tactic it does not serve',
      sources: one(withTags('attack.execution', 'attack.t1685')),
      findings: ["6:7 'attack.execution': none of the rule's technique tags (attack.t1685)", "7:7 'attack.t1685' belongs to defense-impairment in ATT&CK"],
    },
    {
      name: 'a technique v19 moved out of defense-evasion is not judged: where it lives now is not in the data',
      sources: one(withTags('attack.execution', 'attack.t1218', 'attack.t1574.001')),
      findings: [],
    },
  ],
  'tag/invalid-value': [
    {
      name: 'allowed values and free namespaces',
      sources: one(withTags('detection.threat-hunting', 'tlp.clear', 'stp.2', 'stp.5k', 'cve.2024-3400', 'car.2016-04-005', 'custom.anything', 'constructor.x')),
      findings: [],
    },
    {
      name: 'values the appendix does not define',
      sources: one(withTags('detection.hunting', 'tlp.white', 'stp.6', 'cve.24-3400', 'car.2016-4-5')),
      findings: ["6:7 'detection.hunting' is not a valid detection tag", '7:7 tlp.red, tlp.amber', '8:7 stp.N', '9:7 cve.YYYY-NNNN', '10:7 car.YYYY-MM-NNN'],
    },
  ],
  'correlation/unknown-rule': [
    {
      name: 'references by name and by id, across files',
      sources: [
        ...one(`${BASE}name: base_rule\n`, 'base.yml'),
        ...one('title: C\nid: 51111111-2222-4333-8444-555555555555\ncorrelation:\n    type: temporal\n    rules:\n        - base_rule\n        - 11111111-2222-4333-8444-555555555555\n    aliases:\n        user:\n            base_rule: User\n    timespan: 5m\n', 'corr.yml'),
      ],
      findings: [],
    },
    {
      name: 'unknown references in rules and aliases',
      sources: [
        ...one(`${BASE}name: base_rule\n`, 'base.yml'),
        ...one('title: C\nid: 51111111-2222-4333-8444-555555555555\ncorrelation:\n    type: temporal\n    rules:\n        - base_rul\n        - other\n    aliases:\n        user:\n            missing_rule: User\n    timespan: 5m\n', 'corr.yml'),
      ],
      findings: ["6:11 refers to the rule 'base_rul', but no validated rule has that id or name; did you mean 'base_rule'?", "7:11 refers to the rule 'other'", "10:13 'missing_rule'"],
    },
    { name: 'a single rule written as text', sources: one('title: C\nid: 51111111-2222-4333-8444-555555555555\ncorrelation:\n    type: event_count\n    rules: nowhere\n    timespan: 5m\n    condition:\n        gte: 2\n'), findings: ["5:12 'nowhere'"] },
  ],
  'filter/unknown-rule': [
    {
      name: 'known rules and any',
      sources: one(`${BASE}---\ntitle: F\nid: 61111111-2222-4333-8444-555555555555\nlogsource:\n    product: windows\nfilter:\n    rules:\n        - 11111111-2222-4333-8444-555555555555\n    selection:\n        User: a\n    condition: not selection\n---\ntitle: G\nid: 71111111-2222-4333-8444-555555555555\nlogsource:\n    product: windows\nfilter:\n    rules: any\n    selection:\n        User: a\n    condition: not selection\n`),
      findings: [],
    },
    {
      name: 'an unknown rule',
      sources: one('title: F\nid: 61111111-2222-4333-8444-555555555555\nlogsource:\n    product: windows\nfilter:\n    rules:\n        - ghost_rule\n    selection:\n        User: a\n    condition: not selection\n'),
      findings: ["7:11 the filter refers to the rule 'ghost_rule'"],
    },
  ],
};

describe.each(Object.entries(CASES))('%s', (code, cases) => {
  it.each((cases ?? []).map((c) => [c.name, c] as const))('%s', (_name, lintCase) => {
    const found = validateSources(lintCase.sources).filter((d) => d.code === code);
    expect(found).toHaveLength(lintCase.findings.length);
    lintCase.findings.forEach((expected, index) => {
      const [at = '', ...words] = expected.split(' ');
      const d = found[index];
      expect(`${d?.line}:${d?.column}`).toBe(at);
      expect(d?.message).toContain(words.join(' '));
    });
  });
});

describe('the base case', () => {
  it('is clean, so every finding above comes from the change each case makes', () => {
    expect(validateSources(one(BASE))).toEqual([]);
  });
});
