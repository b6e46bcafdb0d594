/**
 * What a rule needs of an event before it can match, as literal text: requirements in conjunctive
 * normal form. An atom says "this needle occurs in the case-folded text of this field's value" (of any
 * value, for keyword searches); a clause holds when one of its atoms does; a rule can only match an
 * event on which all its clauses hold. Derived from the detection and condition by the usual rules of
 * required substrings: an AND needs the clauses of all its branches, an OR one clause uniting a clause
 * of every branch, a NOT nothing. `dac scan` finds the atoms of all rules with one automaton per field
 * and evaluates only the rules whose clauses all hold (src/scan/rule-index.ts); the needles of the best
 * clause, field left aside, are what the raw-text prefilter looks for.
 */
import type { ConditionNode } from '../model/condition.js';
import type { Detection, DetectionItem, DetectionNode, RegexValue, SigmaValue, StringValue } from '../model/detection.js';
import { selectIdentifiers } from '../parse/condition.js';
import { foldCase } from './case-fold.js';
import { extractRegexLiterals } from './regex-literals.js';

/** One literal a rule needs: `needle` (lower case) occurs in the case-folded text of `field`'s value, or of any value when `field` is undefined (keywords). */
export interface Atom {
  readonly field: string | undefined;
  readonly needle: string;
}

/** Atoms of which at least one must hold. */
export type Clause = readonly Atom[];

/** Clauses that must all hold; empty when nothing is required (anything may match). */
export type Requirements = readonly Clause[];

/** Most clauses kept per rule: more select better but cost bookkeeping on every event. */
export const MAX_CLAUSES = 4;

// One or two characters that most values hold (letters, digits, path and command-line punctuation) tell
// little and are found every few characters; a clause holding such a needle is left out.
const COMMON_CHARACTERS = /^[a-z0-9 .,:;\\/\-_"'()=*?!]{0,2}$/;

/** True when a needle is at most two characters most values hold. */
export const isWeakNeedle = (needle: string): boolean => COMMON_CHARACTERS.test(needle);

const NONE: Requirements = [];

/** A set of needles, or undefined when no needle is required (anything may match). */
export type NeedleSet = readonly string[] | undefined;

/**
 * Where needles will be looked for. `value`: in the parsed event's values as the rule sees them (after
 * its log-source binding), folded: any literal will do. `raw`: in the raw text of a record (an NDJSON
 * line) before parsing: only printable ASCII that is not number-like, never from fields a mapping
 * computes, never from encoded bytes.
 */
export type NeedleTarget = 'value' | 'raw';

// Characters a number's text form is made of: String(JSON.parse("4.688e3")) is "4688", which the raw
// text lacks, so needles made only of these are not reliable there.
const NUMERIC_ONLY = /^[0-9.eE+\-]*$/;
// Non-ASCII text may fold to ASCII (`ſ` to `s`); raw needles stay within printable ASCII runs.
const ASCII_RUN = /[\u0020-\u007e]+/g;

/** The best raw needle of a literal: its longest printable-ASCII piece that is not number-like. */
function pickRawNeedle(text: string): string | undefined {
  let best: string | undefined;
  for (const match of foldCase(text).matchAll(ASCII_RUN)) {
    const run = match[0];
    if (NUMERIC_ONLY.test(run)) continue;
    if (best === undefined || run.length > best.length) best = run;
  }
  return best;
}

function stringNeedles(value: StringValue, target: NeedleTarget): NeedleSet {
  // Encoded values hold bytes as characters; their text form never appears as such in JSON.
  if (target === 'raw' && value.encoding === 'bytes') return undefined;
  let best: string | undefined;
  for (const part of value.parts) {
    if (part.kind !== 'text') continue;
    // The value test compares folded text with the folded pattern, so each folded literal part is in it.
    const needle = target === 'raw' ? pickRawNeedle(part.text) : foldCase(part.text) || undefined;
    if (needle !== undefined && (best === undefined || needle.length > best.length)) best = needle;
  }
  return best === undefined ? undefined : [best];
}

/** The literal requirements of a `|re` value (./regex-literals.ts); raw needles must not be number-like. */
function regexRequirements(value: RegexValue, field: string | undefined, target: NeedleTarget): Requirements {
  // `%placeholders%` stand for text the pattern does not spell.
  if (value.placeholders) return NONE;
  const clauses = extractRegexLiterals(value.pattern);
  return clauses
    .filter((clause) => target === 'value' || clause.every((needle) => !NUMERIC_ONLY.test(needle)))
    .map((clause) => clause.map((needle) => ({ field, needle })));
}

/** Needles of one value for an OR context: one clause's worth, or undefined. */
function valueNeedles(value: SigmaValue, target: NeedleTarget): NeedleSet {
  switch (value.kind) {
    case 'string':
      return stringNeedles(value, target);
    case 'regex':
      return pickBestClause(regexRequirements(value, undefined, target))?.map((atom) => atom.needle);
    case 'expansion': {
      // Expanded values are OR-linked: every one must contribute a needle.
      const all = new Set<string>();
      for (const member of value.values) {
        const set = valueNeedles(member, target);
        if (set === undefined) return undefined;
        for (const needle of set) all.add(needle);
      }
      return value.values.length === 0 ? undefined : [...all];
    }
    default:
      // Numbers, booleans, null, networks, comparisons, field references and time parts match text
      // that no literal of the rule spells out.
      return undefined;
  }
}

/** The requirements of one value of an item on `field`. */
function valueRequirements(value: SigmaValue, field: string | undefined, target: NeedleTarget): Requirements {
  if (value.kind === 'regex') return regexRequirements(value, field, target);
  const needles = valueNeedles(value, target);
  return needles === undefined ? NONE : [needles.map((needle) => ({ field, needle }))];
}


// Characters that Windows paths and command lines seldom hold: a needle with them is rarer than its length says.
const RARE_CHARACTER = /[`~^{}|$<>%;&@+#[\]]/;

/** How rarely a needle occurs in event text, roughly: its length, rare or non-ASCII characters counting three. */
function rateNeedle(needle: string): number {
  let rate = 0;
  for (const char of needle) rate += char > '\u007f' || RARE_CHARACTER.test(char) ? 3 : 1;
  return rate;
}

/** How selective a clause is: the rarer its weakest atom, the better; then the fewer atoms. */
function scoreClause(clause: Clause): number {
  let weakest = Infinity;
  for (const atom of clause) weakest = Math.min(weakest, rateNeedle(atom.needle));
  return weakest * 1000 - clause.length;
}

/** The most selective clause of a requirement list (the first of equals), or undefined when it is empty. */
export function pickBestClause(requirements: Requirements): Clause | undefined {
  let best: Clause | undefined;
  let bestScore = -Infinity;
  for (const clause of requirements) {
    const score = scoreClause(clause);
    if (score > bestScore) {
      best = clause;
      bestScore = score;
    }
  }
  return best;
}

const atomKey = (atom: Atom): string => `${atom.field ?? ''}\u0000${atom.needle}`;

/** How many clauses of each branch of an OR take part in its requirements, and how many unions are kept. */
const CLAUSES_PER_BRANCH = 3;
const UNIONS_KEPT = 6;

/** A clause being built by `uniteBranches`: its atoms by key, and the rate of its weakest needle. */
interface Union {
  readonly atoms: Map<string, Atom>;
  weakest: number;
}

const addClause = (union: Union, clause: Clause): void => {
  for (const atom of clause) {
    union.atoms.set(atomKey(atom), atom);
    union.weakest = Math.min(union.weakest, rateNeedle(atom.needle));
  }
};
const scoreUnion = (union: Union): number => union.weakest * 1000 - union.atoms.size;

/**
 * Requirements of an OR: none if a branch requires nothing; else clauses that each unite one clause of
 * every branch (distributing the OR over the branches' ANDs), the most selective few of them.
 */
function uniteBranches(branches: readonly Requirements[]): Requirements {
  if (branches.length === 0) return NONE;
  if (branches.length === 1) return branches[0] as Requirements;
  let unions: Union[] = [{ atoms: new Map(), weakest: Infinity }];
  for (const branch of branches) {
    if (branch.length === 0) return NONE;
    // Most branches (the values of an item) are one clause: it joins every union, no copies made.
    if (branch.length === 1) {
      for (const union of unions) addClause(union, branch[0] as Clause);
      continue;
    }
    const chosen = branch
      .map((clause) => ({ clause, score: scoreClause(clause) }))
      .sort((a, b) => b.score - a.score)
      .slice(0, CLAUSES_PER_BRANCH);
    const next: Union[] = [];
    for (const union of unions) {
      for (const { clause } of chosen) {
        const copy: Union = { atoms: new Map(union.atoms), weakest: union.weakest };
        addClause(copy, clause);
        next.push(copy);
      }
    }
    unions = next.sort((a, b) => scoreUnion(b) - scoreUnion(a)).slice(0, UNIONS_KEPT);
  }
  return unions.map((union) => [...union.atoms.values()]);
}

/** Requirements of an AND: every branch's clauses. */
function joinBranches(branches: readonly Requirements[]): Requirements {
  return branches.flat();
}

/** Fields whose values a log-source mapping converts or joins (so they are not in the raw text). */
type ConvertedFields = ReadonlySet<string>;

function itemRequirements(item: DetectionItem, converted: ConvertedFields, target: NeedleTarget): Requirements {
  // A negated item matches by the absence of values: nothing is required.
  if (item.negated) return NONE;
  // Raw text does not hold what a mapping computes; keywords search every value, converted ones included.
  if (target === 'raw' && (item.field === undefined ? converted.size > 0 : converted.has(item.field))) return NONE;
  const branches = item.values.map((value) => valueRequirements(value, item.field, target));
  return item.linking === 'and' ? joinBranches(branches) : uniteBranches(branches);
}

function nodeRequirements(node: DetectionNode, converted: ConvertedFields, target: NeedleTarget): Requirements {
  switch (node.kind) {
    case 'item':
      return itemRequirements(node, converted, target);
    case 'and':
      return joinBranches(node.items.map((item) => nodeRequirements(item, converted, target)));
    case 'or':
      return uniteBranches(node.items.map((item) => nodeRequirements(item, converted, target)));
  }
}

function conditionRequirements(node: ConditionNode, detection: Detection, names: readonly string[], converted: ConvertedFields, target: NeedleTarget): Requirements {
  const identifierRequirements = (name: string): Requirements => {
    const identifier = detection.identifiers.get(name);
    return identifier ? nodeRequirements(identifier.body, converted, target) : NONE;
  };
  switch (node.kind) {
    case 'identifier':
      return identifierRequirements(node.name);
    case 'not':
      return NONE;
    case 'and':
      return joinBranches(node.operands.map((operand) => conditionRequirements(operand, detection, names, converted, target)));
    case 'or':
      return uniteBranches(node.operands.map((operand) => conditionRequirements(operand, detection, names, converted, target)));
    case 'of': {
      const branches = selectIdentifiers(node.target, names).map(identifierRequirements);
      return node.quantifier === 'all' ? joinBranches(branches) : uniteBranches(branches);
    }
  }
}

/**
 * The requirements of a whole detection (a list of conditions is an OR) for needles looked for in
 * `target`: at most `MAX_CLAUSES` clauses, the most selective first, each clause's atoms sorted.
 * `converted` names fields whose values a log-source mapping computes; raw needles never come from them.
 */
export function computeRequirements(detection: Detection, target: NeedleTarget, converted: ConvertedFields = new Set()): Requirements {
  const names = [...detection.identifiers.keys()];
  const all = uniteBranches(detection.conditions.map((condition) => conditionRequirements(condition.ast, detection, names, converted, target)));
  const unique = new Map<string, Clause>();
  for (const clause of all) {
    if (clause.some((atom) => isWeakNeedle(atom.needle))) continue;
    const atoms = [...new Map(clause.map((atom) => [atomKey(atom), atom])).values()].sort((a, b) => (atomKey(a) < atomKey(b) ? -1 : 1));
    unique.set(atoms.map(atomKey).join('\u0001'), atoms);
  }
  return [...unique.values()]
    .map((clause) => ({ clause, score: scoreClause(clause) }))
    .sort((a, b) => b.score - a.score)
    .slice(0, MAX_CLAUSES)
    .map(({ clause }) => clause);
}

/**
 * The raw needles of a detection: those of its most selective raw clause, field left aside; at least
 * one occurs in the raw text of every record the rule matches. Undefined when there is no such set.
 */
export function computeNeedles(detection: Detection, converted: ConvertedFields = new Set()): NeedleSet {
  const best = pickBestClause(computeRequirements(detection, 'raw', converted));
  return best === undefined ? undefined : [...new Set(best.map((atom) => atom.needle))].sort();
}
