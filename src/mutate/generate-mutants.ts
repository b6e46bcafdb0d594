/**
 * Generates a rule's mutants: every operator's proposals, applied to the rule text and read back
 * through the same parser as the rule. A proposal that cannot be written, that does not read back as
 * a valid rule, or whose logic equals the rule's or an earlier mutant's is not a mutant;
 * each is kept with the reason, so the report can count what was left out.
 */
import { indexLines } from '../load/source-text.js';
import { parseYaml } from '../load/yaml.js';
import type { SigmaRule } from '../model/rule.js';
import { parseRule } from '../parse/parse-rule.js';
import { fingerprintLogic } from './logic-signature.js';
import { isUnwritable, nameMutant, type Mutant } from './mutant.js';
import { OPERATOR_IDS, operatorRegistry, type OperatorId } from './operator-registry.js';
import { applyEdits, formatUnifiedDiff } from './text-diff.js';

/** Why a proposal is not a mutant. */
export type DropReason = 'same-logic' | 'duplicate' | 'invalid' | 'unwritable';

/** A proposal that did not become a mutant, and why. */
export interface DroppedMutant {
  readonly id: string;
  readonly operator: OperatorId;
  readonly reason: DropReason;
  readonly detail: string;
}

/** A rule's mutants and the proposals left out. */
export interface MutantSet {
  readonly mutants: readonly (Mutant & { readonly operator: OperatorId })[];
  readonly dropped: readonly DroppedMutant[];
}

/** Reads a mutated rule text back as the rule's document; the first error when it is not a valid rule. */
export function readMutantRule(text: string, rule: SigmaRule): { rule?: SigmaRule; problem?: string } {
  const parsed = parseYaml(text, rule.file);
  const document = parsed.documents.find((candidate) => candidate.index === rule.source.index);
  const yamlError = parsed.diagnostics.find((d) => d.severity === 'error');
  if (document === undefined || yamlError !== undefined) return { problem: yamlError?.message ?? 'the document is gone' };
  const result = parseRule(document, rule.file);
  const error = result.diagnostics.find((d) => d.severity === 'error');
  if (result.rule === undefined || error !== undefined) return { problem: error === undefined ? 'it is no longer a detection rule' : `${error.code}: ${error.message}` };
  return { rule: result.rule };
}

/** Generates the mutants of `rule` with the chosen operators (default: all), in operator order. */
export function generateMutants(rule: SigmaRule, operators: readonly OperatorId[] = OPERATOR_IDS): MutantSet {
  const text = rule.source.text;
  const lines = indexLines(text);
  const seen = new Map<string, string>([[fingerprintLogic(rule.detection), '']]);
  const ids = new Set<string>();
  const mutants: (Mutant & { operator: OperatorId })[] = [];
  const dropped: DroppedMutant[] = [];
  for (const operator of operators) {
    for (const proposal of operatorRegistry[operator].propose({ rule, document: rule.source })) {
      let id = nameMutant(operator, proposal.target, proposal.change);
      if (isUnwritable(proposal)) {
        dropped.push({ id, operator, reason: 'unwritable', detail: proposal.reason });
        continue;
      }
      const mutated = applyEdits(text, proposal.edits);
      // Compiling is left to the judge, which reports a mutant that does not compile.
      const read = readMutantRule(mutated, rule);
      if (read.rule === undefined) {
        dropped.push({ id, operator, reason: 'invalid', detail: read.problem ?? 'it is not a rule' });
        continue;
      }
      const logic = fingerprintLogic(read.rule.detection);
      const twin = seen.get(logic);
      if (twin !== undefined) {
        dropped.push({ id, operator, reason: twin === '' ? 'same-logic' : 'duplicate', detail: twin === '' ? 'it matches exactly what the rule matches' : `the same logic as ${twin}` });
        continue;
      }
      for (let copy = 2; ids.has(id); copy += 1) id = `${nameMutant(operator, proposal.target, proposal.change)} #${copy}`;
      ids.add(id);
      seen.set(logic, id);
      const first = Math.min(...proposal.edits.map((edit) => edit.start));
      const { line, column } = lines.positionAt(first);
      mutants.push({
        id,
        operator,
        target: proposal.target,
        change: proposal.change,
        edits: proposal.edits,
        line,
        column,
        diff: formatUnifiedDiff(rule.file, text, proposal.edits),
      });
    }
  }
  return { mutants, dropped };
}
