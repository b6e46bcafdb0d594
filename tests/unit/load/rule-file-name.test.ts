import { describe, expect, it } from 'vitest';
import { isRuleFileName } from '../../../src/load/rule-file-name.js';

describe('isRuleFileName', () => {
  it('recognises rule file names', () => {
    expect(['a.yml', 'b.YAML', 'c.yaml'].every(isRuleFileName)).toBe(true);
    expect(['a.yml.bak', 'b.json', 'yml'].some(isRuleFileName)).toBe(false);
  });

  it('takes repository paths as well as bare names', () => {
    expect(['rules/windows/a.yml', 'rules/b/C.Yaml'].every(isRuleFileName)).toBe(true);
    expect(['rules/a.yml/README', 'rules/a.ymlx'].some(isRuleFileName)).toBe(false);
  });
});
