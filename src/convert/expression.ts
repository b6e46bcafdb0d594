/**
 * The dialect-neutral form of a rule a query is written from: the condition with `x of` expanded, every
 * search identifier inlined, and every value normalised the way the engine compiles it (placeholders
 * expanded, windash after an encoding expanded), so a dialect only has to render plain values.
 * Built once per rule (and per filter); rendering it never changes its meaning.
 */
import { MAX_PATTERNS, expandRegexPlaceholders, resolvePlaceholders, type PlaceholderValues } from '../compile/compile-value.js';
import type { ConditionNode } from '../model/condition.js';
import type { Detection, DetectionItem, DetectionNode, SigmaValue, SourceRef, StringValue } from '../model/detection.js';
import { expandAlternatives } from '../modifiers/sigma-string.js';
import { selectIdentifiers } from '../parse/condition.js';

/** One detection item as a query tests it: a field (or every field, for keywords) against its values. */
export interface ItemTest {
  readonly kind: 'item';
  readonly item: DetectionItem;
  /** The item's values, normalised (see the module comment), parallel to `item.values`. */
  readonly values: readonly SigmaValue[];
}

/** A boolean expression over item tests. */
export type Expression =
  | { readonly kind: 'constant'; readonly value: boolean }
  | { readonly kind: 'and' | 'or'; readonly operands: readonly Expression[] }
  | { readonly kind: 'not'; readonly operand: Expression }
  | ItemTest;

/** Why part of a rule cannot become an expression, and where it is written. */
export interface ExpressionProblem {
  readonly code: string;
  readonly message: string;
  readonly at: SourceRef;
}

/** Most combinations an `N of` condition may expand into before conversion refuses (it is exact, but huge). */
export const MAX_OF_COMBINATIONS = 256;

const TRUE: Expression = { kind: 'constant', value: true };
const FALSE: Expression = { kind: 'constant', value: false };

/** AND of expressions, with constants folded. */
export function andOf(operands: readonly Expression[]): Expression {
  const kept: Expression[] = [];
  for (const operand of operands) {
    if (operand.kind === 'constant') {
      if (!operand.value) return FALSE;
      continue;
    }
    if (operand.kind === 'and') kept.push(...operand.operands);
    else kept.push(operand);
  }
  return kept.length === 0 ? TRUE : kept.length === 1 ? (kept[0] as Expression) : { kind: 'and', operands: kept };
}

/** OR of expressions, with constants folded. */
export function orOf(operands: readonly Expression[]): Expression {
  const kept: Expression[] = [];
  for (const operand of operands) {
    if (operand.kind === 'constant') {
      if (operand.value) return TRUE;
      continue;
    }
    if (operand.kind === 'or') kept.push(...operand.operands);
    else kept.push(operand);
  }
  return kept.length === 0 ? FALSE : kept.length === 1 ? (kept[0] as Expression) : { kind: 'or', operands: kept };
}

/** NOT of an expression, with constants and double negation folded. */
export function notOf(operand: Expression): Expression {
  if (operand.kind === 'constant') return operand.value ? FALSE : TRUE;
  if (operand.kind === 'not') return operand.operand;
  return { kind: 'not', operand };
}

/** Every way to pick `k` of `n` indexes, or undefined past the limit. */
function chooseCombinations(n: number, k: number, limit: number): number[][] | undefined {
  const results: number[][] = [];
  const pick = (start: number, chosen: number[]): boolean => {
    if (chosen.length === k) {
      results.push([...chosen]);
      return results.length <= limit;
    }
    for (let index = start; index <= n - (k - chosen.length); index += 1) {
      chosen.push(index);
      if (!pick(index + 1, chosen)) return false;
      chosen.pop();
    }
    return true;
  };
  return pick(0, []) ? results : undefined;
}

/**
 * Normalises a value as compileValue does before matching: `%placeholders%` become an expansion of the
 * configured values, windash alternatives longer than one character (after an encoding) are expanded.
 */
function normalizeValue(value: SigmaValue, placeholders: PlaceholderValues): { value?: SigmaValue; problem?: string } {
  switch (value.kind) {
    case 'string': {
      const resolved = resolvePlaceholders(value, placeholders);
      if (!resolved.values) return { problem: resolved.problem?.message ?? 'the placeholders cannot be expanded' };
      const variants: StringValue[] = [];
      for (const variant of resolved.values) {
        const multiChar = variant.parts.some((part) => part.kind === 'alternatives' && part.options.some((option) => option.length !== 1));
        const expanded = multiChar ? expandAlternatives(variant, MAX_PATTERNS) : [variant];
        if (!expanded || variants.length + expanded.length > MAX_PATTERNS) return { problem: `the value expands into more than ${MAX_PATTERNS} patterns` };
        variants.push(...expanded);
      }
      return { value: variants.length === 1 ? variants[0] : { kind: 'expansion', values: variants } };
    }
    case 'regex': {
      const expanded = expandRegexPlaceholders(value, placeholders);
      if (expanded.pattern === undefined) return { problem: expanded.problem?.message ?? 'the placeholders cannot be expanded' };
      return { value: { ...value, pattern: expanded.pattern, placeholders: false } };
    }
    case 'expansion': {
      const members: SigmaValue[] = [];
      for (const member of value.values) {
        const normalized = normalizeValue(member, placeholders);
        if (!normalized.value) return normalized;
        members.push(normalized.value);
      }
      return { value: { kind: 'expansion', values: members } };
    }
    default:
      return { value };
  }
}

/** Builds expressions from one detection section (a rule's or a filter's). */
class ExpressionBuilder {
  readonly problems: ExpressionProblem[] = [];

  constructor(
    private readonly detection: Detection,
    private readonly placeholders: PlaceholderValues,
  ) {}

  buildNode(node: DetectionNode): Expression {
    if (node.kind === 'and') return andOf(node.items.map((child) => this.buildNode(child)));
    if (node.kind === 'or') return orOf(node.items.map((child) => this.buildNode(child)));
    const values: SigmaValue[] = [];
    node.values.forEach((value, index) => {
      const normalized = normalizeValue(value, this.placeholders);
      if (normalized.value) values.push(normalized.value);
      else this.problems.push({ code: 'convert/value', message: normalized.problem ?? 'the value cannot be converted', at: node.valueRefs[index] ?? node.key });
    });
    return { kind: 'item', item: node, values };
  }

  buildCondition(node: ConditionNode, identifiers: ReadonlyMap<string, Expression>, at: SourceRef): Expression {
    switch (node.kind) {
      case 'identifier':
        return identifiers.get(node.name) ?? FALSE;
      case 'not':
        return notOf(this.buildCondition(node.operand, identifiers, at));
      case 'and':
        return andOf(node.operands.map((operand) => this.buildCondition(operand, identifiers, at)));
      case 'or':
        return orOf(node.operands.map((operand) => this.buildCondition(operand, identifiers, at)));
      case 'of': {
        const names = selectIdentifiers(node.target, [...identifiers.keys()]);
        const selected = names.map((name) => identifiers.get(name) as Expression);
        const needed = node.quantifier === 'all' ? selected.length : node.quantifier;
        // As the engine: an empty selection or a quantifier above its size never holds.
        if (selected.length === 0 || needed > selected.length) return FALSE;
        if (needed === 1) return orOf(selected);
        if (needed === selected.length) return andOf(selected);
        const combinations = chooseCombinations(selected.length, needed, MAX_OF_COMBINATIONS);
        if (!combinations) {
          this.problems.push({ code: 'convert/condition-too-large', message: `'${needed} of' ${selected.length} identifiers expands into more than ${MAX_OF_COMBINATIONS} combinations`, at });
          return FALSE;
        }
        return orOf(combinations.map((combination) => andOf(combination.map((index) => selected[index] as Expression))));
      }
    }
  }

  build(): Expression {
    const identifiers = new Map<string, Expression>();
    for (const [name, identifier] of this.detection.identifiers) identifiers.set(name, this.buildNode(identifier.body));
    // A list of conditions is OR (spec "Condition").
    return orOf(this.detection.conditions.map((condition) => this.buildCondition(condition.ast, identifiers, condition.source)));
  }
}

/** The expression of a detection section, or the problems that keep it from being one. */
export function buildExpression(detection: Detection, placeholders: PlaceholderValues): { expression: Expression; problems: readonly ExpressionProblem[] } {
  const builder = new ExpressionBuilder(detection, placeholders);
  const expression = builder.build();
  return { expression, problems: builder.problems };
}

/** Every item test of an expression, in order. */
export function collectItemTests(expression: Expression): ItemTest[] {
  switch (expression.kind) {
    case 'constant':
      return [];
    case 'item':
      return [expression];
    case 'not':
      return collectItemTests(expression.operand);
    case 'and':
    case 'or':
      return expression.operands.flatMap(collectItemTests);
  }
}
