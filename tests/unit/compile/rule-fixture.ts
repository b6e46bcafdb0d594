/**
 * Test helpers: build rules from YAML text with the real loader, parser and compiler, and events from
 * plain objects.
 */
import { type Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import type { EventRecord, FieldValue } from '../../../src/compile/event-record.js';
import { parseYaml } from '../../../src/load/yaml.js';
import { compileRule, type CompiledRule, type CompileOptions } from '../../../src/compile/compile-rule.js';
import { parseRule } from '../../../src/parse/parse-rule.js';

/** Indents a detection body under `detection:`. */
function indent(text: string): string {
  return text
    .trim()
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

/** A full rule document around a detection body. */
export function ruleText(detection: string): string {
  return `title: Test rule\nid: 00000000-0000-4000-8000-000000000000\nlevel: high\nlogsource:\n  category: process_creation\n  product: windows\ndetection:\n${indent(detection)}\n`;
}

/** Parses and compiles a rule whose detection section is `detection`; diagnostics of every stage. */
export function buildRule(detection: string, options?: CompileOptions): { compiled?: CompiledRule; diagnostics: Diagnostic[] } {
  const { documents, diagnostics } = parseYaml(ruleText(detection), 'rule.yml');
  const document = documents[0];
  if (!document) return { diagnostics: [...diagnostics] };
  const parsed = parseRule(document, 'rule.yml');
  if (!parsed.rule) return { diagnostics: [...diagnostics, ...parsed.diagnostics] };
  const compiled = compileRule(parsed.rule, options);
  return { ...compiled, diagnostics: [...diagnostics, ...parsed.diagnostics, ...compiled.diagnostics] };
}

/** Compiles a rule that must be valid (no errors), failing the test otherwise. */
export function compileValid(detection: string, options?: CompileOptions): CompiledRule {
  const { compiled, diagnostics } = buildRule(detection, options);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!compiled || errors.length > 0) throw new Error(`rule did not compile: ${JSON.stringify(errors)}`);
  return compiled;
}

/** The codes of a rule's error and warning diagnostics. */
export function codesOf(detection: string, options?: CompileOptions): string[] {
  return buildRule(detection, options).diagnostics.map((d) => d.code);
}

/** An event with the given fields (flat, as taxonomy field names). */
export function createEvent(fields: Readonly<Record<string, FieldValue>>, index = 0): EventRecord {
  return {
    file: 'events.ndjson',
    index,
    get: (field) => (Object.hasOwn(fields, field) ? fields[field] : undefined),
    fieldNames: () => Object.keys(fields),
  };
}

/** Shorthand: does a rule with this detection match this event? */
export function matches(detection: string, fields: Readonly<Record<string, FieldValue>>, options?: CompileOptions): boolean {
  return compileValid(detection, options).matches(createEvent(fields));
}

/** A detection with one selection item `key: value` (value given as YAML text). */
export function selection(key: string, valueYaml: string): string {
  return `selection:\n  ${key}: ${valueYaml}\ncondition: selection`;
}
