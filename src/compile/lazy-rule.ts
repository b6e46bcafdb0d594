/**
 * A compiled rule whose closures are built on first use. A scan of a large pack evaluates only the
 * rules whose requirements an event meets, so most rules of a pack are never evaluated on a given
 * input; when their requirements are already known (from a cache of an earlier compilation of the
 * same text, src/scan/rule-cache.ts), parsing and compiling them can wait until they are needed.
 */
import type { SigmaRule } from '../model/rule.js';
import { compileRule, type CompiledRule, type CompileOptions } from './compile-rule.js';
import type { EventRecord } from './event-record.js';
import type { RuleExplanation } from './explanation.js';
import type { Requirements } from './needles.js';

/** What is known of a rule without parsing it again. */
export interface KnownRule {
  readonly requirements: Requirements;
  readonly needles?: readonly string[];
}

/**
 * A rule that `loadRule` parses and `compileRule` compiles on first use; both must succeed, since the
 * caller knows the same text compiled before (a failure then is a programmer error, and throws).
 */
export function createLazyRule(loadRule: () => SigmaRule, options: CompileOptions, known: KnownRule): CompiledRule {
  let rule: SigmaRule | undefined;
  let compiled: CompiledRule | undefined;
  const getRule = (): SigmaRule => (rule ??= loadRule());
  const getCompiled = (): CompiledRule => {
    if (compiled === undefined) {
      const result = compileRule(getRule(), options);
      if (result.compiled === undefined) throw new Error(`rule ${getRule().file} no longer compiles, though its text did before`);
      compiled = result.compiled;
    }
    return compiled;
  };
  return {
    get rule(): SigmaRule {
      return getRule();
    },
    matches: (event: EventRecord): boolean => getCompiled().matches(event),
    detect: (bound: EventRecord): boolean => getCompiled().detect(bound),
    explain: (event: EventRecord): RuleExplanation => getCompiled().explain(event),
    requirements: known.requirements,
    ...(known.needles !== undefined ? { needles: known.needles } : {}),
    ...(options.bindings !== undefined ? { bindings: options.bindings } : {}),
  };
}
