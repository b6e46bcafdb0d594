/**
 * Literal text a regular expression cannot match without: the requirements (./needles.ts) of a `|re`
 * value, read from the pattern as RE2 parses it (https://github.com/google/re2/wiki/Syntax), the way
 * Hyperscan and ripgrep extract literals to prefilter a regex. A run of plain characters in a
 * concatenation is required; an alternation needs one of its branches; anything optional (`?`, `*`,
 * `{0,n}`), any class, any escape other than escaped punctuation, ends a run. Only printable ASCII is
 * kept, since a needle is looked for case-insensitively in folded text and RE2's case folding maps an
 * ASCII letter to no other character than our folding does (`k`/`K`/Kelvin sign, `s`/`S`/`ſ`). A
 * pattern this reader does not fully understand requires nothing: the answer is always a necessary
 * condition, never a guess.
 */

/** Clauses of needles, all required, one needle of each (the shape of ./needles.ts, without fields). */
export type LiteralRequirements = readonly (readonly string[])[];

const NONE: LiteralRequirements = [];

class Unsupported extends Error {}

/** Punctuation that an escape turns into itself (RE2 accepts `\` before any punctuation). */
const ESCAPED_PUNCTUATION = /[!-/:-@[-`{-~]/;

const isPrintableAscii = (char: string): boolean => char >= ' ' && char <= '~';

/** What one parsed piece of a pattern requires, and whether it is a single plain character. */
interface Piece {
  /** The character, when the piece is exactly one required printable ASCII character. */
  readonly char?: string;
  readonly requirements: LiteralRequirements;
}

const shortestNeedle = (clause: readonly string[]): number => Math.min(...clause.map((needle) => needle.length));
const bestClause = (requirements: LiteralRequirements): readonly string[] | undefined =>
  requirements.reduce<readonly string[] | undefined>((best, clause) => (best === undefined || shortestNeedle(clause) > shortestNeedle(best) ? clause : best), undefined);

/** A recursive-descent reader of RE2 syntax that keeps only what is required. */
class PatternReader {
  private position = 0;

  constructor(private readonly pattern: string) {}

  read(): LiteralRequirements {
    const requirements = this.readAlternation();
    if (this.position !== this.pattern.length) throw new Unsupported();
    return requirements;
  }

  private peek(): string | undefined {
    return this.pattern[this.position];
  }

  private readAlternation(): LiteralRequirements {
    const branches = [this.readConcatenation()];
    while (this.peek() === '|') {
      this.position += 1;
      branches.push(this.readConcatenation());
    }
    if (branches.length === 1) return branches[0] as LiteralRequirements;
    // One of the branches: a clause uniting the best clause of each, if every branch has one.
    const united = new Set<string>();
    for (const branch of branches) {
      const best = bestClause(branch);
      if (best === undefined) return NONE;
      for (const needle of best) united.add(needle);
    }
    return [[...united]];
  }

  private readConcatenation(): LiteralRequirements {
    const clauses: (readonly string[])[] = [];
    let run = '';
    const endRun = (): void => {
      if (run !== '') clauses.push([run.toLowerCase()]);
      run = '';
    };
    for (let next = this.peek(); next !== undefined && next !== '|' && next !== ')'; next = this.peek()) {
      const piece = this.readQuantified();
      if (piece.char !== undefined) {
        run += piece.char;
      } else {
        endRun();
        clauses.push(...piece.requirements);
      }
    }
    endRun();
    return clauses;
  }

  /** An atom and the repetition after it: optional atoms require nothing, repeated ones stand alone. */
  private readQuantified(): Piece {
    const atom = this.readAtom();
    const repetition = this.readRepetition();
    if (repetition === undefined) return atom;
    if (repetition === 0) return { requirements: NONE };
    return { requirements: atom.char !== undefined ? [[atom.char.toLowerCase()]] : atom.requirements };
  }

  /** The minimum count of a repetition operator here, or undefined when there is none. */
  private readRepetition(): number | undefined {
    const next = this.peek();
    let minimum: number | undefined;
    if (next === '*' || next === '?') minimum = 0;
    else if (next === '+') minimum = 1;
    if (minimum !== undefined) {
      this.position += 1;
    } else if (next === '{') {
      const match = /^\{(\d+)(,(\d*))?\}/.exec(this.pattern.slice(this.position));
      // RE2 reads a brace that is not a repetition as a literal; too subtle to follow, so give up.
      if (!match) throw new Unsupported();
      minimum = Number(match[1]);
      this.position += match[0].length;
    } else {
      return undefined;
    }
    // A lazy or possessive suffix changes nothing that is required.
    if (this.peek() === '?' || this.peek() === '+') this.position += 1;
    if (this.peek() === '*' || this.peek() === '+' || this.peek() === '?' || this.peek() === '{') throw new Unsupported();
    return minimum;
  }

  private readAtom(): Piece {
    const char = this.peek() as string;
    this.position += 1;
    switch (char) {
      case '(':
        return this.readGroup();
      case '[':
        this.skipClass();
        return { requirements: NONE };
      case '.':
      case '^':
      case '$':
        return { requirements: NONE };
      case '\\':
        return this.readEscape();
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case ')':
        throw new Unsupported();
      default:
        return isPrintableAscii(char) ? { char, requirements: NONE } : { requirements: NONE };
    }
  }

  private readEscape(): Piece {
    const char = this.peek();
    if (char === undefined) throw new Unsupported();
    this.position += 1;
    if (ESCAPED_PUNCTUATION.test(char)) return { char, requirements: NONE };
    // \d \w \s \b \A \z \n \t ..., and \p{..}, \x{..}, \Q..\E which we do not follow.
    if (/[dDwWsSbBAzntrfv]/.test(char)) return { requirements: NONE };
    throw new Unsupported();
  }

  private readGroup(): Piece {
    if (this.peek() === '?') {
      // (?flags) or (?flags:...), (?P<name>...), (?<name>...).
      const rest = this.pattern.slice(this.position);
      const flags = /^\?[imsU-]*\)/.exec(rest);
      if (flags) {
        this.position += flags[0].length;
        return { requirements: NONE };
      }
      const opener = /^\?(?:[imsU-]*:|P?<[A-Za-z_][A-Za-z0-9_]*>)/.exec(rest);
      if (!opener) throw new Unsupported();
      this.position += opener[0].length;
    }
    const requirements = this.readAlternation();
    if (this.peek() !== ')') throw new Unsupported();
    this.position += 1;
    return { requirements };
  }

  /** Skips a character class `[...]`, including `[:alpha:]` and escapes, leaving the position after it. */
  private skipClass(): void {
    if (this.peek() === '^') this.position += 1;
    if (this.peek() === ']') this.position += 1;
    for (;;) {
      const char = this.peek();
      if (char === undefined) throw new Unsupported();
      this.position += 1;
      if (char === ']') return;
      if (char === '\\') {
        if (this.peek() === undefined) throw new Unsupported();
        this.position += 1;
      } else if (char === '[' && this.peek() === ':') {
        const end = this.pattern.indexOf(':]', this.position);
        if (end === -1) throw new Unsupported();
        this.position = end + 2;
      }
    }
  }
}

/**
 * The literal requirements of an RE2 pattern: needles in lower case (printable ASCII), each clause
 * needing one of its needles in the text the regex searches. Empty when nothing is certainly required.
 */
export function extractRegexLiterals(pattern: string): LiteralRequirements {
  try {
    return new PatternReader(pattern).read();
  } catch (error) {
    if (error instanceof Unsupported) return NONE;
    throw error;
  }
}
