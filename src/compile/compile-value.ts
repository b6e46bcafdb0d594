/**
 * Compiles one Sigma value into a test on a field view. Everything derived from the rule (folded
 * literals, wildcard automata, re2js programs, CIDR bytes, placeholder expansions) is prepared here,
 * once; the returned closure only does per-event work.
 */
import { RE2JS } from 're2js';
import type { EventRecord } from './event-record.js';
import type { SigmaValue, StringPart, StringValue } from '../model/detection.js';
import { parseIpAddress, prefixMatches } from '../modifiers/ip-address.js';
import { expandAlternatives, normalizeParts, parseSigmaString } from '../modifiers/sigma-string.js';
import { foldCase } from './case-fold.js';
import { FieldView } from './field-view.js';
import { readNumber } from './numbers.js';
import { readTimePart } from './timestamps.js';
import { compileWildcard, type PatternToken, type TextTest } from './wildcard.js';

/** A compiled value: true when the field view satisfies it. */
export type ValueTest = (view: FieldView, event: EventRecord) => boolean;

/** Values configured for `%name%` placeholders (config/placeholders.yml). */
export type PlaceholderValues = ReadonlyMap<string, readonly string[]>;

/** What value compilation needs to know. */
export interface ValueCompileContext {
  readonly placeholders: PlaceholderValues;
  /** Keyword searches match a value anywhere inside any field value. */
  readonly keyword: boolean;
}

/** Most patterns one value may expand into (placeholders, encoded windash) before compilation refuses. */
export const MAX_PATTERNS = 4096;

/** A value compile problem (only placeholders and expansion limits can fail here). */
export interface ValueCompileProblem {
  readonly code: string;
  readonly message: string;
}

const never: ValueTest = () => false;

/** Replaces placeholder parts by each configured value (parsed as Sigma strings), or reports the unknown one. */
export function resolvePlaceholders(
  value: StringValue,
  placeholders: PlaceholderValues,
): { values?: StringValue[]; problem?: ValueCompileProblem } {
  let variants: StringPart[][] = [[]];
  for (const part of value.parts) {
    if (part.kind !== 'placeholder') {
      for (const variant of variants) variant.push(part);
      continue;
    }
    const replacements = placeholders.get(part.name);
    if (replacements === undefined) {
      return { problem: { code: 'value/unknown-placeholder', message: `placeholder '%${part.name}%' has no values configured (config/placeholders.yml); a rule whose placeholders cannot be expanded must be rejected` } };
    }
    if (variants.length * replacements.length > MAX_PATTERNS) {
      return { problem: { code: 'value/expansion-too-large', message: `placeholder '%${part.name}%' expands the value into more than ${MAX_PATTERNS} patterns` } };
    }
    const parsed = replacements.map((text) => parseSigmaString(text).parts);
    variants = variants.flatMap((variant) => parsed.map((parts) => [...variant, ...parts]));
  }
  return { values: variants.map((parts) => ({ ...value, parts: normalizeParts(parts) })) };
}

/** Turns string parts into wildcard tokens, folding literals unless the value is cased. */
function toTokens(parts: readonly StringPart[], fold: (text: string) => string): PatternToken[] {
  return parts.map((part): PatternToken => {
    switch (part.kind) {
      case 'text':
        return { kind: 'text', text: fold(part.text) };
      case 'any':
        return { kind: 'any' };
      case 'one':
        return { kind: 'one' };
      case 'alternatives':
        return { kind: 'set', chars: part.options.map(fold).join('') };
      case 'placeholder':
        throw new Error('placeholders must be resolved before compiling a pattern');
    }
  });
}

/** Compiles a string value into text tests (one per expansion variant). */
function compileStringTests(value: StringValue, context: ValueCompileContext): { tests?: TextTest[]; problem?: ValueCompileProblem } {
  const resolved = resolvePlaceholders(value, context.placeholders);
  if (!resolved.values) return { problem: resolved.problem };
  const tests: TextTest[] = [];
  for (const variant of resolved.values) {
    // Alternatives of one character stay character sets; longer ones (windash after an encoding) expand.
    const multiChar = variant.parts.some((part) => part.kind === 'alternatives' && part.options.some((option) => option.length !== 1));
    const expanded = multiChar ? expandAlternatives(variant, MAX_PATTERNS) : [variant];
    if (!expanded || tests.length + expanded.length > MAX_PATTERNS) {
      return { problem: { code: 'value/expansion-too-large', message: `the value expands into more than ${MAX_PATTERNS} patterns` } };
    }
    for (const single of expanded) {
      let parts = single.parts;
      // Keyword searches look for the value anywhere in a field value (as pySigma's matcher and full-text search do).
      if (context.keyword) parts = [{ kind: 'any' }, ...parts, { kind: 'any' }];
      tests.push(compileWildcard(toTokens(parts, single.cased ? (text) => text : foldCase)));
    }
  }
  return { tests };
}

/** Escapes a Sigma string into re2 syntax: literals quoted, `*` as `.*`, `?` as `.`. */
function sigmaStringToRegex(text: string): string {
  return parseSigmaString(text)
    .parts.map((part) => (part.kind === 'text' ? RE2JS.quote(part.text) : part.kind === 'any' ? '.*' : part.kind === 'one' ? '.' : ''))
    .join('');
}

/** The pattern of a regex value with `%name%` replaced by its configured values (when `expand` was applied). */
export function expandRegexPlaceholders(
  value: Extract<SigmaValue, { kind: 'regex' }>,
  placeholders: PlaceholderValues,
): { pattern?: string; problem?: ValueCompileProblem } {
  if (!value.placeholders) return { pattern: value.pattern };
  let problem: ValueCompileProblem | undefined;
  const pattern = value.pattern.replace(/(?<!\\)%(\w+)%/g, (_, name: string) => {
    const replacements = placeholders.get(name);
    if (replacements === undefined) {
      problem ??= { code: 'value/unknown-placeholder', message: `placeholder '%${name}%' has no values configured (config/placeholders.yml)` };
      return '';
    }
    return `(?:${replacements.map(sigmaStringToRegex).join('|')})`;
  });
  return problem ? { problem } : { pattern };
}

/** Compiles a regex value with re2js (linear time), expanding `%name%` when `expand` was applied. */
function compileRegex(
  value: Extract<SigmaValue, { kind: 'regex' }>,
  context: ValueCompileContext,
): { test?: TextTest; problem?: ValueCompileProblem } {
  const expanded = expandRegexPlaceholders(value, context.placeholders);
  if (expanded.pattern === undefined) return { problem: expanded.problem };
  const pattern = expanded.pattern;
  const flags = (value.flags.i ? RE2JS.CASE_INSENSITIVE : 0) | (value.flags.m ? RE2JS.MULTILINE : 0) | (value.flags.s ? RE2JS.DOTALL : 0);
  try {
    const program = RE2JS.compile(pattern, flags);
    // Sigma regexes search the field (unanchored), as pySigma and SIEM backends apply them.
    return { test: (text) => program.test(text) };
  } catch (error) {
    return { problem: { code: 'value/invalid-regex', message: `the regular expression cannot be compiled: ${error instanceof Error ? error.message : String(error)}` } };
  }
}

const anyText = (tests: readonly TextTest[], texts: readonly string[]): boolean => {
  for (const text of texts) for (const test of tests) if (test(text)) return true;
  return false;
};

/**
 * Compiles a value into a test. Field semantics (spec "General", "Special Field Values"): strings
 * compare case-insensitively with wildcards; numbers compare with numbers and numeric strings; null
 * matches a missing or null field; a list-valued field matches when any element does.
 */
export function compileValue(value: SigmaValue, context: ValueCompileContext): { test?: ValueTest; problem?: ValueCompileProblem } {
  switch (value.kind) {
    case 'string': {
      const { tests, problem } = compileStringTests(value, context);
      if (!tests) return { problem };
      if (value.cased) return { test: (view) => anyText(tests, view.texts()) };
      return { test: (view) => anyText(tests, view.folded()) };
    }
    case 'number': {
      const expected = value.value;
      if (context.keyword) {
        const { tests } = compileStringTests(parseSigmaString(String(expected)), context);
        return { test: (view) => anyText(tests ?? [], view.folded()) };
      }
      return {
        test: (view) => {
          for (const scalar of view.scalars()) if (readNumber(scalar) === expected) return true;
          return false;
        },
      };
    }
    case 'boolean': {
      const expected = value.value;
      const word = String(expected);
      return {
        test: (view) => {
          for (const scalar of view.scalars()) {
            if (scalar === expected) return true;
            if (typeof scalar === 'string' && (context.keyword ? foldCase(scalar).includes(word) : foldCase(scalar.trim()) === word)) return true;
          }
          return false;
        },
      };
    }
    case 'null':
      return { test: (view) => view.value === undefined || view.value === null };
    case 'exists': {
      const expected = value.value;
      return { test: (view) => (view.value !== undefined) === expected };
    }
    case 'regex': {
      const { test, problem } = compileRegex(value, context);
      if (!test) return { problem };
      return {
        test: (view) => {
          for (const text of view.texts()) if (test(text)) return true;
          return false;
        },
      };
    }
    case 'cidr': {
      const { version, address, prefix } = value;
      return {
        test: (view) => {
          for (const text of view.texts()) {
            const parsed = parseIpAddress(text);
            if (parsed && parsed.version === version && prefixMatches(parsed.bytes, address, prefix)) return true;
          }
          return false;
        },
      };
    }
    case 'compare': {
      const bound = value.value;
      const compare = { gt: (n: number) => n > bound, gte: (n: number) => n >= bound, lt: (n: number) => n < bound, lte: (n: number) => n <= bound }[value.op];
      return {
        test: (view) => {
          for (const scalar of view.scalars()) {
            const number = readNumber(scalar);
            if (number !== undefined && compare(number)) return true;
          }
          return false;
        },
      };
    }
    case 'fieldref': {
      const { field, startsWith, endsWith, cased } = value;
      const relate = startsWith && endsWith
        ? (text: string, other: string) => text.includes(other)
        : startsWith
          ? (text: string, other: string) => text.startsWith(other)
          : endsWith
            ? (text: string, other: string) => text.endsWith(other)
            : (text: string, other: string) => text === other;
      return {
        test: (view, event) => {
          const other = new FieldView(event.get(field));
          const mine = cased ? view.texts() : view.folded();
          const theirs = cased ? other.texts() : other.folded();
          for (const text of mine) for (const reference of theirs) if (relate(text, reference)) return true;
          return false;
        },
      };
    }
    case 'timepart': {
      const { unit, value: expected } = value;
      return {
        test: (view) => {
          for (const text of view.texts()) if (readTimePart(text, unit) === expected) return true;
          return false;
        },
      };
    }
    case 'expansion': {
      const tests: ValueTest[] = [];
      for (const member of value.values) {
        const compiled = compileValue(member, context);
        if (!compiled.test) return compiled;
        tests.push(compiled.test);
      }
      if (tests.length === 0) return { test: never };
      return {
        test: (view, event) => {
          for (const test of tests) if (test(view, event)) return true;
          return false;
        },
      };
    }
  }
}
