/**
 * Prefilter needles: literal strings of which at least one must occur (case-folded) in an event's
 * values for a rule to possibly match. Derived from the detection and condition by the usual rules
 * of required substrings: OR needs a needle from every branch, AND from any one branch, NOT from none.
 */
import type { ConditionNode } from '../model/condition.js';
import type { Detection, DetectionItem, DetectionNode, SigmaValue, StringValue } from '../model/detection.js';
import { selectIdentifiers } from '../parse/condition.js';
import { foldCase } from './case-fold.js';

/** A set of needles, or undefined when no needle is required (anything may match). */
export type NeedleSet = readonly string[] | undefined;

// Characters a number's text form is made of: String(JSON.parse("4.688e3")) is "4688", which the raw
// text lacks, so needles made only of these are not reliable.
const NUMERIC_ONLY = /^[0-9.eE+\-]*$/;
// Non-ASCII text may fold to ASCII (`ſ` to `s`); needles stay within printable ASCII runs.
const ASCII_RUN = /[\u0020-\u007e]+/g;

/** The best needle of a literal run: its longest printable-ASCII piece that is not number-like. */
function pickNeedle(text: string): string | undefined {
  let best: string | undefined;
  for (const match of foldCase(text).matchAll(ASCII_RUN)) {
    const run = match[0];
    if (NUMERIC_ONLY.test(run)) continue;
    if (best === undefined || run.length > best.length) best = run;
  }
  return best;
}

function stringNeedles(value: StringValue): NeedleSet {
  let best: string | undefined;
  for (const part of value.parts) {
    if (part.kind !== 'text') continue;
    // Encoded values hold bytes as characters; their text form never appears as such in JSON.
    if (value.encoding === 'bytes') return undefined;
    const needle = pickNeedle(part.text);
    if (needle !== undefined && (best === undefined || needle.length > best.length)) best = needle;
  }
  return best === undefined ? undefined : [best];
}

function valueNeedles(value: SigmaValue): NeedleSet {
  switch (value.kind) {
    case 'string':
      return stringNeedles(value);
    case 'expansion':
      return unionNeedles(value.values.map(valueNeedles));
    default:
      // Numbers, booleans, null, regexes, networks, comparisons, field references and time parts
      // match text that no literal of the rule spells out.
      return undefined;
  }
}

/** Needles of an OR: every branch must contribute one, else there is no requirement. */
export function unionNeedles(sets: readonly NeedleSet[]): NeedleSet {
  const all = new Set<string>();
  for (const set of sets) {
    if (set === undefined) return undefined;
    for (const needle of set) all.add(needle);
  }
  return sets.length === 0 ? undefined : [...all];
}

/** Needles of an AND: any one branch's set will do; the one with the longest shortest needle is most selective. */
export function pickBestNeedles(sets: readonly NeedleSet[]): NeedleSet {
  let best: readonly string[] | undefined;
  let bestScore = -1;
  for (const set of sets) {
    if (set === undefined || set.length === 0) continue;
    const shortest = Math.min(...set.map((needle) => needle.length));
    const score = shortest * 1000 - set.length;
    if (score > bestScore) {
      best = set;
      bestScore = score;
    }
  }
  return best;
}

/** Fields whose values a log-source mapping converts or joins (so they are not in the raw text). */
type ConvertedFields = ReadonlySet<string>;

function itemNeedles(item: DetectionItem, converted: ConvertedFields): NeedleSet {
  // A negated item matches by the absence of values: nothing is required.
  if (item.negated) return undefined;
  // Keywords search every value, converted ones included.
  if (item.field === undefined ? converted.size > 0 : converted.has(item.field)) return undefined;
  const sets = item.values.map(valueNeedles);
  return item.linking === 'and' ? pickBestNeedles(sets) : unionNeedles(sets);
}

function nodeNeedles(node: DetectionNode, converted: ConvertedFields): NeedleSet {
  switch (node.kind) {
    case 'item':
      return itemNeedles(node, converted);
    case 'and':
      return pickBestNeedles(node.items.map((item) => nodeNeedles(item, converted)));
    case 'or':
      return unionNeedles(node.items.map((item) => nodeNeedles(item, converted)));
  }
}

function conditionNeedles(node: ConditionNode, detection: Detection, names: readonly string[], converted: ConvertedFields): NeedleSet {
  const identifierNeedles = (name: string): NeedleSet => {
    const identifier = detection.identifiers.get(name);
    return identifier ? nodeNeedles(identifier.body, converted) : undefined;
  };
  switch (node.kind) {
    case 'identifier':
      return identifierNeedles(node.name);
    case 'not':
      return undefined;
    case 'and':
      return pickBestNeedles(node.operands.map((operand) => conditionNeedles(operand, detection, names, converted)));
    case 'or':
      return unionNeedles(node.operands.map((operand) => conditionNeedles(operand, detection, names, converted)));
    case 'of': {
      const sets = selectIdentifiers(node.target, names).map(identifierNeedles);
      return node.quantifier === 'all' ? pickBestNeedles(sets) : unionNeedles(sets);
    }
  }
}

/**
 * The needles of a whole detection (a list of conditions is an OR), or undefined when there are none.
 * `converted` names fields whose values a log-source mapping computes; they contribute no needles.
 */
export function computeNeedles(detection: Detection, converted: ConvertedFields = new Set()): NeedleSet {
  const names = [...detection.identifiers.keys()];
  const needles = unionNeedles(detection.conditions.map((condition) => conditionNeedles(condition.ast, detection, names, converted)));
  return needles === undefined ? undefined : [...new Set(needles)].sort();
}
