import type { EventRecord, FieldValue } from '../compile/event-record.js';
import { setEventIdentity } from './windows-event.js';

type JsonObject = { readonly [key: string]: unknown };

const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A JSON object whose keys are already Sigma taxonomy field names (flat fixtures, DESIGN). `get` reads
 * own keys only (so `__proto__` or `constructor` never reach Object.prototype) and, for a dotted name
 * the object lacks, walks nested objects (`process.executable`). When the object carries top-level
 * `Channel` / `EventID` / `Version`, they become the record's channel, id and version, so the event is
 * gated by rule log sources like any Windows event.
 */
export class FlatRecord implements EventRecord {
  readonly channel?: string;
  readonly eventId?: number;
  readonly version?: number;

  constructor(
    readonly file: string,
    readonly index: number,
    private readonly object: JsonObject,
  ) {
    setEventIdentity(this, object['Channel'] as FieldValue, object['EventID'] as FieldValue, object['Version'] as FieldValue);
  }

  /** The value of an own key, or of a dotted path through nested objects. */
  get(field: string): FieldValue | undefined {
    const { object } = this;
    if (Object.hasOwn(object, field)) return object[field] as FieldValue;
    if (!field.includes('.')) return undefined;
    let current: unknown = object;
    for (const part of field.split('.')) {
      if (!isJsonObject(current) || !Object.hasOwn(current, part)) return undefined;
      current = current[part];
    }
    return current as FieldValue;
  }

  /** The object's own keys in source order. */
  fieldNames(): readonly string[] {
    return Object.keys(this.object);
  }
}
