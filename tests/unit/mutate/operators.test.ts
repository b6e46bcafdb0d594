import { describe, expect, it } from 'vitest';
import { generateMutants } from '../../../src/mutate/generate-mutants.js';
import { isUnwritable, writeMutant, type ProposedMutant } from '../../../src/mutate/mutant.js';
import { OPERATOR_IDS, operatorRegistry, type OperatorId } from '../../../src/mutate/operator-registry.js';
import { applyEdits } from '../../../src/mutate/text-diff.js';
import { MUTATION_RULE, readRule } from './mutation-rule.js';

const rule = readRule();
const set = generateMutants(rule);
const idsOf = (operator: OperatorId): string[] => set.mutants.filter((mutant) => mutant.operator === operator).map((mutant) => mutant.id);
const textOf = (id: string): string => {
  const mutant = set.mutants.find((candidate) => candidate.id === id);
  if (mutant === undefined) throw new Error(`no mutant ${id}`);
  return writeMutant(MUTATION_RULE, mutant);
};
const condition = "'1 of selection_* and not filter_system'";

describe('mutation operators', () => {
  it('are registered under their own ids, in the order mutants are generated', () => {
    expect(OPERATOR_IDS).toEqual([
      'drop-value', 'drop-field', 'drop-selection', 'swap-and-or', 'remove-not', 'add-not', 'remove-filter',
      'match-modifier', 'wildcard', 'swap-parent-child', 'remove-all', 'add-cased', 'number-bound',
    ]);
    for (const id of OPERATOR_IDS) expect(operatorRegistry[id].id).toBe(id);
    expect([...new Set(set.mutants.map((mutant) => mutant.operator))]).toEqual(OPERATOR_IDS);
  });

  it('drop-value forgets one value of a list, and drop-field one field of a selection', () => {
    expect(idsOf('drop-value')).toEqual([
      "drop-value selection_img/Image|endswith: drop '\\cmd.exe'",
      "drop-value selection_img/Image|endswith: drop '\\powershell.exe'",
      "drop-value selection_cli/CommandLine|contains|all: drop ' -enc '",
      "drop-value selection_cli/CommandLine|contains|all: drop ' -nop '",
    ]);
    expect(textOf("drop-value selection_img/Image|endswith: drop '\\cmd.exe'")).toBe(MUTATION_RULE.replace("      - '\\cmd.exe'\n", ''));
    expect(idsOf('drop-field')).toEqual(['drop-field selection_cli: drop CommandLine|contains|all', 'drop-field selection_cli: drop ParentImage']);
    expect(textOf('drop-field selection_cli: drop CommandLine|contains|all')).toBe(MUTATION_RULE.replace("    CommandLine|contains|all:\n      - ' -enc '\n      - ' -nop '\n", ''));
  });

  it('rewrite the condition: drop a selection (also one an x-of pattern selects), swap and/or, add or remove a not, remove a filter', () => {
    expect(idsOf('drop-selection')).toEqual([
      `drop-selection condition: ${condition} -> 'not filter_system'`,
      `drop-selection condition: ${condition} -> '(selection_cli or selection_size) and not filter_system'`,
      `drop-selection condition: ${condition} -> '(selection_img or selection_size) and not filter_system'`,
      `drop-selection condition: ${condition} -> '(selection_img or selection_cli) and not filter_system'`,
    ]);
    expect(idsOf('swap-and-or')).toEqual([
      `swap-and-or condition: ${condition} -> '1 of selection_* or not filter_system'`,
      `swap-and-or condition: ${condition} -> 'all of selection_* and not filter_system'`,
    ]);
    expect(idsOf('remove-not')).toEqual([`remove-not condition: ${condition} -> '1 of selection_* and filter_system'`]);
    expect(idsOf('add-not')).toEqual([`add-not condition: ${condition} -> 'not 1 of selection_* and not filter_system'`]);
    expect(idsOf('remove-filter')).toEqual([`remove-filter condition: ${condition} -> '1 of selection_*'`]);
    expect(textOf(`remove-filter condition: ${condition} -> '1 of selection_*'`)).toContain('  condition: 1 of selection_*\nlevel: high\n');
  });

  it('match-modifier turns endswith, contains, startswith and equality into each other, for the whole item', () => {
    expect(idsOf('match-modifier')).toEqual([
      'match-modifier selection_img/Image|endswith: endswith -> contains',
      'match-modifier selection_img/Image|endswith: endswith -> startswith',
      'match-modifier selection_img/Image|endswith: endswith -> equality',
      'match-modifier selection_cli/CommandLine|contains|all: contains -> startswith',
      'match-modifier selection_cli/CommandLine|contains|all: contains -> endswith',
      'match-modifier selection_cli/CommandLine|contains|all: contains -> equality',
      'match-modifier selection_cli/ParentImage: equality -> contains',
      'match-modifier filter_system/User|startswith: startswith -> contains',
      'match-modifier filter_system/User|startswith: startswith -> endswith',
      'match-modifier filter_system/User|startswith: startswith -> equality',
    ]);
    expect(textOf('match-modifier selection_cli/CommandLine|contains|all: contains -> equality')).toContain('    CommandLine|all:\n');
    expect(textOf('match-modifier selection_cli/ParentImage: equality -> contains')).toContain("    ParentImage|contains: '*\\w3wp.exe'\n");
  });

  it('wildcard drops a written wildcard or adds one at an end, value by value', () => {
    expect(idsOf('wildcard')).toEqual([
      "wildcard selection_img/Image|endswith: '\\cmd.exe' -> '\\cmd.exe*'",
      "wildcard selection_img/Image|endswith: '\\powershell.exe' -> '\\powershell.exe*'",
      "wildcard selection_cli/ParentImage: '*\\w3wp.exe' -> '\\w3wp.exe'",
    ]);
    expect(textOf("wildcard selection_cli/ParentImage: '*\\w3wp.exe' -> '\\w3wp.exe'")).toContain("    ParentImage: '\\w3wp.exe'\n");
  });

  it('swap-parent-child renames process fields to their parent counterparts throughout, pair by pair and all at once', () => {
    expect(idsOf('swap-parent-child')).toEqual([
      'swap-parent-child detection: Image <-> ParentImage',
      'swap-parent-child detection: CommandLine <-> ParentCommandLine',
      'swap-parent-child detection: User <-> ParentUser',
      'swap-parent-child detection: Image <-> ParentImage, CommandLine <-> ParentCommandLine, User <-> ParentUser',
    ]);
    const swapped = textOf('swap-parent-child detection: Image <-> ParentImage');
    expect(swapped).toContain('    ParentImage|endswith:\n');
    expect(swapped).toContain("    Image: '*\\w3wp.exe'\n");
  });

  it.each([
    ['network_connection', 'DestinationPort: 3389\n    DestinationIp|cidr: 127.0.0.0/8', ['DestinationIp <-> SourceIp', 'DestinationPort <-> SourcePort', 'DestinationIp <-> SourceIp, DestinationPort <-> SourcePort']],
    ['image_load', "Image|endswith: '\\w3wp.exe'\n    ImageLoaded|endswith: '\\System.Management.Automation.dll'", ['Image <-> ImageLoaded']],
    ['file_event', "Image|endswith: '\\w3wp.exe'\n    TargetFilename|endswith: '.aspx'", ['Image <-> TargetFilename']],
    ['registry_set', "Image|endswith: '\\reg.exe'\n    TargetObject|endswith: '\\Run\\x'", []],
  ])('swap-parent-child swaps the two ends of a %s event', (category, selection, changes) => {
    const other = readRule(`title: t\nid: 5d0c6a7e-2b1f-4c3d-9e8f-7a6b5c4d3e2f\nlogsource:\n  category: ${category}\n  product: windows\ndetection:\n  selection:\n    ${selection}\n  condition: selection\n`);
    const swaps = generateMutants(other, ['swap-parent-child']);
    expect(swaps.mutants.map((mutant) => mutant.change).map((change) => change.split(', ').map((pair) => pair.split(' <-> ').sort().join(' <-> ')).join(', '))).toEqual(changes);
  });

  it('swap-parent-child swaps the subject and target accounts of a Security event', () => {
    const logon = readRule("title: t\nid: 5d0c6a7e-2b1f-4c3d-9e8f-7a6b5c4d3e2f\nlogsource:\n  product: windows\n  service: security\ndetection:\n  selection:\n    EventID: 4624\n    TargetUserName|endswith: '$'\n  condition: selection\n");
    expect(generateMutants(logon, ['swap-parent-child']).mutants.map((mutant) => mutant.id)).toEqual(['swap-parent-child detection: SubjectUserName <-> TargetUserName']);
  });

  it('remove-all, add-cased and number-bound change modifiers and bounds', () => {
    expect(idsOf('remove-all')).toEqual(['remove-all selection_cli/CommandLine|contains|all: remove all']);
    expect(idsOf('add-cased')).toEqual([
      'add-cased selection_img/Image|endswith: add cased',
      'add-cased selection_cli/CommandLine|contains|all: add cased',
      'add-cased selection_cli/ParentImage: add cased',
      'add-cased filter_system/User|startswith: add cased',
    ]);
    expect(idsOf('number-bound')).toEqual([
      'number-bound selection_size/FileSize|gt: gt 5 -> gt 4',
      'number-bound selection_size/FileSize|gt: gt 5 -> gt 6',
      'number-bound selection_size/FileSize|gt: gt -> gte',
    ]);
    expect(textOf('number-bound selection_size/FileSize|gt: gt 5 -> gt 4')).toContain('    FileSize|gt: 4\n');
    expect(textOf('number-bound selection_size/FileSize|gt: gt -> gte')).toContain('    FileSize|gte: 5\n');
  });

  it('leaves out, with the reason, proposals that match what the rule or an earlier mutant matches', () => {
    expect(set.dropped.map((entry) => [entry.reason, entry.id])).toEqual([
      ['duplicate', 'match-modifier selection_cli/ParentImage: equality -> startswith'],
      ['same-logic', 'match-modifier selection_cli/ParentImage: equality -> endswith'],
      ['duplicate', "wildcard selection_cli/ParentImage: '*\\w3wp.exe' -> '*\\w3wp.exe*'"],
      ['duplicate', "wildcard filter_system/User|startswith: 'NT AUTHORITY\\' -> '*NT AUTHORITY\\'"],
    ]);
  });

  it('shows each mutant as a unified diff at its line', () => {
    const mutant = set.mutants.find((candidate) => candidate.id === 'number-bound selection_size/FileSize|gt: gt -> gte');
    expect(mutant?.line).toBe(18);
    expect(mutant?.diff).toBe(['--- rules/test.yml', '+++ rules/test.yml (mutant)', '@@ -16,5 +16,5 @@', "     ParentImage: '*\\w3wp.exe'", '   selection_size:', '-    FileSize|gt: 5', '+    FileSize|gte: 5', '   filter_system:', "     User|startswith: 'NT AUTHORITY\\'"].join('\n'));
  });

  it('handle keyword lists, lists of selections and flow lists', () => {
    const text = `title: t
logsource: { product: windows }
detection:
  keywords:
    - 'mimikatz'
    - 'sekurlsa::'
  either:
    - Image|endswith: [a.exe, b.exe]
    - CommandLine: x
  condition: keywords or either
`;
    const ids = generateMutants(readRule(text)).mutants.map((mutant) => mutant.id);
    expect(ids).toEqual(expect.arrayContaining([
      "drop-value keywords: drop 'mimikatz'",
      "drop-value either/0/Image|endswith: drop 'a.exe'",
      'drop-value either: drop alternative 1 of 2',
      "drop-selection condition: 'keywords or either' -> 'either'",
      "swap-and-or condition: 'keywords or either' -> 'keywords and either'",
      "wildcard keywords: 'mimikatz' -> '*mimikatz'",
      "wildcard either/0/Image|endswith: 'a.exe' -> 'a.exe*'",
    ]));
    const flow = generateMutants(readRule(text)).mutants.find((mutant) => mutant.id === "drop-value either/0/Image|endswith: drop 'a.exe'");
    expect(writeMutant(text, flow ?? { edits: [] })).toContain('    - Image|endswith: [b.exe]\n');
  });

  it('say why a change cannot be written instead of writing it wrong', () => {
    const text = 'title: t\nlogsource: { product: windows }\ndetection:\n  sel: { Image: a, User: b }\n  condition: sel\n';
    const proposals = operatorRegistry['drop-field'].propose({ rule: readRule(text), document: readRule(text).source });
    expect(proposals.filter(isUnwritable).map((proposal) => proposal.reason)).toEqual(['the mapping is written in flow style', 'the mapping is written in flow style']);
    const writable = operatorRegistry['add-cased'].propose({ rule: readRule(text), document: readRule(text).source }) as ProposedMutant[];
    expect(applyEdits(text, writable[0]?.edits ?? [])).toContain('{ Image|cased: a, User: b }');
  });
});
