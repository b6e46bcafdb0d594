import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadEquivalenceMarks } from '../../../src/mutate/equivalence-marks.js';

async function folderWith(text: string | undefined): Promise<{ root: string; folder: string }> {
  const root = await mkdtemp(join(tmpdir(), 'dac-marks-'));
  const folder = join(root, 'tests/rules/r');
  await mkdir(folder, { recursive: true });
  if (text !== undefined) await writeFile(join(folder, 'mutants.yml'), text);
  return { root, folder };
}

const RULE = '5d0c6a7e-2b1f-4c3d-9e8f-7a6b5c4d3e2f';

describe('loadEquivalenceMarks', () => {
  it('reads nothing, and says nothing, when the test folder has no mutants.yml', async () => {
    const { root, folder } = await folderWith(undefined);
    expect(await loadEquivalenceMarks(folder, root)).toEqual({ diagnostics: [] });
  });

  it('reads each mark with where its name is written, and warns about a mark written twice', async () => {
    const { root, folder } = await folderWith(`rule: ${RULE}\nequivalent:\n  - mutant: 'add-not condition: x'\n    reason: no event the rule meets tells them apart\n  - mutant: 'add-not condition: x'\n    reason: the same mark once more, by mistake\n`);
    const { marks, diagnostics } = await loadEquivalenceMarks(folder, root);
    expect(marks).toEqual({
      file: 'tests/rules/r/mutants.yml',
      ruleId: RULE,
      ruleIdAt: { line: 1, column: 7 },
      marks: [{ mutant: 'add-not condition: x', reason: 'no event the rule meets tells them apart', at: { line: 3, column: 13 } }],
    });
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'mutants/duplicate-mark', severity: 'warning', line: 5, column: 13 })]);
  });

  it('reports what breaks the schema at its line: a missing reason, a reason too short, an unknown key', async () => {
    const { root, folder } = await folderWith(`rule: ${RULE}\nequivalent:\n  - mutant: a\n  - mutant: b\n    reason: short\n  - mutant: c\n    reason: long enough to say why, really\n    note: x\n`);
    const { marks, diagnostics } = await loadEquivalenceMarks(folder, root);
    expect(marks).toBeUndefined();
    expect(diagnostics.map((d) => [d.severity, d.line])).toEqual(expect.arrayContaining([['error', 3], ['error', 5], ['error', 8]]));
    expect(diagnostics.every((d) => d.file === 'tests/rules/r/mutants.yml' && d.code.startsWith('schema/'))).toBe(true);
  });
});
