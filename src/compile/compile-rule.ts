/**
 * Compiles a parsed Sigma rule into closures, once per rule (ajv's "compile once, match many"): values
 * become tests, search identifiers become AND/OR trees of item tests, and the condition becomes a tree
 * of closures over the identifiers. No code is generated from rule text.
 */
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { EventRecord } from './event-record.js';
import type { ConditionNode } from '../model/condition.js';
import type { DetectionItem, DetectionNode } from '../model/detection.js';
import { formatValue } from '../model/detection.js';
import type { SigmaRule } from '../model/rule.js';
import { selectIdentifiers } from '../parse/condition.js';
import { compileValue, type PlaceholderValues, type ValueTest } from './compile-value.js';
import type { IdentifierExplanation, ItemExplanation, RuleExplanation } from './explanation.js';
import { FieldView } from './field-view.js';
import { computeNeedles, computeRequirements, type Requirements } from './needles.js';
import { getDefaultPlaceholders } from './placeholders.js';
import { bindEvent } from '../mapping/bind-event.js';
import type { SourceBinding } from '../mapping/mapping.js';

/** A rule compiled into a matcher. */
export interface CompiledRule {
  readonly rule: SigmaRule;
  /** True when the event satisfies the rule's condition (after log-source binding). */
  matches(event: EventRecord): boolean;
  /** Why: per search identifier whether it matched, per detection item which values matched on which fields. */
  explain(event: EventRecord): RuleExplanation;
  /**
   * Literal needles (lowercased) of which at least one must occur in an event's raw text for the rule to
   * possibly match, or undefined when no such set exists (prefiltering). Precisely: one occurs in the
   * case-folded text of some event value; raw text holds it as its format escapes it (JSON: `\\`).
   */
  readonly needles?: readonly string[];
  /**
   * What an event must hold, as literal text per field, for the rule to possibly match (./needles.ts):
   * clauses of atoms, all clauses needed, one atom per clause. Empty when nothing is known. Atoms are
   * checked on the event as `bindings` present it.
   */
  readonly requirements: Requirements;
  /** The event sources of the rule's log source (`CompileOptions.bindings`); undefined: events are taken as they are. */
  readonly bindings?: readonly SourceBinding[];
  /**
   * The condition alone, on an event already seen through `bindings` (`bindEvent`): `matches(event)` is
   * `detect(bindEvent(event, bindings))` when the event binds, false when it does not. Lets a scan bind
   * an event once for all the rules of one log source.
   */
  detect(bound: EventRecord): boolean;
}

/** Options of `compileRule`. */
export interface CompileOptions {
  /** Values of `%placeholders%` for `expand`; defaults to config/placeholders.yml. */
  readonly placeholders?: PlaceholderValues;
  /**
   * The event sources of the rule's log source (`resolveLogSource`). When given, binding is an extra AND
   * clause in front of the condition (DESIGN): events of other sources never match, and events of a
   * mapped source are seen through its field renames. Without it, every event is taken as it is.
   */
  readonly bindings?: readonly SourceBinding[];
}

type Evaluate = (event: EventRecord) => boolean;

interface CompiledItem {
  readonly item: DetectionItem;
  readonly tests: readonly ValueTest[];
  readonly evaluate: Evaluate;
}

/** Every value of every field, for keyword searches (spec "Keywords search": across an entire event). */
function createKeywordView(event: EventRecord): FieldView {
  const values = event.fieldNames().map((name) => event.get(name) ?? null);
  return new FieldView(values, true);
}

function createView(item: DetectionItem, event: EventRecord): FieldView {
  return item.field === undefined ? createKeywordView(event) : new FieldView(event.get(item.field));
}

function linkTests(item: DetectionItem, tests: readonly ValueTest[]): Evaluate {
  const { negated } = item;
  const field = item.field;
  const single = tests.length === 1 ? tests[0] : undefined;
  if (field !== undefined && single !== undefined) {
    // The common shape, kept free of loops and extra allocations.
    return negated
      ? (event) => !single(new FieldView(event.get(field)), event)
      : (event) => single(new FieldView(event.get(field)), event);
  }
  if (item.linking === 'and') {
    return (event) => {
      const view = createView(item, event);
      let all = true;
      for (const test of tests) {
        if (!test(view, event)) {
          all = false;
          break;
        }
      }
      return all !== negated;
    };
  }
  return (event) => {
    const view = createView(item, event);
    let any = false;
    for (const test of tests) {
      if (test(view, event)) {
        any = true;
        break;
      }
    }
    return any !== negated;
  };
}

class RuleCompiler {
  readonly diagnostics: Diagnostic[] = [];
  readonly items: CompiledItem[] = [];

  constructor(
    private readonly rule: SigmaRule,
    private readonly placeholders: PlaceholderValues,
  ) {}

  compileItem(item: DetectionItem): CompiledItem | undefined {
    const tests: ValueTest[] = [];
    let ok = true;
    item.values.forEach((value, index) => {
      const compiled = compileValue(value, { placeholders: this.placeholders, keyword: item.field === undefined });
      if (compiled.test) {
        tests.push(compiled.test);
        return;
      }
      ok = false;
      const position = (item.valueRefs[index] ?? item.key).position;
      const problem = compiled.problem ?? { code: 'value/invalid', message: 'the value cannot be compiled' };
      this.diagnostics.push(createDiagnostic(this.rule.file, position, problem.code, 'error', problem.message));
    });
    if (!ok) return undefined;
    const compiled = { item, tests, evaluate: linkTests(item, tests) };
    this.items.push(compiled);
    return compiled;
  }

  compileNode(node: DetectionNode): { evaluate?: Evaluate; items: CompiledItem[] } {
    if (node.kind === 'item') {
      const compiled = this.compileItem(node);
      return compiled ? { evaluate: compiled.evaluate, items: [compiled] } : { items: [] };
    }
    const parts = node.items.map((child) => this.compileNode(child));
    const items = parts.flatMap((part) => part.items);
    if (parts.some((part) => part.evaluate === undefined)) return { items };
    const evaluators = parts.map((part) => part.evaluate as Evaluate);
    if (node.kind === 'and') {
      return {
        items,
        evaluate: (event) => {
          for (const evaluate of evaluators) if (!evaluate(event)) return false;
          return true;
        },
      };
    }
    return {
      items,
      evaluate: (event) => {
        for (const evaluate of evaluators) if (evaluate(event)) return true;
        return false;
      },
    };
  }
}

function compileCondition(node: ConditionNode, identifiers: ReadonlyMap<string, Evaluate>, names: readonly string[]): Evaluate {
  switch (node.kind) {
    case 'identifier': {
      const evaluate = identifiers.get(node.name);
      // parseDetection rejects undefined identifiers; an unknown one can only be a programmer error.
      if (!evaluate) throw new Error(`condition names unknown identifier '${node.name}'`);
      return evaluate;
    }
    case 'not': {
      const operand = compileCondition(node.operand, identifiers, names);
      return (event) => !operand(event);
    }
    case 'and': {
      const operands = node.operands.map((operand) => compileCondition(operand, identifiers, names));
      return (event) => {
        for (const operand of operands) if (!operand(event)) return false;
        return true;
      };
    }
    case 'or': {
      const operands = node.operands.map((operand) => compileCondition(operand, identifiers, names));
      return (event) => {
        for (const operand of operands) if (operand(event)) return true;
        return false;
      };
    }
    case 'of': {
      const selected = selectIdentifiers(node.target, names).map((name) => identifiers.get(name) as Evaluate);
      const needed = node.quantifier === 'all' ? selected.length : node.quantifier;
      // `all of` nothing cannot happen (parseDetection rejects empty selections), but stay false if it did.
      if (selected.length === 0 || needed > selected.length) return () => false;
      return (event) => {
        let count = 0;
        for (const evaluate of selected) {
          if (evaluate(event)) {
            count += 1;
            if (count >= needed) return true;
          } else if (node.quantifier === 'all') {
            return false;
          }
        }
        return false;
      };
    }
  }
}

function explainItem(compiled: CompiledItem, event: EventRecord): ItemExplanation {
  const { item, tests } = compiled;
  const valueResults = tests.map((test, index) => {
    let fields: string[];
    if (item.field === undefined) {
      fields = event.fieldNames().filter((name) => test(new FieldView(event.get(name), true), event));
    } else {
      fields = test(new FieldView(event.get(item.field)), event) ? [item.field] : [];
    }
    const matched = item.field === undefined ? fields.length > 0 : fields.length === 1;
    const value = item.values[index];
    return {
      value: item.originals[index] ?? (value ? formatValue(value) : ''),
      matched,
      fields,
      source: item.valueRefs[index] ?? item.key,
    };
  });
  return {
    field: item.field,
    modifiers: item.modifiers,
    linking: item.linking,
    negated: item.negated,
    matched: compiled.evaluate(event),
    values: valueResults,
    source: item.key,
  };
}

/**
 * Compiles a rule. Problems found only now (unknown placeholders, expansion limits) are diagnostics at
 * the value; a rule with any such problem yields no matcher.
 */
export function compileRule(rule: SigmaRule, options: CompileOptions = {}): { compiled?: CompiledRule; diagnostics: Diagnostic[] } {
  const compiler = new RuleCompiler(rule, options.placeholders ?? getDefaultPlaceholders());
  const { detection } = rule;
  const names = [...detection.identifiers.keys()];
  const identifierEvaluators = new Map<string, Evaluate>();
  const identifierItems = new Map<string, CompiledItem[]>();
  let ok = true;
  for (const [name, identifier] of detection.identifiers) {
    const { evaluate, items } = compiler.compileNode(identifier.body);
    identifierItems.set(name, items);
    if (evaluate) identifierEvaluators.set(name, evaluate);
    else ok = false;
  }
  if (!ok || detection.conditions.length === 0) return { diagnostics: compiler.diagnostics };

  const conditions = detection.conditions.map((condition) => compileCondition(condition.ast, identifierEvaluators, names));
  const single = conditions.length === 1 ? conditions[0] : undefined;
  const detect: Evaluate = single ?? ((event) => conditions.some((condition) => condition(event)));
  const bindings = options.bindings;
  const matches: Evaluate = bindings
    ? (event) => {
        const bound = bindEvent(event, bindings);
        return bound !== undefined && detect(bound);
      }
    : detect;

  const explain = (event: EventRecord): RuleExplanation => {
    const bound = bindings ? bindEvent(event, bindings) : event;
    const target = bound ?? event;
    const identifiers: IdentifierExplanation[] = names.map((name) => ({
      name,
      matched: (identifierEvaluators.get(name) as Evaluate)(target),
      items: (identifierItems.get(name) ?? []).map((item) => explainItem(item, target)),
    }));
    return { matched: bound !== undefined && detect(target), logsource: bound !== undefined, identifiers };
  };

  // Values a mapping converts or joins are not in the event's raw text: no raw needles may come from them.
  const converted = new Set<string>();
  for (const binding of bindings ?? []) {
    for (const [field, fieldRule] of binding.fields) if (fieldRule.kind !== 'rename') converted.add(field);
  }
  const needles = computeNeedles(detection, converted);
  const requirements = computeRequirements(detection, 'value');
  const compiled: CompiledRule = {
    rule,
    matches,
    explain,
    detect,
    requirements,
    ...(needles !== undefined ? { needles } : {}),
    ...(bindings !== undefined ? { bindings } : {}),
  };
  return { compiled, diagnostics: compiler.diagnostics };
}
