/**
 * The detection section of a Sigma rule as plain readonly data (Sigma specification v2.1, "Detection"),
 * in the spirit of pySigma's object model: modifiers have already transformed the values, nothing here
 * matches anything. Every item keeps the YAML path and position of its key and values so diagnostics and
 * coverage reports can point at lines.
 */
import type { ConditionNode } from './condition.js';
import type { Position } from '../diagnostics/diagnostic.js';
import type { YamlPath } from '../load/yaml.js';

export type { YamlPath };

/** Where a piece of the detection came from: its YAML path and 1-based position. */
export interface SourceRef {
  readonly path: YamlPath;
  readonly position: Position;
}

/**
 * One part of a Sigma string pattern (spec "String Wildcard", "Escape Character"):
 * literal text, `*`, `?`, a set of interchangeable alternatives at one position (windash), or an
 * `%expand%` placeholder.
 */
export type StringPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'one' }
  | { readonly kind: 'alternatives'; readonly options: readonly string[] }
  | { readonly kind: 'placeholder'; readonly name: string };

/**
 * A string value with wildcards. `encoding` is `bytes` after a UTF-16 modifier: each character then
 * stands for one byte (0-255), which is what the base64 modifiers must encode.
 */
export interface StringValue {
  readonly kind: 'string';
  readonly parts: readonly StringPart[];
  readonly cased: boolean;
  readonly encoding: 'text' | 'bytes';
}

/** A YAML number (spec "Maps": the value is a string or integer value). */
export interface NumberValue {
  readonly kind: 'number';
  readonly value: number;
}

/** A YAML boolean. */
export interface BooleanValue {
  readonly kind: 'boolean';
  readonly value: boolean;
}

/** `null`: matches a missing field or a null value (spec "Special Field Values"). */
export interface NullValue {
  readonly kind: 'null';
}

/**
 * A regular expression from `|re`, with the `i`, `m`, `s` sub-modifiers as flags. `placeholders` is set
 * by `expand`: `%name%` in the pattern then stands for the placeholder's values.
 */
export interface RegexValue {
  readonly kind: 'regex';
  readonly pattern: string;
  readonly flags: { readonly i: boolean; readonly m: boolean; readonly s: boolean };
  readonly placeholders: boolean;
}

/** An IPv4 or IPv6 network from `|cidr`; `address` holds the network's bytes (4 or 16). */
export interface CidrValue {
  readonly kind: 'cidr';
  readonly text: string;
  readonly version: 4 | 6;
  readonly address: readonly number[];
  readonly prefix: number;
}

/** A numeric comparison from `|gt`, `|gte`, `|lt`, `|lte`. */
export interface CompareValue {
  readonly kind: 'compare';
  readonly op: 'gt' | 'gte' | 'lt' | 'lte';
  readonly value: number;
}

/** A field presence test from `|exists`. */
export interface ExistsValue {
  readonly kind: 'exists';
  readonly value: boolean;
}

/** A reference to another field of the same event from `|fieldref`, optionally as prefix/suffix/infix. */
export interface FieldRefValue {
  readonly kind: 'fieldref';
  readonly field: string;
  readonly startsWith: boolean;
  readonly endsWith: boolean;
  readonly cased: boolean;
}

/** The unit a time modifier extracts from a timestamp (spec "Time Modifiers"). */
export type TimePartUnit = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'year';

/** A number compared with one part of a timestamp field, from `|minute` ... `|year`. */
export interface TimePartValue {
  readonly kind: 'timepart';
  readonly unit: TimePartUnit;
  readonly value: number;
}

/**
 * Values one rule value expanded into (base64offset, windash with encodings, placeholders). They are
 * OR-linked as one group whatever the item's linking, as pySigma's SigmaExpansion.
 */
export interface ExpansionValue {
  readonly kind: 'expansion';
  readonly values: readonly SigmaValue[];
}

/** Any value a detection item can test. */
export type SigmaValue =
  | StringValue
  | NumberValue
  | BooleanValue
  | NullValue
  | RegexValue
  | CidrValue
  | CompareValue
  | ExistsValue
  | FieldRefValue
  | TimePartValue
  | ExpansionValue;

/**
 * One `field|mod1|mod2: values` entry, or a keyword list (no field). Values are OR-linked unless the
 * `all` modifier made them AND-linked; `neq` negates the whole item (pySigma's negated item).
 */
export interface DetectionItem {
  readonly kind: 'item';
  /** The field name, or undefined for keyword searches over every field value. */
  readonly field: string | undefined;
  readonly modifiers: readonly string[];
  readonly values: readonly SigmaValue[];
  readonly linking: 'or' | 'and';
  readonly negated: boolean;
  /** Where the key (or the keyword list) is. */
  readonly key: SourceRef;
  /** Where each value is, parallel to `values`. */
  readonly valueRefs: readonly SourceRef[];
  /** The rule text of each value, for explanations. */
  readonly originals: readonly string[];
}

/** AND of the items of one map (spec "Maps"). */
export interface DetectionAnd {
  readonly kind: 'and';
  readonly items: readonly DetectionNode[];
  readonly source: SourceRef;
}

/** OR of the elements of one list (spec "Lists"). */
export interface DetectionOr {
  readonly kind: 'or';
  readonly items: readonly DetectionNode[];
  readonly source: SourceRef;
}

/** The body of a search identifier: an item, an AND of a map, an OR of a list. */
export type DetectionNode = DetectionItem | DetectionAnd | DetectionOr;

/** A named search identifier such as `selection` (spec "Search-Identifier"). */
export interface SearchIdentifier {
  readonly name: string;
  readonly body: DetectionNode;
  readonly source: SourceRef;
}

/** One condition string, parsed, with where it is. */
export interface ConditionEntry {
  readonly text: string;
  readonly ast: ConditionNode;
  readonly source: SourceRef;
}

/** The whole detection section: search identifiers and conditions (a list of conditions is OR). */
export interface Detection {
  readonly file: string;
  readonly identifiers: ReadonlyMap<string, SearchIdentifier>;
  readonly conditions: readonly ConditionEntry[];
  readonly timeframe?: string;
  readonly source: SourceRef;
}

/** Renders a string value back to its Sigma text form (wildcards as `*` and `?`, literals escaped). */
export function formatStringValue(value: StringValue): string {
  let out = '';
  for (const part of value.parts) {
    switch (part.kind) {
      case 'text':
        out += part.text.replace(/[\\*?]/g, (c) => `\\${c}`);
        break;
      case 'any':
        out += '*';
        break;
      case 'one':
        out += '?';
        break;
      case 'alternatives':
        out += `[${part.options.join('|')}]`;
        break;
      case 'placeholder':
        out += `%${part.name}%`;
        break;
    }
  }
  return out;
}

/** Renders any value in a short human form for explanations and messages. */
export function formatValue(value: SigmaValue): string {
  switch (value.kind) {
    case 'string':
      return formatStringValue(value);
    case 'number':
    case 'boolean':
      return String(value.value);
    case 'null':
      return 'null';
    case 'regex':
      return `/${value.pattern}/${value.flags.i ? 'i' : ''}${value.flags.m ? 'm' : ''}${value.flags.s ? 's' : ''}`;
    case 'cidr':
      return value.text;
    case 'compare':
      return `${value.op} ${value.value}`;
    case 'exists':
      return `exists ${value.value}`;
    case 'fieldref':
      return `field ${value.field}`;
    case 'timepart':
      return `${value.unit} ${value.value}`;
    case 'expansion':
      return `(${value.values.map(formatValue).join(' | ')})`;
  }
}
