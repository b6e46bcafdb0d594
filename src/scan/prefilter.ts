/**
 * Prefiltering for `dac scan`, in two stages built from the compiled rules' needles.
 *
 * 1. On an NDJSON line's raw text, before JSON.parse: a line is skipped only when no needle of any rule
 *    occurs in it. Needles are searched in their JSON-escaped form (`\cmd.exe` is written `\\cmd.exe`),
 *    and lines where the raw text could hide a needle are never skipped: lines with the few characters
 *    whose case fold is ASCII (`ß`, `ſ`, `ı`, Kelvin sign ...) and lines with `\uXXXX` or `\/` escapes. Lines that are not
 *    shaped like an object are not skipped either, so truncated records still get their diagnostic; a
 *    skipped line is not otherwise checked to be valid JSON.
 * 2. On a parsed event: the rules worth evaluating are those with a needle in the event's case-folded
 *    values, plus the rules that have no needles; so 1,000 rules cost one pass, not 1,000 evaluations.
 */
import { foldCase } from '../compile/case-fold.js';
import type { CompiledRule } from '../compile/compile-rule.js';
import type { EventRecord, FieldValue } from '../events/event-record.js';
import { foldsToAscii, NeedleAutomaton } from './needle-automaton.js';

/** A needle as JSON writes it inside a string: backslashes and quotes escaped (RFC 8259, section 7). */
export function escapeJsonNeedle(needle: string): string {
  return needle.replace(/[\\"]/g, (char) => `\\${char}`);
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

/**
 * The stage-1 line prefilter for a set of rules, or undefined when some rule has no needles (then every
 * line may match and none can be skipped).
 */
export function createLinePrefilter(rules: readonly CompiledRule[]): TextPrefilter | undefined {
  if (rules.length === 0) return () => false;
  const needles: string[] = [];
  for (const rule of rules) {
    if (rule.needles === undefined) return undefined;
    needles.push(...rule.needles.map(escapeJsonNeedle));
  }
  const automaton = new NeedleAutomaton([...new Set(needles)]);
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
  const automaton = new NeedleAutomaton([...needleIndex.keys()]);
  const chosen = new Uint32Array(rules.length);
  let generation = 0;
  return (event) => {
    generation += 1;
    if (generation === 0xffffffff) {
      chosen.fill(0);
      generation = 1;
    }
    const selected = [...always];
    const hit = (needle: number): void => {
      for (const ruleIndex of needleRules[needle] as number[]) {
        if (chosen[ruleIndex] !== generation) {
          chosen[ruleIndex] = generation;
          selected.push(ruleIndex);
        }
      }
    };
    // Each value is searched as it is (the automaton ignores ASCII case); only values with a character
    // whose fold is ASCII need folding first. Values are searched one by one so no needle spans two.
    const visit = (text: string): void => automaton.scanMore(hasAsciiFold(text) ? foldCase(text) : text, hit);
    automaton.beginRound();
    for (const name of event.fieldNames()) visitValueTexts(event.get(name), visit);
    // Rule order, so matches of one event are reported in a stable order.
    if (selected.length > 1) selected.sort((a, b) => a - b);
    return selected.map((ruleIndex) => rules[ruleIndex] as CompiledRule);
  };
}
