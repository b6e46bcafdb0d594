/**
 * Linear-time matching of Sigma wildcard patterns (`*`, `?`, and windash character sets), compiled
 * once per value. No backtracking regex is built from rule text: segments between `*` are fixed-width,
 * so the leftmost occurrence of each middle segment is always a safe choice (classic glob matching).
 */

/** A fixed-width piece of a pattern: literal text, any single character, or one of a set of characters. */
export type PatternAtom =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'one' }
  | { readonly kind: 'set'; readonly chars: string };

/** A pattern: atoms, with `any` for `*`. */
export type PatternToken = PatternAtom | { readonly kind: 'any' };

/** A compiled pattern test. */
export type TextTest = (text: string) => boolean;

interface Segment {
  readonly atoms: readonly PatternAtom[];
  readonly width: number;
  /** Set when the segment is one literal text, so native search can find it. */
  readonly literal: string | undefined;
}

function createSegment(atoms: PatternAtom[]): Segment {
  let width = 0;
  for (const atom of atoms) width += atom.kind === 'text' ? atom.text.length : 1;
  const only = atoms.length === 1 ? atoms[0] : undefined;
  return { atoms, width, literal: only?.kind === 'text' ? only.text : undefined };
}

function matchesAt(segment: Segment, text: string, at: number): boolean {
  let position = at;
  for (const atom of segment.atoms) {
    if (atom.kind === 'text') {
      if (!text.startsWith(atom.text, position)) return false;
      position += atom.text.length;
    } else {
      if (position >= text.length) return false;
      if (atom.kind === 'set' && !atom.chars.includes(text[position] as string)) return false;
      position += 1;
    }
  }
  return true;
}

function findSegment(segment: Segment, text: string, from: number, lastStart: number): number {
  if (segment.literal !== undefined) {
    const found = text.indexOf(segment.literal, from);
    return found !== -1 && found <= lastStart ? found : -1;
  }
  for (let start = from; start <= lastStart; start += 1) if (matchesAt(segment, text, start)) return start;
  return -1;
}

/** Compiles pattern tokens into a test of the whole text (anchored at both ends unless `*` says otherwise). */
export function compileWildcard(tokens: readonly PatternToken[]): TextTest {
  const segments: Segment[] = [];
  let atoms: PatternAtom[] = [];
  let sawAny = false;
  for (const token of tokens) {
    if (token.kind === 'any') {
      segments.push(createSegment(atoms));
      atoms = [];
      sawAny = true;
    } else if (token.kind === 'text' && atoms[atoms.length - 1]?.kind === 'text') {
      const last = atoms.pop() as { text: string };
      atoms.push({ kind: 'text', text: last.text + token.text });
    } else if (token.kind !== 'text' || token.text !== '') {
      atoms.push(token);
    }
  }
  segments.push(createSegment(atoms));

  if (!sawAny) {
    const only = segments[0] as Segment;
    if (only.literal !== undefined) {
      const literal = only.literal;
      return (text) => text === literal;
    }
    if (only.atoms.length === 0) return (text) => text === '';
    return (text) => text.length === only.width && matchesAt(only, text, 0);
  }
  const first = segments[0] as Segment;
  const last = segments[segments.length - 1] as Segment;
  const middle = segments.slice(1, -1).filter((segment) => segment.width > 0);
  // Fast paths for the shapes the contains/startswith/endswith modifiers produce.
  if (middle.length === 0) {
    if (first.width === 0 && last.width === 0) return () => true;
    if (first.width === 0 && last.literal !== undefined) {
      const suffix = last.literal;
      return (text) => text.endsWith(suffix);
    }
    if (last.width === 0 && first.literal !== undefined) {
      const prefix = first.literal;
      return (text) => text.startsWith(prefix);
    }
  }
  if (middle.length === 1 && first.width === 0 && last.width === 0 && (middle[0] as Segment).literal !== undefined) {
    const infix = (middle[0] as Segment).literal as string;
    return (text) => text.includes(infix);
  }
  const minimum = first.width + last.width + middle.reduce((sum, segment) => sum + segment.width, 0);
  return (text) => {
    if (text.length < minimum) return false;
    if (first.width > 0 && !matchesAt(first, text, 0)) return false;
    const end = text.length - last.width;
    if (last.width > 0 && !matchesAt(last, text, end)) return false;
    let position = first.width;
    for (const segment of middle) {
      const found = findSegment(segment, text, position, end - segment.width);
      if (found === -1) return false;
      position = found + segment.width;
    }
    return true;
  };
}
