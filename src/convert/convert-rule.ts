/**
 * Converts a parsed rule (and the filters that tune it) into a query of one target profile. The rule
 * becomes a dialect-neutral expression (./expression.ts); the profile names its fields; the dialect
 * writes each item. A field the profile's source never has is written as the engine judges an absent
 * field (a constant), and said in the query's notes; a field the profile does not know, a value the
 * dialect cannot write exactly: each is an error naming the rule, the item and the target, and no
 * query is produced.
 */
import { compileValue, type PlaceholderValues } from '../compile/compile-value.js';
import type { EventRecord } from '../compile/event-record.js';
import { FieldView } from '../compile/field-view.js';
import { getDefaultPlaceholders } from '../compile/placeholders.js';
import type { SigmaFilter } from '../compile/apply-filters.js';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { SigmaValue, SourceRef } from '../model/detection.js';
import type { SigmaRule } from '../model/rule.js';
import { isProblem, type Dialect } from './dialect.js';
import { andOf, buildExpression, collectItemTests, notOf, orOf, type Expression, type ItemTest } from './expression.js';
import type { ProfileSource, TargetProfile } from './target-profiles.js';
import { listDialects, writeQuery } from './targets/registry.js';

/** A rule's query for one target profile. */
export interface ConvertedQuery {
  readonly target: TargetProfile['target'];
  readonly profile: string;
  readonly ruleId: string | undefined;
  readonly title: string;
  readonly file: string;
  /** The whole query, with a header naming the rule and any notes. */
  readonly text: string;
  /** The condition alone, in the dialect (what `dac backtest` and `dac test` run for the SQL target). */
  readonly condition: string;
  /** What the reader must know: fields the source never has and how they were written. */
  readonly notes: readonly string[];
  /** The filters applied, by id or file. */
  readonly filters: readonly string[];
  /** The target's names of the fields the condition reads (for SQL: the columns a loader must fill). */
  readonly columns: readonly string[];
  /** What else the condition reads: the whole event (keyword searches), its field names (`exists`). */
  readonly reads: { readonly record: boolean; readonly keys: boolean };
}

/** Options of `convertRule`. */
export interface ConvertOptions {
  readonly placeholders?: PlaceholderValues;
  /** Filters selected for the rule (selectFilters): they are ANDed to its condition, as the engine applies them. */
  readonly filters?: readonly SigmaFilter[];
}

const NO_EVENT: EventRecord = { file: '', index: 0, get: () => undefined, fieldNames: () => [] };

/** Describes an item for messages: `ParentImage|endswith` or `keywords`. */
export function describeItem(test: ItemTest): string {
  const name = test.item.field ?? 'keywords';
  return [name, ...test.item.modifiers].join('|');
}

/** The engine's verdict of an item on an event that lacks its field: a constant of the query. */
function judgeAbsentField(test: ItemTest, placeholders: PlaceholderValues): boolean | undefined {
  const verdicts: boolean[] = [];
  for (const value of test.values) {
    const compiled = compileValue(value, { placeholders, keyword: false });
    if (!compiled.test) return undefined;
    verdicts.push(compiled.test(new FieldView(undefined), NO_EVENT));
  }
  const linked = test.item.linking === 'and' ? verdicts.every(Boolean) : verdicts.some(Boolean);
  return linked !== test.item.negated;
}

interface RenderContext {
  readonly rule: SigmaRule;
  readonly file: string;
  readonly profile: TargetProfile;
  readonly source: ProfileSource;
  readonly dialect: Dialect;
  readonly placeholders: PlaceholderValues;
  readonly diagnostics: Diagnostic[];
  readonly notes: Set<string>;
}

function describeRule(rule: SigmaRule): string {
  return rule.id !== undefined ? `${rule.id} (${rule.title})` : rule.title;
}

function reportProblem(context: RenderContext, at: SourceRef, message: string): void {
  const { profile } = context;
  context.diagnostics.push(createDiagnostic(context.file, at.position, 'convert/unsupported', 'error',
    `rule ${describeRule(context.rule)}: ${message} (target ${profile.target}, profile ${profile.profile})`));
}

function renderExpression(expression: Expression, context: RenderContext): string | undefined {
  const { dialect } = context;
  switch (expression.kind) {
    case 'constant':
      return dialect.constant(expression.value);
    case 'not': {
      const operand = renderExpression(expression.operand, context);
      return operand === undefined ? undefined : dialect.not(operand);
    }
    case 'and':
    case 'or': {
      const parts = expression.operands.map((operand) => renderExpression(operand, context));
      if (parts.some((part) => part === undefined)) return undefined;
      return expression.kind === 'and' ? dialect.and(parts as string[]) : dialect.or(parts as string[]);
    }
    case 'item':
      return renderItem(expression, context);
  }
}

function renderItem(test: ItemTest, context: RenderContext): string | undefined {
  const { source } = context;
  const field = test.item.field;
  let name: string | undefined;
  if (field !== undefined) {
    const resolved = source.resolveField(field);
    if (resolved === undefined) {
      reportProblem(context, test.item.key, `item ${describeItem(test)}: the field ${field} has no name in this target (add it to ${context.profile.file ?? 'the profile'})`);
      return undefined;
    }
    if ('unavailable' in resolved) throw new Error('absent fields are folded before rendering');
    name = resolved.name;
  }
  const rendered = context.dialect.renderItem(test, {
    field: name,
    resolve: (other) => {
      const resolved = source.resolveField(other);
      return resolved !== undefined && 'name' in resolved ? resolved.name : undefined;
    },
  });
  if (isProblem(rendered)) {
    reportProblem(context, rendered.at ?? test.item.key, `item ${describeItem(test)}: ${rendered.problem}`);
    return undefined;
  }
  return rendered.text;
}

/**
 * Replaces the items on fields the source never has by the engine's verdict on an event without them,
 * folding the constants away, and notes each.
 */
function foldAbsentFields(expression: Expression, source: ProfileSource, placeholders: PlaceholderValues, notes: Set<string>): Expression {
  switch (expression.kind) {
    case 'constant':
      return expression;
    case 'not':
      return notOf(foldAbsentFields(expression.operand, source, placeholders, notes));
    case 'and':
      return andOf(expression.operands.map((operand) => foldAbsentFields(operand, source, placeholders, notes)));
    case 'or':
      return orOf(expression.operands.map((operand) => foldAbsentFields(operand, source, placeholders, notes)));
    case 'item': {
      const field = expression.item.field;
      const resolved = field === undefined ? undefined : source.resolveField(field);
      if (resolved === undefined || !('unavailable' in resolved)) return expression;
      const verdict = judgeAbsentField(expression, placeholders);
      if (verdict === undefined) return expression;
      notes.add(`${field as string} is not in this source (${resolved.unavailable}): item ${describeItem(expression)} is written as ${verdict}, the engine's verdict on an event without it`);
      return { kind: 'constant', value: verdict };
    }
  }
}

/** The fields, whole event and field names a condition reads, in the target's names. */
function describeReads(expressions: readonly Expression[], source: ProfileSource): Pick<ConvertedQuery, 'columns' | 'reads'> {
  const columns = new Set<string>();
  let record = false;
  let keys = false;
  const nameOf = (field: string): string | undefined => {
    const resolved = source.resolveField(field);
    return resolved !== undefined && 'name' in resolved ? resolved.name : undefined;
  };
  const visitValue = (value: SigmaValue): void => {
    if (value.kind === 'fieldref') {
      const name = nameOf(value.field);
      if (name !== undefined) columns.add(name);
    } else if (value.kind === 'exists') keys = true;
    else if (value.kind === 'expansion') value.values.forEach(visitValue);
  };
  for (const test of expressions.flatMap(collectItemTests)) {
    if (test.item.field === undefined) record = true;
    else {
      const name = nameOf(test.item.field);
      if (name !== undefined) columns.add(name);
    }
    test.values.forEach(visitValue);
  }
  return { columns: [...columns], reads: { record, keys } };
}

/**
 * Converts one detection rule, tuned by its filters, into a query of a profile. Returns no query when
 * any part cannot be written exactly; the diagnostics say which. A target with several dialects (SPL's
 * search language, then its where form) takes the first that writes the whole rule.
 */
export function convertRule(rule: SigmaRule, profile: TargetProfile, options: ConvertOptions = {}): { query?: ConvertedQuery; diagnostics: Diagnostic[] } {
  const source = profile.findSource(rule.logsource);
  if (source === undefined) {
    const logsource = Object.entries(rule.logsource).map(([key, value]) => `${key}: ${String(value)}`).join(', ');
    return {
      diagnostics: [createDiagnostic(rule.file, rule.source.locate(['logsource']), 'convert/no-source', 'error',
        `rule ${describeRule(rule)}: target ${profile.target}, profile ${profile.profile} has no source for the log source (${logsource})${profile.file ? `; add one to ${profile.file}` : ''}`)],
    };
  }
  const placeholders = options.placeholders ?? getDefaultPlaceholders();
  const sections = [
    { file: rule.file, built: buildExpression(rule.detection, placeholders) },
    ...(options.filters ?? []).map((filter) => ({ file: filter.file, built: buildExpression(filter.detection, placeholders) })),
  ];
  const problems: Diagnostic[] = [];
  for (const section of sections) {
    for (const problem of section.built.problems) {
      problems.push(createDiagnostic(section.file, problem.at.position, problem.code, 'error',
        `rule ${describeRule(rule)}: ${problem.message} (target ${profile.target}, profile ${profile.profile})`));
    }
  }
  if (problems.length > 0) return { diagnostics: problems };
  const notes = new Set<string>();
  // A filter's condition is ANDed to the rule's (Sigma filters spec; src/compile/apply-filters.ts).
  const parts = sections.map((section) => ({ file: section.file, expression: foldAbsentFields(section.built.expression, source, placeholders, notes) }));
  let diagnostics: Diagnostic[] = [];
  for (const choice of listDialects(profile.target)) {
    diagnostics = [];
    const rendered: string[] = [];
    for (const part of parts) {
      const context: RenderContext = { rule, file: part.file, profile, source, dialect: choice.dialect, placeholders, diagnostics, notes };
      const text = renderExpression(part.expression, context);
      if (text !== undefined) rendered.push(text);
    }
    if (diagnostics.length > 0) continue;
    const constant = parts.map((part) => part.expression).find((expression) => expression.kind === 'constant' && !expression.value);
    const condition = constant ? choice.dialect.constant(false) : rendered.length === 1 ? (rendered[0] as string) : choice.dialect.and(rendered);
    const filters = (options.filters ?? []).map((filter) => filter.id ?? filter.file);
    const noteList = [...notes];
    const text = writeQuery(profile, source, condition, { ruleId: rule.id, title: rule.title, file: rule.file, filters, notes: noteList }, choice);
    const reads = describeReads(parts.map((part) => part.expression), source);
    return {
      query: { target: profile.target, profile: profile.profile, ruleId: rule.id, title: rule.title, file: rule.file, text, condition, notes: noteList, filters, ...reads },
      diagnostics: [],
    };
  }
  return { diagnostics };
}
