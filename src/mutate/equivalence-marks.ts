/**
 * Mutants marked equivalent, with a reason, in a rule's test folder (`mutants.yml`, schema
 * schemas/mutants.schema.json). A mark is a claim the run checks: the mutant must still exist, survive
 * the rule's tests, and no generated event may tell it from the rule.
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createDiagnostic, type Diagnostic, type Position } from '../diagnostics/diagnostic.js';
import { compileSchemaFile, schemaDiagnostics } from '../load/json-schema.js';
import { loadYamlFile } from '../load/yaml.js';

/** The file in a rule's test folder that marks equivalent mutants. */
export const MUTANTS_FILE = 'mutants.yml';

/** One mutant marked equivalent. */
export interface EquivalenceMark {
  readonly mutant: string;
  readonly reason: string;
  /** Where the mark's mutant name is written. */
  readonly at: Position;
}

/** A rule's equivalence marks as read from its mutants.yml. */
export interface EquivalenceMarks {
  /** The file, relative to the repository root. */
  readonly file: string;
  readonly ruleId: string;
  readonly ruleIdAt: Position;
  readonly marks: readonly EquivalenceMark[];
}

const toSlashes = (path: string): string => path.split('\\').join('/');

/** Reads a rule's mutants.yml; no marks and no diagnostics when the folder has none. */
export async function loadEquivalenceMarks(testFolder: string, repoRoot: string): Promise<{ marks?: EquivalenceMarks; diagnostics: Diagnostic[] }> {
  const path = join(testFolder, MUTANTS_FILE);
  if (!existsSync(path)) return { diagnostics: [] };
  const file = toSlashes(relative(repoRoot, path));
  const loaded = await loadYamlFile(path, file);
  const document = loaded.documents[0];
  if (document === undefined || document.value === null || document.value === undefined) {
    const diagnostics = loaded.diagnostics.length > 0
      ? [...loaded.diagnostics]
      : [createDiagnostic(file, { line: 1, column: 1 }, 'mutants/empty', 'error', 'the mutants file is empty')];
    return { diagnostics };
  }
  const validate = compileSchemaFile('mutants.schema.json');
  if (!validate(document.value)) return { diagnostics: [...loaded.diagnostics, ...schemaDiagnostics(validate.errors ?? [], document, file)] };
  const raw = document.value as { rule: string; equivalent: { mutant: string; reason: string }[] };
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const seen = new Set<string>();
  const marks: EquivalenceMark[] = [];
  raw.equivalent.forEach((entry, index) => {
    const at = document.locate(['equivalent', index, 'mutant']);
    if (seen.has(entry.mutant)) {
      diagnostics.push(createDiagnostic(file, at, 'mutants/duplicate-mark', 'warning', `'${entry.mutant}' is marked more than once`));
      return;
    }
    seen.add(entry.mutant);
    marks.push({ mutant: entry.mutant, reason: entry.reason, at });
  });
  return { marks: { file, ruleId: raw.rule, ruleIdAt: document.locate(['rule']), marks }, diagnostics };
}
