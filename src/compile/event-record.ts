/** A field value as an event carries it. Lists appear where a source repeats a field. */
export type FieldValue = string | number | boolean | null | readonly FieldValue[] | { readonly [key: string]: FieldValue };

/**
 * A neutral event, whatever file format it came from (DESIGN: Chainsaw/Hayabusa style). This is the
 * engine's view of an event, so it lives with the engine: the readers under src/events implement it,
 * and nothing under src/compile imports the readers. The engine only ever calls `get`.
 */
export interface EventRecord {
  /** Where the event sits: its file and 0-based position N in that file (see DESIGN's contract). */
  readonly file: string;
  readonly index: number;
  /** The value of a field, or undefined when the event lacks it. Case-sensitive, as Windows names them. */
  get(field: string): FieldValue | undefined;
  /** Every field name the event carries, in source order. */
  fieldNames(): readonly string[];
  /** The Windows channel (System/Channel), when the source is a Windows event log. */
  readonly channel?: string;
  /** The Windows event id (System/EventID), when the source is a Windows event log. */
  readonly eventId?: number;
  /** The event's schema version (System/Version), when known: 4688 has versions 0, 1 and 2. */
  readonly version?: number;
}
