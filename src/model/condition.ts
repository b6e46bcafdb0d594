/**
 * The condition of a Sigma detection as an abstract syntax tree (Sigma specification v2.1, "Condition").
 * Offsets are 0-based indexes into the condition string, so diagnostics can point inside it.
 */
export type ConditionNode = IdentifierNode | NotNode | AndNode | OrNode | OfNode;

/** A span of the condition text that a node was parsed from. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A search identifier by name, e.g. `selection`. */
export interface IdentifierNode {
  readonly kind: 'identifier';
  readonly name: string;
  readonly span: Span;
}

/** `not x`. */
export interface NotNode {
  readonly kind: 'not';
  readonly operand: ConditionNode;
  readonly span: Span;
}

/** `a and b and c`, flattened. */
export interface AndNode {
  readonly kind: 'and';
  readonly operands: readonly ConditionNode[];
  readonly span: Span;
}

/** `a or b or c`, flattened. */
export interface OrNode {
  readonly kind: 'or';
  readonly operands: readonly ConditionNode[];
  readonly span: Span;
}

/**
 * `1 of selection*`, `all of them`, `2 of filter_*`.
 * `target` is either the keyword `them` (every identifier not starting with `_`) or a pattern where
 * `*` matches any run of characters.
 */
export interface OfNode {
  readonly kind: 'of';
  /** `all`, or how many must match at least (`1 of` = any). */
  readonly quantifier: 'all' | number;
  readonly target: { readonly kind: 'them' } | { readonly kind: 'pattern'; readonly pattern: string };
  readonly span: Span;
}
