/** A small rule with every construct the mutation operators change, for their tests. */
import { parseYaml } from '../../../src/load/yaml.js';
import type { SigmaRule } from '../../../src/model/rule.js';
import { parseRule } from '../../../src/parse/parse-rule.js';

export const MUTATION_RULE = `title: Encoded shell from IIS
id: 5d0c6a7e-2b1f-4c3d-9e8f-7a6b5c4d3e2f
status: test
logsource:
  category: process_creation
  product: windows
detection:
  selection_img:
    Image|endswith:
      - '\\cmd.exe'
      - '\\powershell.exe'
  selection_cli:
    CommandLine|contains|all:
      - ' -enc '
      - ' -nop '
    ParentImage: '*\\w3wp.exe'
  selection_size:
    FileSize|gt: 5
  filter_system:
    User|startswith: 'NT AUTHORITY\\'
  condition: 1 of selection_* and not filter_system
level: high
`;

/** Parses a rule text as the rule file `rules/test.yml`. */
export function readRule(text: string = MUTATION_RULE): SigmaRule {
  const document = parseYaml(text, 'rules/test.yml').documents[0];
  const rule = document === undefined ? undefined : parseRule(document, 'rules/test.yml').rule;
  if (rule === undefined) throw new Error('the test rule does not parse');
  return rule;
}
