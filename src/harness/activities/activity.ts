/**
 * What a scenario spec can describe: an *activity* is one kind of event a rule's log source records
 * (process creations, network connections, registry changes, ...). It names the dimensions a space
 * selects along (for process creations: parents and children; for network connections: processes and
 * destinations), the catalogue each dimension selects from, how to generate a space's events with their
 * ground truth, every format an event is rendered to, how to build an event from Sigma taxonomy fields
 * (golden YAML events), and how to tell the identities of an event read from a file (the inverse of
 * generation, for captures). The property runner, the spec checks and `dac predict` know activities only
 * through this interface.
 */
import type fc from 'fast-check';
import type { EventRecord } from '../../compile/event-record.js';

/** The keys spaces select along, over every activity. */
export type DimensionKey = 'parents' | 'children' | 'processes' | 'destinations' | 'keys' | 'files' | 'modules' | 'scripts' | 'logons';

/** The activities scenario specs know, by the name a spec's `activity` gives. */
export type ActivityName = 'process_creation' | 'network_connection' | 'registry' | 'file_event' | 'image_load' | 'ps_script' | 'logon';

/** An entry of a catalogue a dimension selects from: a unique name and role tags. */
export interface CatalogueEntry {
  readonly name: string;
  readonly roles: readonly string[];
  readonly note?: string;
}

/** A catalogue: the entries a dimension selects by name or tag. */
export interface Catalogue {
  /** What the entries are, for messages ("process", "destination", ...). */
  readonly noun: string;
  /** Where the catalogue is written, for messages. */
  readonly source: string;
  readonly entries: readonly CatalogueEntry[];
  /** An entry by name, any case. */
  find(name: string): CatalogueEntry | undefined;
  /** True for the process catalogue: the spec's variants extend it. */
  readonly processes: boolean;
}

/** One dimension of an activity's spaces. */
export interface Dimension {
  readonly key: DimensionKey;
  /** What one identity of the dimension is, for messages ("parent", "process", "destination"). */
  readonly label: string;
  readonly catalogue: Catalogue;
}

/** One rendering of an event: its format, the extension it is read back under, and its text. */
export interface ActivityRendering {
  readonly format: string;
  readonly extension: '.xml' | '.json';
  readonly text: string;
}

/** An event of an activity, generated or built from taxonomy fields, ready to be judged and rendered. */
export interface ActivityEvent {
  /**
   * The event's full set of fields in Sigma taxonomy names: what the rule's logic is judged on before
   * any rendering. Activities whose log sources share a channel add `Channel` and `EventID`, so the
   * fields are gated by log source like a real event.
   */
  readonly fields: Readonly<Record<string, string | number>>;
  /** Renders the event in one of its activity's formats. */
  render(format: string): ActivityRendering;
}

/** A generated event with the identity of each dimension's entry (catalogue names or variant names). */
export interface ScenarioEvent {
  readonly event: ActivityEvent;
  readonly identities: readonly string[];
}

/** One generated input of a space: a process tree's creations, or a few independent events. */
export interface ScenarioSample {
  readonly events: readonly ScenarioEvent[];
}

/** An identity, or why there is none. */
export type Identification = { readonly identity: string } | { readonly unknown: string };

/** What generating a space needs: its resolved selections and shape. */
export interface SpaceShape {
  readonly depth?: number;
  readonly minChildren?: number;
  readonly maxChildren?: number;
  readonly maxEvents?: number;
}

/** One kind of event a scenario spec describes. */
export interface Activity {
  readonly name: ActivityName;
  /** What one of its events is, for messages (plural: with an s): "process creation". */
  readonly title: string;
  /** The Sigma log-source categories whose events it generates. */
  readonly categories: readonly string[];
  /** The Sigma log-source services whose rules it serves (Security logons: `security`). */
  readonly services?: readonly string[];
  /** The dimensions a space selects along, in identity order. */
  readonly dimensions: readonly Dimension[];
  /** How many dimensions a background space must give (process trees may be a root alone). */
  readonly backgroundDimensions: number;
  /** Every format an event is rendered to; the property runner rotates through them. */
  readonly formats: readonly string[];
  /** Fields worth showing when a property fails. */
  readonly keyFields: readonly string[];
  /**
   * Generated samples of a space: `selections` holds, per dimension, the catalogue entries and variants
   * selected (descendants: process trees only).
   */
  sample(selections: SpaceSelections, shape: SpaceShape): fc.Arbitrary<ScenarioSample>;
  /** Builds an event from Sigma taxonomy fields (a golden YAML event), filling what it does not give. */
  fromTaxonomy(fields: Readonly<Record<string, string | number>>, index: number): ActivityEvent;
  /**
   * A function that identifies events read from files: the identity per dimension, or why one cannot
   * be told; undefined only for an event of the log source that is not of the activity (a Security event
   * that is no logon). An event of the activity missing what identification reads is unknown, not dropped.
   * `record` is already seen through the rule's mapping (Sigma field names).
   */
  createIdentifier(variants: readonly ProcessVariant[]): (record: EventRecord) => readonly Identification[] | undefined;
  /** The event ids of the events a selection of the last dimension generates (registry: 12, 13 or 14). */
  eventIdsOf?(names: readonly string[]): readonly number[];
}

/** A process the catalogue does not have, derived from a catalogue entry (scenario spec `variants`). */
export interface ProcessVariant {
  readonly name: string;
  /** The catalogue entry it derives from. */
  readonly of: string;
  /** A look-alike image file name: another program. */
  readonly fileName?: string;
  /** Arguments replacing the entry's typical ones. */
  readonly arguments?: readonly string[];
  /** For w3wp.exe: the application pool, run under its own identity. */
  readonly appPool?: string;
}

/** A selection resolved against a catalogue and the spec's variants. */
export interface ResolvedSelection {
  /** Identities: entry names and variant names. */
  readonly ids: ReadonlySet<string>;
  readonly entries: readonly CatalogueEntry[];
  readonly variants: readonly ProcessVariant[];
}

/** A space's selections, resolved, by dimension key (plus `descendants` for process trees). */
export type SpaceSelections = Readonly<Partial<Record<DimensionKey | 'descendants', ResolvedSelection>>>;
