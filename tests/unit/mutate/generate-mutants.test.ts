import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYamlFile } from '../../../src/load/yaml.js';
import { generateMutants, readMutantRule } from '../../../src/mutate/generate-mutants.js';
import { describeLogic } from '../../../src/mutate/logic-signature.js';
import { writeMutant } from '../../../src/mutate/mutant.js';
import { parseRule } from '../../../src/parse/parse-rule.js';
import { readRule } from './mutation-rule.js';

const SIGMAHQ = join(import.meta.dirname, '../../fixtures/sigmahq/rules');

function listRuleFiles(folder: string): string[] {
  return readdirSync(folder).flatMap((name) => {
    const path = join(folder, name);
    return statSync(path).isDirectory() ? listRuleFiles(path) : path.endsWith('.yml') ? [path] : [];
  });
}

describe('generateMutants', () => {
  it('is deterministic: the same rule gives the same mutants, in the same order', () => {
    const first = generateMutants(readRule());
    const second = generateMutants(readRule());
    expect(second.mutants.map((mutant) => [mutant.id, mutant.edits])).toEqual(first.mutants.map((mutant) => [mutant.id, mutant.edits]));
  });

  // Every 50th SigmaHQ rule (about 60 of them, every kind of detection): the operators' text edits
  // must read back as rules, each mutant must change what the rule matches, and no two may be alike.
  it('writes mutants of real SigmaHQ rules that read back as rules matching something else', async () => {
    const files = listRuleFiles(SIGMAHQ).sort().filter((_, index) => index % 50 === 0);
    let mutants = 0;
    for (const file of files) {
      const loaded = await loadYamlFile(file, file);
      for (const document of loaded.documents) {
        const rule = parseRule(document, file).rule;
        if (rule === undefined) continue;
        const set = generateMutants(rule);
        const logic = new Set([describeLogic(rule.detection)]);
        for (const mutant of set.mutants) {
          const read = readMutantRule(writeMutant(rule.source.text, mutant), rule);
          expect(read.problem, `${file}: ${mutant.id}`).toBeUndefined();
          const signature = describeLogic(read.rule!.detection);
          expect(logic.has(signature), `${file}: ${mutant.id} matches what the rule or another mutant matches`).toBe(false);
          logic.add(signature);
          expect(mutant.diff).toMatch(/^--- .*\n\+\+\+ .* \(mutant\)\n@@ -\d+,\d+ \+\d+,\d+ @@\n/);
        }
        expect(new Set(set.mutants.map((mutant) => mutant.id)).size).toBe(set.mutants.length);
        // A mutant that cannot be written is one whose key would repeat a key of its selection.
        for (const dropped of set.dropped.filter((entry) => entry.reason === 'invalid')) expect(dropped.detail).toMatch(/duplicated mapping key/);
        mutants += set.mutants.length;
      }
    }
    expect(files.length).toBeGreaterThan(50);
    expect(mutants).toBeGreaterThan(1000);
  });
});
