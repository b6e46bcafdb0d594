import { describe, expect, it } from 'vitest';
import type { ConditionNode } from '../../../src/model/condition.js';
import { collectReferences, compileIdentifierPattern, MAX_CONDITION_DEPTH, parseCondition, selectIdentifiers } from '../../../src/parse/condition.js';

/** Prints a tree compactly so precedence is visible: (a and (not b)). */
function show(node: ConditionNode): string {
  switch (node.kind) {
    case 'identifier':
      return node.name;
    case 'not':
      return `(not ${show(node.operand)})`;
    case 'and':
    case 'or':
      return `(${node.operands.map(show).join(` ${node.kind} `)})`;
    case 'of':
      return `${node.quantifier} of ${node.target.kind === 'them' ? 'them' : node.target.pattern}`;
  }
}

describe('parseCondition', () => {
  it.each([
    ['selection', 'selection'],
    ['a and b', '(a and b)'],
    ['a or b and c', '(a or (b and c))'],
    ['a and b or c', '((a and b) or c)'],
    ['not a and b', '((not a) and b)'],
    ['not (a and b)', '(not (a and b))'],
    ['not not a', '(not (not a))'],
    ['(a or b) and not c', '((a or b) and (not c))'],
    ['a and b and c', '(a and b and c)'],
    ['1 of selection_* and not 1 of filter_*', '(1 of selection_* and (not 1 of filter_*))'],
    ['all of them', 'all of them'],
    ['any of sel*', '1 of sel*'],
    ['2 of sel*', '2 of sel*'],
    ['A AND NOT b', '(A and (not b))'],
    ['sel-1 or sel.2', '(sel-1 or sel.2)'],
    ['选择 and 过滤', '(选择 and 过滤)'],
  ])('parses %j with Sigma precedence', (text, expected) => {
    const { ast, problems } = parseCondition(text);
    expect(problems).toEqual([]);
    expect(show(ast!)).toBe(expected);
  });

  it('records spans that point back into the text', () => {
    const text = 'sel and not filter';
    const ast = parseCondition(text).ast!;
    expect(ast.kind).toBe('and');
    const [left, right] = ast.kind === 'and' ? ast.operands : [];
    expect(text.slice(left!.span.start, left!.span.end)).toBe('sel');
    expect(text.slice(right!.span.start, right!.span.end)).toBe('not filter');
  });

  it.each([
    ['', 'condition/empty', 0],
    ['a and', 'condition/syntax', 5],
    ['a b', 'condition/syntax', 2],
    ['(a or b', 'condition/syntax', 7],
    ['a or b)', 'condition/syntax', 6],
    ['sel*', 'condition/syntax', 0],
    ['1 of', 'condition/syntax', 4],
    ['1 of and', 'condition/syntax', 5],
    ['a & b', 'condition/syntax', 2],
    ['selection | count() by User > 5', 'condition/aggregation', 10],
  ])('rejects %j with %s at offset %i', (text, code, offset) => {
    const { ast, problems } = parseCondition(text);
    expect(ast).toBeUndefined();
    expect(problems).toEqual([expect.objectContaining({ code, offset })]);
  });
});

describe('nesting limits', () => {
  const parens = (depth: number): string => `${'('.repeat(depth)}a${')'.repeat(depth)}`;

  it(`reads parentheses and not nested ${MAX_CONDITION_DEPTH} levels deep`, () => {
    expect(parseCondition(parens(MAX_CONDITION_DEPTH)).problems).toEqual([]);
    expect(parseCondition(`${'not '.repeat(MAX_CONDITION_DEPTH)}a`).problems).toEqual([]);
    expect(parseCondition(`${'not ('.repeat(MAX_CONDITION_DEPTH / 2)}a${')'.repeat(MAX_CONDITION_DEPTH / 2)}`).problems).toEqual([]);
  });

  it.each([
    ['parentheses one level too deep', parens(MAX_CONDITION_DEPTH + 1), MAX_CONDITION_DEPTH],
    ['parentheses 2,000 deep', parens(2000), MAX_CONDITION_DEPTH],
    ['parentheses 1,000,000 deep', parens(1_000_000), MAX_CONDITION_DEPTH],
    ['a chain of 100,000 nots', `${'not '.repeat(100_000)}a`, 4 * MAX_CONDITION_DEPTH],
  ])('refuses %s with condition/too-deep where the limit is crossed, never a stack overflow', (_name, text, offset) => {
    const { ast, problems } = parseCondition(text);
    expect(ast).toBeUndefined();
    expect(problems).toEqual([expect.objectContaining({ code: 'condition/too-deep', offset })]);
  });

  it('reads a flat condition of 100,000 terms (not nesting, so no limit)', () => {
    const text = Array.from({ length: 100_000 }, (_, i) => `s${i}`).join(' or ');
    const { ast, problems } = parseCondition(text);
    expect(problems).toEqual([]);
    expect(ast?.kind === 'or' && ast.operands.length).toBe(100_000);
  });
});

describe('identifier patterns', () => {
  const names = ['selection_img', 'selection_cli', 'filter_main', '_internal', 'sel'];

  it('selects by wildcard pattern, in detection order', () => {
    expect(selectIdentifiers({ kind: 'pattern', pattern: 'selection_*' }, names)).toEqual(['selection_img', 'selection_cli']);
    expect(selectIdentifiers({ kind: 'pattern', pattern: '*_*' }, names)).toEqual(['selection_img', 'selection_cli', 'filter_main', '_internal']);
    expect(selectIdentifiers({ kind: 'pattern', pattern: 'sel' }, names)).toEqual(['sel']);
  });

  it('`them` skips identifiers that start with an underscore', () => {
    expect(selectIdentifiers({ kind: 'them' }, names)).toEqual(['selection_img', 'selection_cli', 'filter_main', 'sel']);
  });

  it('matches the middle parts of a pattern in order and without overlap', () => {
    const matches = compileIdentifierPattern('a*b*c');
    expect(matches('abc')).toBe(true);
    expect(matches('a_b_c')).toBe(true);
    expect(matches('acb')).toBe(false);
    expect(compileIdentifierPattern('ab*ba')('aba')).toBe(false);
  });

  it('collects every identifier and pattern a condition names', () => {
    const ast = parseCondition('a and not (b or 1 of c*)').ast!;
    expect(collectReferences(ast).map((node) => (node.kind === 'identifier' ? node.name : 'of'))).toEqual(['a', 'b', 'of']);
  });
});
