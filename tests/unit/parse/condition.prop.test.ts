import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import type { ConditionNode } from '../../../src/model/condition.js';
import { parseCondition } from '../../../src/parse/condition.js';

/** A condition tree without spans, for structural comparison. */
type Shape = { id: string } | { not: Shape } | { and: Shape[] } | { or: Shape[] };

const shapeOf = (node: ConditionNode): Shape => {
  switch (node.kind) {
    case 'identifier':
      return { id: node.name };
    case 'not':
      return { not: shapeOf(node.operand) };
    case 'and':
      return { and: node.operands.map(shapeOf) };
    case 'or':
      return { or: node.operands.map(shapeOf) };
    case 'of':
      throw new Error('not generated');
  }
};

const { shape } = fc.letrec<{ shape: Shape }>((tie) => ({
  shape: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('sel', 'filter_a', 'b2', 'x-1').map((id): Shape => ({ id })),
    tie('shape').map((inner): Shape => ({ not: inner })),
    fc.array(tie('shape'), { minLength: 2, maxLength: 3 }).map((items): Shape => ({ and: items })),
    fc.array(tie('shape'), { minLength: 2, maxLength: 3 }).map((items): Shape => ({ or: items })),
  ),
}));

/** Prints with full parentheses, so the text means exactly the tree. */
const print = (node: Shape): string =>
  'id' in node ? node.id : 'not' in node ? `not (${print(node.not)})` : 'and' in node ? node.and.map((n) => `(${print(n)})`).join(' and ') : node.or.map((n) => `(${print(n)})`).join(' or ');

test.prop([shape])('parsing a fully parenthesised condition gives back its tree', (tree) => {
  const { ast, problems } = parseCondition(print(tree));
  expect(problems).toEqual([]);
  expect(shapeOf(ast!)).toEqual(tree);
});

test.prop([fc.string({ maxLength: 60 })])('any text parses or yields a located problem, never throws', (text) => {
  const { ast, problems } = parseCondition(text);
  expect(ast === undefined).toBe(problems.length > 0);
  for (const problem of problems) {
    expect(problem.offset).toBeGreaterThanOrEqual(0);
    expect(problem.offset).toBeLessThanOrEqual(text.length);
  }
});
