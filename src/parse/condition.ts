import type { ConditionNode, Span } from '../model/condition.js';

/** A problem in a condition string, at a 0-based offset into it. */
export interface ConditionProblem {
  readonly code: string;
  readonly message: string;
  readonly offset: number;
}

/** The outcome of parsing a condition: its tree, or the problems that prevented one. */
export interface ConditionParseResult {
  readonly ast?: ConditionNode;
  readonly problems: readonly ConditionProblem[];
}

type TokenKind = 'word' | 'number' | 'lparen' | 'rparen' | 'pipe' | 'end';

interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly span: Span;
}

// Identifiers as SigmaHQ writes them (letters, digits, `_`, `-`, `.`); `*` makes them patterns for `x of`.
const WORD = /[\p{L}\p{N}_\-.*]+/uy;
const SPACE = /\s+/y;
const KEYWORDS = new Set(['and', 'or', 'not', 'of', 'them', 'all', 'any']);

class ConditionSyntaxError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  while (at < text.length) {
    SPACE.lastIndex = at;
    if (SPACE.test(text)) {
      at = SPACE.lastIndex;
      continue;
    }
    const char = text[at] as string;
    const single: Partial<Record<string, TokenKind>> = { '(': 'lparen', ')': 'rparen', '|': 'pipe' };
    const kind = single[char];
    if (kind) {
      tokens.push({ kind, text: char, span: { start: at, end: at + 1 } });
      at += 1;
      // What follows a pipe is a v1 aggregation; the parser reports it, so its syntax is not ours to read.
      if (kind === 'pipe') break;
      continue;
    }
    WORD.lastIndex = at;
    const match = WORD.exec(text);
    if (!match) {
      throw new ConditionSyntaxError('condition/syntax', `unexpected character '${char}'`, at);
    }
    const word = match[0];
    tokens.push({ kind: /^\d+$/.test(word) ? 'number' : 'word', text: word, span: { start: at, end: at + word.length } });
    at += word.length;
  }
  tokens.push({ kind: 'end', text: '', span: { start: text.length, end: text.length } });
  return tokens;
}

/**
 * How deep parentheses and `not` may nest in a condition. Sigma conditions nest a few levels; the
 * limit keeps the parser and every later walk of the tree (compile, explain, coverage) far from the
 * call-stack limit, so a hostile condition is a diagnostic (`condition/too-deep`), never a crash.
 * It is the YAML loader's nesting limit too.
 */
export const MAX_CONDITION_DEPTH = 64;

/** Recursive descent with Sigma's precedence (specification v2.1, "Condition"): not > and > or. */
class Parser {
  private position = 0;
  private depth = 0;

  constructor(private readonly tokens: readonly Token[]) {}

  parse(): ConditionNode {
    const node = this.parseOr();
    const next = this.peek();
    if (next.kind === 'pipe') {
      throw new ConditionSyntaxError(
        'condition/aggregation',
        'aggregations after `|` are not part of Sigma v2; express them as a correlation rule',
        next.span.start,
      );
    }
    if (next.kind !== 'end') throw this.unexpected(next, 'and, or, or the end of the condition');
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position] as Token;
  }

  private take(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.position += 1;
    return token;
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.kind === 'word' && token.text.toLowerCase() === keyword;
  }

  private unexpected(token: Token, expected: string): ConditionSyntaxError {
    const found = token.kind === 'end' ? 'the end of the condition' : `'${token.text}'`;
    return new ConditionSyntaxError('condition/syntax', `expected ${expected}, found ${found}`, token.span.start);
  }

  private parseBinary(keyword: 'and' | 'or', parseOperand: () => ConditionNode): ConditionNode {
    const first = parseOperand();
    const operands = [first];
    while (this.isKeyword(this.peek(), keyword)) {
      this.take();
      operands.push(parseOperand());
    }
    if (operands.length === 1) return first;
    const span = { start: first.span.start, end: (operands[operands.length - 1] as ConditionNode).span.end };
    return { kind: keyword, operands, span };
  }

  private parseOr(): ConditionNode {
    return this.parseBinary('or', () => this.parseAnd());
  }

  private parseAnd(): ConditionNode {
    return this.parseBinary('and', () => this.parseNot());
  }

  /** Runs `parse` one nesting level deeper, refusing to go past MAX_CONDITION_DEPTH. */
  private nested<T>(token: Token, parse: () => T): T {
    if (this.depth >= MAX_CONDITION_DEPTH) {
      throw new ConditionSyntaxError('condition/too-deep',
        `parentheses and 'not' nest deeper than ${MAX_CONDITION_DEPTH} levels here; no Sigma condition needs that, so the condition is refused`,
        token.span.start);
    }
    this.depth += 1;
    try {
      return parse();
    } finally {
      this.depth -= 1;
    }
  }

  private parseNot(): ConditionNode {
    const token = this.peek();
    if (this.isKeyword(token, 'not')) {
      this.take();
      const operand = this.nested(token, () => this.parseNot());
      return { kind: 'not', operand, span: { start: token.span.start, end: operand.span.end } };
    }
    return this.parsePrimary();
  }

  private parsePrimary(): ConditionNode {
    const token = this.take();
    if (token.kind === 'lparen') {
      const inner = this.nested(token, () => this.parseOr());
      const close = this.take();
      if (close.kind !== 'rparen') throw this.unexpected(close, "')'");
      return { ...inner, span: { start: token.span.start, end: close.span.end } };
    }
    const quantifier = this.quantifierOf(token);
    if (quantifier !== undefined && this.isKeyword(this.peek(), 'of')) {
      this.take();
      const target = this.take();
      const span = { start: token.span.start, end: target.span.end };
      if (this.isKeyword(target, 'them')) return { kind: 'of', quantifier, target: { kind: 'them' }, span };
      if (target.kind === 'word' && !KEYWORDS.has(target.text.toLowerCase())) {
        return { kind: 'of', quantifier, target: { kind: 'pattern', pattern: target.text }, span };
      }
      throw this.unexpected(target, "'them' or an identifier pattern after 'of'");
    }
    if (token.kind === 'word' && !KEYWORDS.has(token.text.toLowerCase())) {
      if (token.text.includes('*')) {
        throw new ConditionSyntaxError(
          'condition/syntax',
          `'${token.text}' is a pattern; patterns are only allowed after '1 of' or 'all of'`,
          token.span.start,
        );
      }
      return { kind: 'identifier', name: token.text, span: token.span };
    }
    throw this.unexpected(token, "an identifier, 'not', '(' or 'x of'");
  }

  private quantifierOf(token: Token): 'all' | number | undefined {
    if (token.kind === 'number') return Number(token.text) >= 1 ? Number(token.text) : undefined;
    if (this.isKeyword(token, 'all')) return 'all';
    if (this.isKeyword(token, 'any')) return 1;
    return undefined;
  }
}

/** Parses a Sigma condition string into a tree, or reports where and why it cannot. */
export function parseCondition(text: string): ConditionParseResult {
  if (text.trim() === '') {
    return { problems: [{ code: 'condition/empty', message: 'the condition is empty', offset: 0 }] };
  }
  try {
    return { ast: new Parser(tokenize(text)).parse(), problems: [] };
  } catch (error) {
    if (!(error instanceof ConditionSyntaxError)) throw error;
    return { problems: [{ code: error.code, message: error.message, offset: error.offset }] };
  }
}

/** Turns an `x of` pattern into a predicate on identifier names (`*` matches any run of characters). */
export function compileIdentifierPattern(pattern: string): (name: string) => boolean {
  const parts = pattern.split('*');
  if (parts.length === 1) return (name) => name === pattern;
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  const middle = parts.slice(1, -1);
  return (name) => {
    if (name.length < first.length + last.length || !name.startsWith(first) || !name.endsWith(last)) return false;
    let at = first.length;
    const end = name.length - last.length;
    for (const part of middle) {
      const found = name.indexOf(part, at);
      if (found === -1 || found + part.length > end) return false;
      at = found + part.length;
    }
    return true;
  };
}

/** The identifiers an `x of` target selects, in detection order (`them` skips names starting with `_`). */
export function selectIdentifiers(
  target: { readonly kind: 'them' } | { readonly kind: 'pattern'; readonly pattern: string },
  identifiers: readonly string[],
): string[] {
  if (target.kind === 'them') return identifiers.filter((name) => !name.startsWith('_'));
  const matches = compileIdentifierPattern(target.pattern);
  return identifiers.filter(matches);
}

/** Every identifier and `x of` pattern a condition names, for lints. */
export function collectReferences(node: ConditionNode): ConditionNode[] {
  switch (node.kind) {
    case 'identifier':
    case 'of':
      return [node];
    case 'not':
      return collectReferences(node.operand);
    case 'and':
    case 'or':
      return node.operands.flatMap(collectReferences);
  }
}
