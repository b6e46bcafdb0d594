/**
 * What a query language provides to the converter: how it writes one detection item, the boolean
 * connectives, and the whole query around the condition. Dialects never guess: a value they cannot
 * write with the engine's meaning is a problem that names it, not an approximate query.
 */
import type { ItemTest } from './expression.js';
import type { SigmaValue, SourceRef } from '../model/detection.js';

/** A rendered piece of query, or why a value cannot be rendered exactly (and where it is written). */
export type Rendered = { readonly text: string } | { readonly problem: string; readonly at?: SourceRef };

/** How a dialect reaches a field: the name the target's data uses for a taxonomy field. */
export interface FieldAccess {
  /** The target's name of the field the item tests. */
  readonly field: string | undefined;
  /** The target's name of a field another one refers to (`fieldref`). */
  resolve(field: string): string | undefined;
}

/** A query language. */
export interface Dialect {
  /** Renders one detection item (its values linked as the item says, negated when it says so). */
  renderItem(test: ItemTest, access: FieldAccess): Rendered;
  and(parts: readonly string[]): string;
  or(parts: readonly string[]): string;
  not(part: string): string;
  constant(value: boolean): string;
}

/** A problem at a value of an item. */
export function problemAt(test: ItemTest, value: SigmaValue, problem: string): Rendered {
  const index = test.values.indexOf(value);
  return { problem, at: test.item.valueRefs[index] ?? test.item.key };
}

/** True when a rendered piece is a problem. */
export function isProblem(rendered: Rendered): rendered is { readonly problem: string; readonly at?: SourceRef } {
  return 'problem' in rendered;
}

/**
 * Renders each value with `render` and links them as the item says: OR-linked values with expansions
 * flattened into the OR, AND-linked values each as a group; `negated` wraps the whole item.
 */
export function linkValues(
  test: ItemTest,
  dialect: Pick<Dialect, 'and' | 'or' | 'not' | 'constant'>,
  renderGroup: (values: readonly SigmaValue[]) => Rendered,
): Rendered {
  const flatten = (values: readonly SigmaValue[]): SigmaValue[] =>
    values.flatMap((value) => (value.kind === 'expansion' ? flatten(value.values) : [value]));
  let rendered: Rendered;
  if (test.item.linking === 'or' || test.values.length <= 1) {
    const values = flatten(test.values);
    rendered = values.length === 0 ? { text: dialect.constant(false) } : renderGroup(values);
  } else {
    const parts: string[] = [];
    for (const value of test.values) {
      const group = renderGroup(flatten([value]));
      if (isProblem(group)) return group;
      parts.push(group.text);
    }
    rendered = { text: dialect.and(parts) };
  }
  if (isProblem(rendered) || !test.item.negated) return rendered;
  return { text: dialect.not(rendered.text) };
}
