/**
 * Mutants of a Sigma rule as plain data. An operator reads the parsed rule (src/model) and proposes
 * changes as edits of the rule's YAML text at the positions the parser recorded, so the mutant a test
 * must kill is a rule an author could have written, read back through the same parser, and its diff
 * is the diff a reviewer would see.
 */
import type { YamlDocument } from '../load/yaml.js';
import type { SigmaRule } from '../model/rule.js';
import { applyEdits } from './text-diff.js';

/** Replaces `text.slice(start, end)` with `text` (0-based offsets into the rule file's text). */
export interface TextEdit {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/** What an operator works on: the parsed rule and the YAML document it was read from. */
export interface MutationTarget {
  readonly rule: SigmaRule;
  readonly document: YamlDocument;
}

/**
 * One change an operator proposes. `target` says where (an identifier path such as
 * `selection_child/Image`, or `condition`), `change` what; together with the operator they name the
 * mutant for as long as the rule keeps that part, whatever lines move around it.
 */
export interface ProposedMutant {
  readonly target: string;
  readonly change: string;
  readonly edits: readonly TextEdit[];
}

/** A change an operator could not write as an edit of the text (a flow-style list, a block scalar ...). */
export interface UnwritableMutant {
  readonly target: string;
  readonly change: string;
  readonly reason: string;
}

/** A mutation operator: one kind of mistake an author could make, proposed wherever the rule allows it. */
export interface MutationOperator {
  readonly id: string;
  /** One sentence: the mistake this operator makes. */
  readonly description: string;
  propose(target: MutationTarget): readonly (ProposedMutant | UnwritableMutant)[];
}

/**
 * A mutant ready to evaluate: its edits of the rule's text (the mutated text is made when needed, so a
 * rule with thousands of mutants does not hold thousands of copies of itself), where it differs and how.
 */
export interface Mutant {
  /** `<operator> <target>: <change>`, the name mutants.yml marks it by. */
  readonly id: string;
  readonly operator: string;
  readonly target: string;
  readonly change: string;
  /** The change, as edits of the rule file's text. */
  readonly edits: readonly TextEdit[];
  /** Where the first edit is, 1-based. */
  readonly line: number;
  readonly column: number;
  /** The change as a unified diff of the rule file. */
  readonly diff: string;
}

/** Names a mutant: the operator, where it changes the rule and what it changes. */
export function nameMutant(operator: string, target: string, change: string): string {
  return `${operator} ${target}: ${change}`;
}

/** The whole rule file text with a mutant's edits applied. */
export function writeMutant(ruleText: string, mutant: Pick<Mutant, 'edits'>): string {
  return applyEdits(ruleText, mutant.edits);
}

/** True for a proposal the operator could not write as a text edit. */
export function isUnwritable(proposal: ProposedMutant | UnwritableMutant): proposal is UnwritableMutant {
  return 'reason' in proposal;
}
