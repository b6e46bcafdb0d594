import type { EventRecord, FieldValue } from '../compile/event-record.js';
import type { LogSource } from '../model/rule.js';
import { FIELD_CONVERTERS, type FieldConverterName } from './field-converters.js';

export type { LogSource } from '../model/rule.js';

/** How a source provides one Sigma field (mappings/*.yml `fields:`). */
export type FieldRule =
  | { readonly kind: 'rename'; readonly from: string }
  | { readonly kind: 'convert'; readonly from: string; readonly convert: FieldConverterName }
  | { readonly kind: 'join'; readonly parts: readonly string[]; readonly separator: string };

/** A Sigma field a source cannot provide, on every event version or only on those listed. */
export interface UnavailableField {
  readonly field: string;
  readonly reason: string;
  readonly versions?: readonly number[];
}

/** Reads one Sigma field from an event of the source. */
export type FieldGetter = (event: EventRecord) => FieldValue | undefined;

/**
 * One event source of a log source (e.g. Security 4688 for process_creation/windows): its precondition
 * and field renames as written, plus lookups precomputed at load so binding an event costs a few
 * set look-ups (ajv's "compile once, match many").
 */
export interface SourceBinding {
  readonly id: string;
  readonly title: string;
  /** The log source entry this source was listed under, and the mapping file it came from. */
  readonly logsource: LogSource;
  readonly file: string;
  readonly channels?: readonly string[];
  readonly eventIds?: readonly number[];
  readonly providers?: readonly string[];
  readonly fields: ReadonlyMap<string, FieldRule>;
  readonly unavailable: readonly UnavailableField[];
  /** Channels as written and lowercased (Windows channel names ignore case); undefined admits any. */
  readonly channelSet?: ReadonlySet<string>;
  readonly eventIdSet?: ReadonlySet<number>;
  readonly providerSet?: ReadonlySet<string>;
  /** Sigma field name → getter over the source event; empty when the source already uses Sigma names. */
  readonly getters: ReadonlyMap<string, FieldGetter>;
}

/** A log source and the event sources that provide it. */
export interface MappingEntry {
  readonly logsource: LogSource;
  readonly sources: readonly SourceBinding[];
  readonly file: string;
}

/** Every log-source entry of the loaded mapping files. */
export interface Mapping {
  readonly entries: readonly MappingEntry[];
}

/** A source as mapping files write it (already checked against schemas/mapping.schema.json). */
export interface RawSource {
  readonly id: string;
  readonly title: string;
  readonly channel?: string | readonly string[];
  readonly eventIds?: readonly number[];
  readonly providers?: readonly string[];
  readonly fields?: Readonly<Record<string, string | { readonly from: string; readonly convert: FieldConverterName } | { readonly join: readonly string[]; readonly separator: string }>>;
  readonly unavailable?: readonly UnavailableField[];
}

function readFieldRule(raw: NonNullable<RawSource['fields']>[string]): FieldRule {
  if (typeof raw === 'string') return { kind: 'rename', from: raw };
  if ('join' in raw) return { kind: 'join', parts: [...raw.join], separator: raw.separator };
  return { kind: 'convert', from: raw.from, convert: raw.convert };
}

function stringifyPart(value: FieldValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Builds the getter of one field rule; conversions run only when the field is read. */
export function compileFieldRule(rule: FieldRule): FieldGetter {
  switch (rule.kind) {
    case 'rename': {
      const { from } = rule;
      return (event) => event.get(from);
    }
    case 'convert': {
      const { from } = rule;
      const convert = FIELD_CONVERTERS[rule.convert];
      return (event) => {
        const value = event.get(from);
        return value === undefined ? undefined : convert(value);
      };
    }
    case 'join': {
      const { parts, separator } = rule;
      return (event) => {
        const present: string[] = [];
        for (const part of parts) {
          const value = event.get(part);
          if (value !== undefined && value !== null && value !== '') present.push(stringifyPart(value));
        }
        return present.length === 0 ? undefined : present.join(separator);
      };
    }
  }
}

/** Compiles a source as written into a binding with its lookups precomputed. */
export function compileSourceBinding(raw: RawSource, logsource: LogSource, file: string): SourceBinding {
  const channels = raw.channel === undefined ? undefined : typeof raw.channel === 'string' ? [raw.channel] : [...raw.channel];
  const fields = new Map<string, FieldRule>();
  const getters = new Map<string, FieldGetter>();
  for (const [name, rawRule] of Object.entries(raw.fields ?? {})) {
    const rule = readFieldRule(rawRule);
    fields.set(name, rule);
    // A rename onto the same name is the identity: no getter, so the event can be used as it is.
    if (!(rule.kind === 'rename' && rule.from === name)) getters.set(name, compileFieldRule(rule));
  }
  return {
    id: raw.id,
    title: raw.title,
    logsource,
    file,
    ...(channels ? { channels, channelSet: new Set([...channels, ...channels.map((c) => c.toLowerCase())]) } : {}),
    ...(raw.eventIds ? { eventIds: [...raw.eventIds], eventIdSet: new Set(raw.eventIds) } : {}),
    ...(raw.providers ? { providers: [...raw.providers], providerSet: new Set(raw.providers.map((p) => p.toLowerCase())) } : {}),
    fields,
    unavailable: (raw.unavailable ?? []).map((u) => ({ ...u })),
    getters,
  };
}
