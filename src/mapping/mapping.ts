import type { EventRecord, FieldValue } from '../compile/event-record.js';
import type { LogSource } from '../model/rule.js';
import { FIELD_CONVERTERS, type FieldConverterName } from './field-converters.js';

export type { LogSource } from '../model/rule.js';

/** The fields of an event that name one account: its SID, domain and user name. */
export interface AccountFields {
  readonly sid: string;
  readonly domain: string;
  readonly name: string;
}

/** How a source provides one Sigma field (mappings/*.yml `fields:`). */
export type FieldRule =
  | { readonly kind: 'rename'; readonly from: string }
  | { readonly kind: 'convert'; readonly from: string; readonly convert: FieldConverterName }
  | { readonly kind: 'join'; readonly parts: readonly string[]; readonly separator: string }
  | { readonly kind: 'first'; readonly from: readonly string[]; readonly unless: readonly string[] }
  | { readonly kind: 'account'; readonly accounts: readonly AccountFields[] };

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
  readonly fields?: Readonly<Record<string, RawFieldRule>>;
  readonly unavailable?: readonly UnavailableField[];
}

/** A field rule as mapping files write it (see schemas/mapping.schema.json). */
export type RawFieldRule =
  | string
  | { readonly from: string; readonly convert: FieldConverterName }
  | { readonly join: readonly string[]; readonly separator: string }
  | { readonly first: readonly string[]; readonly unless?: readonly string[] }
  | { readonly account: readonly AccountFields[] };

function readFieldRule(raw: RawFieldRule): FieldRule {
  if (typeof raw === 'string') return { kind: 'rename', from: raw };
  if ('join' in raw) return { kind: 'join', parts: [...raw.join], separator: raw.separator };
  if ('first' in raw) return { kind: 'first', from: [...raw.first], unless: [...(raw.unless ?? [])] };
  if ('account' in raw) return { kind: 'account', accounts: raw.account.map((account) => ({ ...account })) };
  return { kind: 'convert', from: raw.from, convert: raw.convert };
}

/**
 * The well-known service accounts (Microsoft, "Well-known SIDs"): the Security log names them by the
 * computer account (`DOMAIN\HOST$`) where Sysmon, and the SigmaHQ rules written against it, say
 * `NT AUTHORITY\SYSTEM`.
 */
const WELL_KNOWN_ACCOUNTS: ReadonlyMap<string, string> = new Map([
  ['S-1-5-18', 'NT AUTHORITY\\SYSTEM'],
  ['S-1-5-19', 'NT AUTHORITY\\LOCAL SERVICE'],
  ['S-1-5-20', 'NT AUTHORITY\\NETWORK SERVICE'],
]);

/** The SID the Security log writes where an account section holds no account. */
const NULL_SID = 'S-1-0-0';

const firstText = (value: FieldValue | undefined): string | undefined => {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : typeof first === 'number' ? String(first) : undefined;
};

/**
 * Reads an account as `DOMAIN\name` from the first of several SID/domain/name triples the event fills
 * (a null SID and a `-` name mean the section is empty), and a well-known service SID as its
 * `NT AUTHORITY` name.
 */
export function readAccount(event: EventRecord, accounts: readonly AccountFields[]): string | undefined {
  for (const account of accounts) {
    const sid = firstText(event.get(account.sid));
    const name = firstText(event.get(account.name));
    const domain = firstText(event.get(account.domain));
    const known = sid === undefined ? undefined : WELL_KNOWN_ACCOUNTS.get(sid.toUpperCase());
    if (known !== undefined) return known;
    const hasName = name !== undefined && name !== '' && name !== '-';
    if (!hasName) continue;
    if (sid !== undefined && sid.toUpperCase() === NULL_SID) continue;
    return domain !== undefined && domain !== '' && domain !== '-' ? `${domain}\\${name}` : name;
  }
  return undefined;
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
    case 'first': {
      const { from, unless } = rule;
      const skipped = new Set(unless.map((value) => value.toLowerCase()));
      return (event) => {
        for (const field of from) {
          const value = event.get(field);
          if (value === undefined || value === null || value === '') continue;
          const text = firstText(value);
          if (text !== undefined && skipped.has(text.toLowerCase())) continue;
          return value;
        }
        return undefined;
      };
    }
    case 'account': {
      const { accounts } = rule;
      return (event) => readAccount(event, accounts);
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
