/**
 * An Aho-Corasick automaton over ASCII needles, compiled to a dense transition table, so any number of
 * needles costs one pass over the text. ASCII letters are matched case-insensitively (needles are given
 * in lower case); characters outside ASCII never take part in a needle.
 */

const ASCII = 128;

/** Longest piece of a needle worth looking for: longer needles grow an automaton past the caches for little gain. */
export const MAX_WINDOW = 12;

const RARE_CHARACTER = /[`~^{}|$<>%;&@+#[\]]/;

/**
 * The part of a needle to look for: the needle itself, or its window of `MAX_WINDOW` characters with the
 * most characters that text seldom holds (the last of equals). The window occurs wherever the needle
 * does, so looking for it instead keeps every test that uses it a necessary condition.
 */
export function pickWindow(needle: string): string {
  if (needle.length <= MAX_WINDOW) return needle;
  let best = needle.length - MAX_WINDOW;
  let bestRare = -1;
  for (let start = 0; start + MAX_WINDOW <= needle.length; start += 1) {
    let rare = 0;
    for (let index = start; index < start + MAX_WINDOW; index += 1) if (RARE_CHARACTER.test(needle[index] as string)) rare += 1;
    if (rare >= bestRare) {
      best = start;
      bestRare = rare;
    }
  }
  return needle.slice(best, best + MAX_WINDOW);
}

/** The states of the trie of `needles` (the root and one per distinct prefix), counted from their sorted order. */
function countTrieStates(needles: readonly string[]): number {
  const sorted = needles.map((needle) => needle.toLowerCase()).sort();
  let states = 1;
  let previous = '';
  for (const needle of sorted) {
    let common = 0;
    while (common < needle.length && common < previous.length && needle.charCodeAt(common) === previous.charCodeAt(common)) common += 1;
    states += needle.length - common;
    previous = needle;
  }
  return states;
}

/** Needles found by one scan: each needle's index at most once per call. */
export type NeedleHits = (needle: number) => void;

/**
 * True for the non-ASCII characters whose case fold contains ASCII (`ß` → `ss`, `ſ` → `s`, `ı` → `i`,
 * `İ`, `ŉ`, `ǰ`, `ẖ`-`ẚ`, the Kelvin sign, the ligatures U+FB00-FB06): found by folding every code point
 * (tests/unit/scan/prefilter.test.ts keeps the list honest).
 */
export function foldsToAscii(code: number): boolean {
  return (
    code === 0xdf || code === 0x130 || code === 0x131 || code === 0x149 || code === 0x17f || code === 0x1f0 ||
    (code >= 0x1e96 && code <= 0x1e9a) || code === 0x212a || (code >= 0xfb00 && code <= 0xfb06)
  );
}

/**
 * A multi-needle matcher. The transition table holds, for each state and character class, the next
 * state's row offset (state × class count), negated minus one when that state recognises a needle, so
 * the scan loop does one load and one sign test per character.
 */
export class NeedleAutomaton {
  /** Character class of each ASCII code (0: in no needle). */
  private readonly classOf = new Uint8Array(ASCII);
  private readonly classCount: number;
  /** Encoded next row for `row + class` (see the class comment). */
  private readonly rows: Int32Array;
  /** Needle indexes recognised on reaching each state (suffix matches included). */
  private readonly outputs: (readonly number[] | undefined)[];
  private readonly seen: Uint32Array;
  private generation = 0;

  /** Builds the automaton; `needles` must be non-empty ASCII strings in lower case. */
  constructor(readonly needles: readonly string[]) {
    let classes = 1;
    for (const needle of needles) {
      if (needle.length === 0) throw new Error('needles must not be empty');
      for (let index = 0; index < needle.length; index += 1) {
        const code = needle.charCodeAt(index);
        if (code >= ASCII) throw new Error('needles must be ASCII');
        if (this.classOf[code] === 0) {
          this.classOf[code] = classes;
          // Upper-case letters read as their lower-case class: the automaton is case-insensitive.
          if (code >= 0x61 && code <= 0x7a) this.classOf[code - 0x20] = classes;
          classes += 1;
        }
      }
    }
    this.classCount = classes;

    // The trie, as a dense table from the start: row `state`, column `class` holds the child (0: none,
    // the root never being a child). No map per node, so building is fast and leaves no garbage.
    const trie = new Int32Array(countTrieStates(needles) * classes);
    const ends = new Map<number, number[]>();
    let stateCount = 1;
    needles.forEach((needle, needleIndex) => {
      let state = 0;
      for (let index = 0; index < needle.length; index += 1) {
        const cell = state * classes + (this.classOf[needle.charCodeAt(index)] as number);
        let next = trie[cell] as number;
        if (next === 0) {
          next = stateCount++;
          trie[cell] = next;
        }
        state = next;
      }
      const list = ends.get(state);
      if (list === undefined) ends.set(state, [needleIndex]);
      else list.push(needleIndex);
    });

    // Breadth-first failure links, folded into the table: a missing child becomes the state the
    // failure link leads to (a row is completed when its state is dequeued, after its failure state's).
    const delta = trie;
    const fail = new Int32Array(stateCount);
    const outputs: (number[] | undefined)[] = new Array(stateCount);
    const queue = new Int32Array(stateCount);
    let tail = 0;
    for (let cls = 1; cls < classes; cls += 1) {
      const child = delta[cls] as number;
      if (child !== 0) queue[tail++] = child;
    }
    outputs[0] = undefined;
    for (let head = 0; head < tail; head += 1) {
      const state = queue[head] as number;
      const own = ends.get(state);
      const inherited = outputs[fail[state] as number];
      outputs[state] = own !== undefined || inherited ? [...(own ?? []), ...(inherited ?? [])] : undefined;
      const row = state * classes;
      const failRow = (fail[state] as number) * classes;
      for (let cls = 1; cls < classes; cls += 1) {
        const child = delta[row + cls] as number;
        const fallback = delta[failRow + cls] as number;
        if (child === 0) {
          delta[row + cls] = fallback;
        } else {
          fail[child] = fallback;
          queue[tail++] = child;
        }
      }
    }
    // Encode, in place: row offsets instead of state numbers, accepting states negated.
    const rows = delta;
    for (let index = 0; index < rows.length; index += 1) {
      const next = rows[index] as number;
      rows[index] = outputs[next] === undefined ? next * classes : -1 - next * classes;
    }
    this.rows = rows;
    this.outputs = outputs;
    this.seen = new Uint32Array(needles.length);
  }

  /** Starts a new round of `scanMore` calls: each needle is reported once per round. */
  beginRound(): void {
    this.generation = (this.generation + 1) >>> 0;
    if (this.generation === 0) {
      this.seen.fill(0);
      this.generation = 1;
    }
  }

  /** Reports each needle occurring in `text` (once per call). */
  scan(text: string, hit: NeedleHits): void {
    this.beginRound();
    this.scanMore(text, hit);
  }

  /** Reports needles occurring in `text` not yet reported in this round; matches never span two texts. */
  scanMore(text: string, hit: NeedleHits): void {
    const { classOf, classCount, rows, outputs, seen } = this;
    const generation = this.generation;
    let row = 0;
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      row = code < ASCII ? (rows[row + (classOf[code] as number)] as number) : 0;
      if (row < 0) {
        row = -1 - row;
        for (const needle of outputs[row / classCount] as readonly number[]) {
          if (seen[needle] !== generation) {
            seen[needle] = generation;
            hit(needle);
          }
        }
      }
    }
  }

  /**
   * As `scanMore`, for text that is not case-folded yet: false, with nothing further reported, when the
   * text holds a character whose case fold is ASCII, or any non-ASCII character when `stopAtNonAscii`
   * (then scan `foldCase(text)` instead). Needles found before that point occur in the folded text too:
   * folding keeps ASCII letters ASCII, and needles never span other characters.
   */
  scanUnfolded(text: string, hit: NeedleHits, stopAtNonAscii = false): boolean {
    const { classOf, classCount, rows, outputs, seen } = this;
    const generation = this.generation;
    let row = 0;
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (code < ASCII) {
        row = rows[row + (classOf[code] as number)] as number;
        if (row < 0) {
          row = -1 - row;
          for (const needle of outputs[row / classCount] as readonly number[]) {
            if (seen[needle] !== generation) {
              seen[needle] = generation;
              hit(needle);
            }
          }
        }
      } else {
        if (stopAtNonAscii || foldsToAscii(code)) return false;
        row = 0;
      }
    }
    return true;
  }

  /**
   * For JSON text (needles given JSON-escaped): true when a needle occurs, or when the text could hide
   * one from a raw search: a `\uXXXX` or `\/` escape, or a character whose case fold is ASCII. One pass.
   */
  testJson(text: string): boolean {
    const { classOf, rows } = this;
    let row = 0;
    let escaped = false;
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (code < ASCII) {
        if (escaped) {
          // The character after a backslash: \u and \/ spell characters the raw text does not show.
          if (code === 0x75 || code === 0x2f) return true;
          escaped = false;
        } else if (code === 0x5c) {
          escaped = true;
        }
        row = rows[row + (classOf[code] as number)] as number;
        if (row < 0) return true;
      } else {
        if (foldsToAscii(code)) return true;
        escaped = false;
        row = 0;
      }
    }
    return false;
  }

  /** True when any needle occurs in `text`. */
  test(text: string): boolean {
    const { classOf, rows } = this;
    let row = 0;
    for (let index = 0; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      row = code < ASCII ? (rows[row + (classOf[code] as number)] as number) : 0;
      if (row < 0) return true;
    }
    return false;
  }
}
