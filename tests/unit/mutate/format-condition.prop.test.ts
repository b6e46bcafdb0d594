import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import type { ConditionNode } from '../../../src/model/condition.js';
import { formatCondition } from '../../../src/mutate/format-condition.js';
import { parseCondition, selectIdentifiers } from '../../../src/parse/condition.js';

const NAMES = ['sel', 'sel_a', 'filter_x', 'b-2'];
const span = { start: 0, end: 0 };

const { node } = fc.letrec<{ node: ConditionNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom(...NAMES).map((name): ConditionNode => ({ kind: 'identifier', name, span })),
    fc.record({ quantifier: fc.constantFrom<'all' | number>('all', 1, 2), pattern: fc.constantFrom('sel*', 'filter_*', 'them') }).map(
      ({ quantifier, pattern }): ConditionNode => ({ kind: 'of', quantifier, target: pattern === 'them' ? { kind: 'them' } : { kind: 'pattern', pattern }, span }),
    ),
    tie('node').map((operand): ConditionNode => ({ kind: 'not', operand, span })),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((operands): ConditionNode => ({ kind: 'and', operands, span })),
    fc.array(tie('node'), { minLength: 2, maxLength: 3 }).map((operands): ConditionNode => ({ kind: 'or', operands, span })),
  ),
}));

/** Evaluates a condition tree over which identifiers are true. */
function evaluate(tree: ConditionNode, truth: ReadonlyMap<string, boolean>): boolean {
  switch (tree.kind) {
    case 'identifier':
      return truth.get(tree.name) ?? false;
    case 'not':
      return !evaluate(tree.operand, truth);
    case 'and':
      return tree.operands.every((operand) => evaluate(operand, truth));
    case 'or':
      return tree.operands.some((operand) => evaluate(operand, truth));
    case 'of': {
      const selected = selectIdentifiers(tree.target, NAMES);
      const count = selected.filter((name) => truth.get(name)).length;
      return tree.quantifier === 'all' ? count === selected.length : count >= tree.quantifier;
    }
  }
}

test.prop([node, fc.array(fc.boolean(), { minLength: NAMES.length, maxLength: NAMES.length })])(
  'a formatted condition parses back to a condition that decides every event the same way',
  (tree, values) => {
    const { ast, problems } = parseCondition(formatCondition(tree));
    expect(problems).toEqual([]);
    const truth = new Map(NAMES.map((name, index) => [name, values[index] ?? false]));
    expect(evaluate(ast as ConditionNode, truth)).toBe(evaluate(tree, truth));
  },
);

test.prop([node])('formatting is stable: the parsed text formats to the same text', (tree) => {
  const text = formatCondition(tree);
  expect(formatCondition(parseCondition(text).ast as ConditionNode)).toBe(text);
});
