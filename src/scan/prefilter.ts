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
import { NeedleAutomaton } from './needle-automaton.js';

/** Below this many needles, native substring search beats the automaton. */
const NATIVE_SEARCH_LIMIT = 12;
/**
 * The non-ASCII characters whose case fold contains ASCII (`ß` → `ss`, `ſ` → `s`, `ı` → `i`, the Kelvin
 * sign → `k`, ligatures → `ff`...): a value holding one may match an ASCII needle its raw text lacks.
 * Found by folding every code point; tests/unit/scan/prefilter.test.ts checks the list stays complete.
 */
export const FOLDS_TO_ASCII = /[\u00df\u0130\u0131\u0149\u017f\u01f0\u1e96-\u1e9a\u212a\ufb00-\ufb06]/;

/** A needle as JSON writes it inside a string: backslashes and quotes escaped (RFC 8259, section 7). */
export function escapeJsonNeedle(needle: string): string {
  return needle.replace(/[\\"]/g, (char) => `\\${char}`);
}

/** True when a `\u` or `\/` escape occurs in JSON text (a backslash preceded by an even run of backslashes). */
export function hasHidingEscape(line: string): boolean {
  for (const escape of ['\\u', '\\/']) {
    let at = line.indexOf(escape);
    while (at !== -1) {
      let run = 0;
      while (at - run - 1 >= 0 && line.charCodeAt(at - run - 1) === 0x5c) run += 1;
      if (run % 2 === 0) return true;
      at = line.indexOf(escape, at + 1);
    }
  }
  return false;
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

/** Compiles needles (lower-case ASCII) into a case-insensitive "contains any" test. */
export function compileNeedleTest(needles: readonly string[]): TextPrefilter {
  const unique = [...new Set(needles)];
  if (unique.length <= NATIVE_SEARCH_LIMIT) {
    return (text) => {
      const lowered = text.toLowerCase();
      for (const needle of unique) if (lowered.includes(needle)) return true;
      return false;
    };
  }
  const automaton = new NeedleAutomaton(unique);
  return (text) => automaton.test(text);
}

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
  const test = compileNeedleTest(needles);
  return (line) => !looksLikeObject(line) || FOLDS_TO_ASCII.test(line) || hasHidingEscape(line) || test(line);
}

function appendValue(value: FieldValue | undefined, parts: string[], depth: number): void {
  if (value === undefined || value === null || depth > 64) return;
  if (typeof value !== 'object') {
    parts.push(typeof value === 'string' ? value : String(value));
    return;
  }
  const children = Array.isArray(value) ? (value as readonly FieldValue[]) : Object.values(value as { readonly [key: string]: FieldValue });
  for (const child of children) appendValue(child, parts, depth + 1);
}

/** Every value of an event, case-folded, one per line: what stage-2 needles are searched in. */
export function foldEventValues(event: EventRecord): string {
  const parts: string[] = [];
  for (const name of event.fieldNames()) appendValue(event.get(name), parts, 0);
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
    automaton.scan(foldEventValues(event), (needle) => {
      for (const ruleIndex of needleRules[needle] as number[]) {
        if (chosen[ruleIndex] !== generation) {
          chosen[ruleIndex] = generation;
          selected.push(ruleIndex);
        }
      }
    });
    // Rule order, so matches of one event are reported in a stable order.
    if (selected.length > 1) selected.sort((a, b) => a - b);
    return selected.map((ruleIndex) => rules[ruleIndex] as CompiledRule);
  };
}
