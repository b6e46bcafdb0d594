/**
 * The shape every value modifier module has (Sigma specification v2.1, "Value Modifiers"). As in pySigma,
 * modifiers transform values; they never match events.
 */
import type { SigmaValue } from '../model/detection.js';

/** What a modifier may know about the item it is applied in. */
export interface ModifierContext {
  /** The field of the item, undefined for keyword lists. */
  readonly field: string | undefined;
  /** Modifiers of the chain applied before this one, in order. */
  readonly applied: readonly string[];
  /** The whole chain as written. */
  readonly chain: readonly string[];
  /** The value as the YAML document holds it, before any modifier. */
  readonly raw: unknown;
}

/** A modifier's verdict: the transformed value, or why the value cannot take this modifier. */
export type ModifierResult =
  | { readonly ok: true; readonly value: SigmaValue }
  | { readonly ok: false; readonly code: string; readonly message: string };

/** A modifier that transforms each value on its own (pySigma's SigmaValueModifier). */
export interface ValueModifier {
  readonly id: string;
  readonly scope: 'value';
  readonly description: string;
  /** Transforms one value; never called with an expansion (the chain applies it to each member). */
  apply(value: SigmaValue, context: ModifierContext): ModifierResult;
}

/** Flags a list modifier sets on the whole item (pySigma's SigmaListModifier). */
export interface ItemFlags {
  readonly linking: 'or' | 'and';
  readonly negated: boolean;
}

/** A modifier that changes how the item's values combine (`all`, `neq`). */
export interface ListModifier {
  readonly id: string;
  readonly scope: 'item';
  readonly description: string;
  apply(flags: ItemFlags): ItemFlags;
}

/** Any modifier. */
export type ModifierDefinition = ValueModifier | ListModifier;

/** A success result. */
export function succeed(value: SigmaValue): ModifierResult {
  return { ok: true, value };
}

/** An `modifier/incompatible` failure with a message naming the modifier and the value kind. */
export function reject(id: string, message: string): ModifierResult {
  return { ok: false, code: 'modifier/incompatible', message: `'${id}': ${message}` };
}

/** A short description of a value's type for messages ("a number", "a regular expression" ...). */
export function describeKind(value: SigmaValue): string {
  switch (value.kind) {
    case 'string':
      return value.encoding === 'bytes' ? 'an encoded string' : 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'null':
      return 'null';
    case 'regex':
      return 'a regular expression';
    case 'cidr':
      return 'a CIDR network';
    case 'compare':
      return 'a comparison';
    case 'exists':
      return 'an existence test';
    case 'fieldref':
      return 'a field reference';
    case 'timepart':
      return 'a time part';
    case 'expansion':
      return 'an expansion';
  }
}

/** The standard rejection for a value of the wrong type. */
export function rejectKind(id: string, value: SigmaValue, expected: string): ModifierResult {
  const hint = value.kind === 'number' && expected.includes('string') ? ' (quote the number to use it as text)' : '';
  return reject(id, `expects ${expected}, got ${describeKind(value)}${hint}`);
}
