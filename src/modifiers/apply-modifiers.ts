/**
 * Applies a modifier chain to an item's values, in the order written (spec "Value Modifiers": "The
 * value modifiers are applied in the given order to the value"), collecting every problem.
 */
import type { SigmaValue } from '../model/detection.js';
import type { ItemFlags, ModifierContext, ModifierResult, ValueModifier } from './modifier.js';
import { isModifierId, modifierRegistry } from './registry.js';
import { parseSigmaString } from './sigma-string.js';

/** A problem with the chain (at the key) or with one value (at `valueIndex`). */
export interface ModifierProblem {
  readonly code: string;
  readonly severity: 'error' | 'warning';
  readonly message: string;
  /** Index of the value the problem is about; undefined when it is about the key. */
  readonly valueIndex?: number;
}

/** The item's values after the chain (undefined where a value was refused), its flags and the problems. */
export interface AppliedModifiers extends ItemFlags {
  readonly values: readonly (SigmaValue | undefined)[];
  readonly problems: readonly ModifierProblem[];
}

/** Turns a YAML scalar into its unmodified Sigma value, or undefined when it is not a scalar. */
export function createInitialValue(raw: unknown): SigmaValue | undefined {
  if (typeof raw === 'string') return parseSigmaString(raw);
  if (typeof raw === 'number' && Number.isFinite(raw)) return { kind: 'number', value: raw };
  if (typeof raw === 'boolean') return { kind: 'boolean', value: raw };
  if (raw === null) return { kind: 'null' };
  return undefined;
}

/** Applies a value modifier to a value; expansions get it member by member, as pySigma does. */
function applyToValue(modifier: ValueModifier, value: SigmaValue, context: ModifierContext): ModifierResult {
  if (value.kind !== 'expansion') return modifier.apply(value, context);
  const values: SigmaValue[] = [];
  for (const member of value.values) {
    const result = applyToValue(modifier, member, context);
    if (!result.ok) return result;
    // A nested expansion is still one OR group: flatten it into this one.
    if (result.value.kind === 'expansion') values.push(...result.value.values);
    else values.push(result.value);
  }
  return { ok: true, value: { kind: 'expansion', values } };
}

const STRING_MATCHERS = new Set(['contains', 'startswith', 'endswith']);

/**
 * Applies `chain` (the modifiers after the field name) to the raw YAML values of one item.
 * `fromList` says the values were written as a YAML list, which the null-in-list lint needs.
 */
export function applyModifierChain(
  field: string | undefined,
  chain: readonly string[],
  rawValues: readonly unknown[],
  fromList: boolean,
): AppliedModifiers {
  const problems: ModifierProblem[] = [];
  let flags: ItemFlags = { linking: 'or', negated: false };
  const unknown = chain.filter((id) => !isModifierId(id));
  for (const id of unknown) {
    const known = Object.keys(modifierRegistry).join(', ');
    problems.push({
      code: 'modifier/unknown',
      severity: 'error',
      message: id === '' ? `empty modifier name (a doubled '|'?)` : `unknown modifier '${id}' (Sigma v2.1 knows: ${known})`,
    });
  }
  if (unknown.length > 0) return { ...flags, values: rawValues.map(() => undefined), problems };

  const values: (SigmaValue | undefined)[] = rawValues.map((raw, valueIndex) => {
    const value = createInitialValue(raw);
    if (value === undefined) {
      const kind = Array.isArray(raw) ? 'a nested list' : 'a mapping';
      problems.push({ code: 'value/invalid-type', severity: 'error', message: `a value must be a string, number, boolean or null, not ${kind}`, valueIndex });
    }
    return value;
  });

  chain.forEach((id, position) => {
    if (!isModifierId(id)) return;
    const modifier = modifierRegistry[id];
    if (modifier.scope === 'item') {
      flags = modifier.apply(flags);
      return;
    }
    const applied = chain.slice(0, position);
    values.forEach((value, valueIndex) => {
      if (value === undefined) return;
      const result = applyToValue(modifier, value, { field, applied, chain, raw: rawValues[valueIndex] });
      if (result.ok) {
        values[valueIndex] = result.value;
      } else {
        values[valueIndex] = undefined;
        problems.push({ code: result.code, severity: 'error', message: result.message, valueIndex });
      }
    });
  });

  lintChain(field, chain, rawValues, fromList, flags, problems);
  return { ...flags, values, problems };
}

/** Chain lints pySigma's InvalidModifierCombinationsValidator and the appendix describe. */
function lintChain(
  field: string | undefined,
  chain: readonly string[],
  rawValues: readonly unknown[],
  fromList: boolean,
  flags: ItemFlags,
  problems: ModifierProblem[],
): void {
  if (chain.includes('base64offset') && !chain.includes('contains')) {
    problems.push({
      code: 'modifier/incompatible',
      severity: 'error',
      message: "'base64offset' needs 'contains': the encoded forms are cut at both ends, so they only ever match inside a longer text",
    });
  }
  const seen = new Set<string>();
  for (const id of chain) {
    // pySigma allows base64 twice on purpose (double encoding).
    if (seen.has(id) && id !== 'base64') {
      problems.push({ code: 'modifier/duplicate', severity: 'warning', message: `modifier '${id}' is applied more than once` });
    }
    seen.add(id);
  }
  if (flags.linking === 'and' && rawValues.length < 2) {
    problems.push({
      code: 'modifier/all-single-value',
      severity: 'warning',
      message: "'all' on a single value changes nothing; the appendix forbids it (some backends cannot support it)",
    });
  }
  if (field !== undefined && flags.linking === 'and' && rawValues.length > 1 && !chain.some((id) => STRING_MATCHERS.has(id) || id === 're' || id === 'cidr')) {
    problems.push({
      code: 'modifier/all-without-contains',
      severity: 'warning',
      message: "'all' with whole-value matching needs one field value to equal every value, which only a list-valued field can do; did you mean 'contains|all'?",
    });
  }
  if (fromList && rawValues.length > 1) {
    rawValues.forEach((raw, valueIndex) => {
      if (raw === null) {
        // Sigma specification, "Special Field Values": null is a value of its own, tested in a selection
        // of its own (`Field: null`); it is not one value among others of a list.
        problems.push({
          code: 'value/null-in-list',
          severity: 'error',
          message: 'null in a list of values (an empty list item?) is not allowed: the specification tests null in a selection of its own; write `Field: null` in a separate selection',
          valueIndex,
        });
      }
    });
  }
}
