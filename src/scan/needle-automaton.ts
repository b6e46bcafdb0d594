/**
 * An Aho-Corasick automaton over ASCII needles, compiled to a dense transition table, so any number of
 * needles costs one pass over the text. ASCII letters are matched case-insensitively (needles are given
 * in lower case); characters outside ASCII never take part in a needle.
 */

const ASCII = 128;

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

    // Trie.
    const children: Map<number, number>[] = [new Map()];
    const ends: number[][] = [[]];
    needles.forEach((needle, needleIndex) => {
      let state = 0;
      for (let index = 0; index < needle.length; index += 1) {
        const cls = this.classOf[needle.charCodeAt(index)] as number;
        let next = (children[state] as Map<number, number>).get(cls);
        if (next === undefined) {
          next = children.length;
          children.push(new Map());
          ends.push([]);
          (children[state] as Map<number, number>).set(cls, next);
        }
        state = next;
      }
      (ends[state] as number[]).push(needleIndex);
    });

    // Breadth-first failure links, folded into a complete transition table of state numbers.
    const stateCount = children.length;
    const delta = new Int32Array(stateCount * classes);
    const fail = new Int32Array(stateCount);
    const outputs: (number[] | undefined)[] = new Array(stateCount);
    const queue: number[] = [];
    for (let cls = 1; cls < classes; cls += 1) {
      const next = (children[0] as Map<number, number>).get(cls);
      if (next !== undefined) {
        delta[cls] = next;
        queue.push(next);
      }
    }
    outputs[0] = undefined;
    for (let head = 0; head < queue.length; head += 1) {
      const state = queue[head] as number;
      const own = ends[state] as number[];
      const inherited = outputs[fail[state] as number];
      outputs[state] = own.length > 0 || inherited ? [...own, ...(inherited ?? [])] : undefined;
      for (let cls = 1; cls < classes; cls += 1) {
        const next = (children[state] as Map<number, number>).get(cls);
        const fallback = delta[(fail[state] as number) * classes + cls] as number;
        if (next === undefined) {
          delta[state * classes + cls] = fallback;
        } else {
          delta[state * classes + cls] = next;
          fail[next] = fallback;
          queue.push(next);
        }
      }
    }
    // Encode: row offsets instead of state numbers, accepting states negated.
    const rows = new Int32Array(delta.length);
    for (let index = 0; index < delta.length; index += 1) {
      const next = delta[index] as number;
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
