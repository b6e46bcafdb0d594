/**
 * Prefiltering for `dac scan`, in two stages built from the compiled rules' needles.
 *
 * 1. On an NDJSON line's raw text, before JSON.parse: a line is skipped only when no needle of any rule
 *    occurs in it. Needles are searched in their JSON-escaped form (`\cmd.exe` is written `\\cmd.exe`),
 *    and lines where the raw text could hide a needle are never skipped: lines with the few characters
 *    whose case fold is ASCII (`ß`, `ſ`, `ı`, Kelvin sign ...) and lines with `\uXXXX` or `\/` escapes; a needle
 *    with a character XML may write as a reference is also searched so written (event data held as XML text). Lines that are not
 *    shaped like an object are not skipped either, so truncated records still get their diagnostic; a
 *    skipped line is not otherwise checked to be valid JSON.
 * 2. On a parsed event: the rules worth evaluating are those with a needle in the event's case-folded
 *    values, plus the rules that have no needles; so 1,000 rules cost one pass, not 1,000 evaluations.
 */
import { foldCase } from '../compile/case-fold.js';
import type { CompiledRule } from '../compile/compile-rule.js';
import type { EventRecord, FieldValue } from '../compile/event-record.js';
import { foldsToAscii, NeedleAutomaton } from './needle-automaton.js';

/** A needle as JSON writes it inside a string: backslashes and quotes escaped (RFC 8259, section 7). */
export function escapeJsonNeedle(needle: string): string {
  return needle.replace(/[\\"]/g, (char) => `\\${char}`);
}

const XML_SPECIAL = /[&<>"']/g;
const XML_NAMED: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/**
 * Every way a needle can be written in a JSON line: JSON-escaped; with its non-ASCII characters as
 * `\u` escapes of an inner JSON text; and, when it holds a character XML
 * text may write as a reference (`&`, `<`, `>`, quotes), also with that character as a named, decimal
 * and hexadecimal reference, JSON-escaped; a Log Analytics row holds its event data as XML text inside
 * a JSON string (`&gt;` for `>`), where the plain needle would not occur.
 */
export function spellNeedle(needle: string): string[] {
  const spellings = [escapeJsonNeedle(needle)];
  // JSON text inside a JSON string (an exported dynamic column) may write non-ASCII as `\u00e9`, which
  // the outer string escapes again: searched so written too.
  if (/[^\u0000-\u007f]/.test(needle)) {
    spellings.push(escapeJsonNeedle(needle.replace(/[^\u0000-\u007f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)));
  }
  if (!/[&<>"']/.test(needle)) return spellings;
  const code = (char: string): number => char.charCodeAt(0);
  spellings.push(
    escapeJsonNeedle(needle.replace(XML_SPECIAL, (char) => XML_NAMED[char] ?? char)),
    escapeJsonNeedle(needle.replace(XML_SPECIAL, (char) => `&#${code(char)};`)),
    escapeJsonNeedle(needle.replace(XML_SPECIAL, (char) => `&#x${code(char).toString(16)};`)),
  );
  return spellings;
}

/**
 * True when a line is shaped like one whole JSON object (`{` ... `}` around optional spaces). Other lines
 * are never skipped, so truncated or garbage records are parsed and reported as DESIGN requires.
 */
export function looksLikeObject(line: string): boolean {
  let start = 0;
  let end = line.length - 1;
  while (start <= end && line.charCodeAt(start) <= 0x20) start += 1;
  while (end >= start && line.charCodeAt(end) <= 0x20) end -= 1;
  return start < end && line.charCodeAt(start) === 0x7b && line.charCodeAt(end) === 0x7d;
}

/** A test on raw text: false means no needle can be in it. */
export type TextPrefilter = (text: string) => boolean;

/** Up to this many needles, one native regular expression is the fastest search; above, the automaton. */
const REGEX_NEEDLE_LIMIT = 32;

const escapeRegex = (text: string): string => text.replace(/[\\^$.|?*+()[\]{}\/-]/g, (char) => `\\${char}`);

/**
 * A one-pass test for few needles on V8's native regex engine: an alternation of escaped literals (so
 * at worst linear in the line times the needles' length, never exponential), plus the characters whose
 * fold is ASCII, plus `\u` / `\/` escapes, whose backslash parity is then checked by hand.
 */
function compileRegexLineTest(needles: readonly string[]): TextPrefilter {
  const pattern = new RegExp(`${needles.map(escapeRegex).join('|')}|[\\u00df\\u0130\\u0131\\u0149\\u017f\\u01f0\\u1e96-\\u1e9a\\u212a\\ufb00-\\ufb06]|(\\\\[u/])`, 'gi');
  return (line) => {
    pattern.lastIndex = 0;
    for (let match = pattern.exec(line); match !== null; match = pattern.exec(line)) {
      if (match[1] === undefined) return true;
      // After an odd run of backslashes this backslash is itself escaped: JSON `\\u` is a backslash, then `u`.
      let run = 0;
      while (match.index - run - 1 >= 0 && line.charCodeAt(match.index - run - 1) === 0x5c) run += 1;
      if (run % 2 === 0) return true;
      pattern.lastIndex = match.index + 1;
    }
    return false;
  };
}

/**
 * The stage-1 line prefilter for a set of rules, or undefined when some rule has no needles (then every
 * line may match and none can be skipped).
 */
export function createLinePrefilter(rules: readonly CompiledRule[]): TextPrefilter | undefined {
  if (rules.length === 0) return () => false;
  const needles = new Set<string>();
  for (const rule of rules) {
    if (rule.needles === undefined) return undefined;
    for (const needle of rule.needles) for (const spelling of spellNeedle(needle)) needles.add(spelling);
  }
  if (needles.size <= REGEX_NEEDLE_LIMIT) {
    const test = compileRegexLineTest([...needles]);
    return (line) => !looksLikeObject(line) || test(line);
  }
  const automaton = new NeedleAutomaton([...needles]);
  // One pass over the line finds needles, hiding escapes and characters that fold to ASCII.
  return (line) => !looksLikeObject(line) || automaton.testJson(line);
}

/** True when a string holds a character whose case fold contains ASCII. */
function hasAsciiFold(text: string): boolean {
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0x80 && foldsToAscii(code)) return true;
  }
  return false;
}

/** Calls `visit` with the text of every scalar of a value (lists and nested objects included). */
export function visitValueTexts(value: FieldValue | undefined, visit: (text: string) => void, depth = 0): void {
  if (value === undefined || value === null || depth > 64) return;
  if (typeof value !== 'object') {
    visit(typeof value === 'string' ? value : String(value));
    return;
  }
  const children = Array.isArray(value) ? (value as readonly FieldValue[]) : Object.values(value as { readonly [key: string]: FieldValue });
  for (const child of children) visitValueTexts(child, visit, depth + 1);
}

/** Every value of an event, case-folded, one per line (what stage 2 looks at; for tests and debugging). */
export function foldEventValues(event: EventRecord): string {
  const parts: string[] = [];
  for (const name of event.fieldNames()) visitValueTexts(event.get(name), (text) => parts.push(text));
  return foldCase(parts.join('\n'));
}

/** Picks, per event, the rules that may match it. */
export type RuleSelector = (event: EventRecord) => readonly CompiledRule[];

/** Below this many rules, evaluating them all is cheaper than looking for needles. */
const SELECTION_THRESHOLD = 8;

/** Builds the stage-2 selector: rules without needles always, others when one of their needles occurs. */
export function createRuleSelector(rules: readonly CompiledRule[]): RuleSelector {
  if (rules.length < SELECTION_THRESHOLD) return () => rules;
  const always: number[] = [];
  const needleIndex = new Map<string, number>();
  const needleRules: number[][] = [];
  rules.forEach((rule, ruleIndex) => {
    if (rule.needles === undefined) always.push(ruleIndex);
    for (const needle of rule.needles ?? []) {
      let index = needleIndex.get(needle);
      if (index === undefined) {
        index = needleRules.length;
        needleIndex.set(needle, index);
        needleRules.push([]);
      }
      (needleRules[index] as number[]).push(ruleIndex);
    }
  });
  if (needleRules.length === 0) return () => rules;
  return new RuleSelection(rules, always, needleRules, new NeedleAutomaton([...needleIndex.keys()])).select;
}

/** Stage-2 state kept between events, so selecting rules allocates only the result. */
class RuleSelection {
  private readonly chosen: Uint32Array;
  private generation = 0;
  private selected: number[] = [];

  constructor(
    private readonly rules: readonly CompiledRule[],
    private readonly always: readonly number[],
    private readonly needleRules: readonly (readonly number[])[],
    private readonly automaton: NeedleAutomaton,
  ) {
    this.chosen = new Uint32Array(rules.length);
  }

  private readonly hit = (needle: number): void => {
    for (const ruleIndex of this.needleRules[needle] as readonly number[]) {
      if (this.chosen[ruleIndex] !== this.generation) {
        this.chosen[ruleIndex] = this.generation;
        this.selected.push(ruleIndex);
      }
    }
  };

  // Each value is searched as it is (the automaton ignores ASCII case); only values with a character
  // whose fold is ASCII need folding first. Values are searched one by one so no needle spans two.
  private readonly visit = (text: string): void => {
    this.automaton.scanMore(hasAsciiFold(text) ? foldCase(text) : text, this.hit);
  };

  readonly select = (event: EventRecord): readonly CompiledRule[] => {
    this.generation += 1;
    if (this.generation === 0xffffffff) {
      this.chosen.fill(0);
      this.generation = 1;
    }
    this.selected = [...this.always];
    this.automaton.beginRound();
    for (const name of event.fieldNames()) visitValueTexts(event.get(name), this.visit);
    const selected = this.selected;
    // Rule order, so matches of one event are reported in a stable order.
    if (selected.length > 1) selected.sort((a, b) => a - b);
    return selected.map((ruleIndex) => this.rules[ruleIndex] as CompiledRule);
  };
}
