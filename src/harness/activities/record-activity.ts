/**
 * What the activities other than process creation share: an event is one Windows event record, judged
 * on its flat fields and rendered in four shapes; most are made by a process (the actor, drawn like the
 * root of a process tree, with the catalogue's paths, accounts and variants) acting on an entry of the
 * activity's own catalogue (a destination, a registry change, a file, a module).
 */
import fc from 'fast-check';
import type { EventRecord, FieldValue } from '../../compile/event-record.js';
import { convertRecordFlat, renderRecord, type RecordShape } from '../../../generators/render/record-renderings.js';
import type { WindowsEventRecord } from '../../../generators/render/windows-event.js';
import { describeActor, type Actor } from '../../../generators/sysmon-events.js';
import type { TaxonomyFields } from '../../../generators/taxonomy.js';
import { createIdentifier } from '../identify-process.js';
import { listScenarioEvents, processScenarioTree } from '../scenario-trees.js';
import type { Activity, ActivityEvent, ActivityName, Catalogue, DimensionKey, Identification, ResolvedSelection, ScenarioEvent } from './activity.js';
import { PROCESS_CATALOGUE } from './selection.js';

/** An activity's formats: its own names, each one of the four record shapes. */
export type FormatShapes = Readonly<Record<string, RecordShape>>;

/** The four shapes of a Sysmon event under their format names. */
export const SYSMON_FORMATS: FormatShapes = {
  'sysmon-xml': 'xml',
  'sysmon-evtx-json': 'evtx-json',
  'winlogbeat-json': 'winlogbeat-json',
  'flat-json': 'flat-json',
};

/** A record as an activity event: its flat fields and its renderings by format name. */
export function describeRecordEvent(record: WindowsEventRecord, formats: FormatShapes): ActivityEvent {
  let fields: Readonly<Record<string, string | number>> | undefined;
  return {
    get fields() {
      return (fields ??= convertRecordFlat(record));
    },
    render(format) {
      const shape = formats[format];
      if (shape === undefined) throw new Error(`no format ${format} (formats: ${Object.keys(formats).join(', ')})`);
      return { format, extension: shape === 'xml' ? '.xml' : '.json', text: renderRecord(record, shape) };
    },
  };
}

/** A field's first value as text. */
export const readField = (record: EventRecord, field: string): string | undefined => {
  const value: FieldValue | undefined = record.get(field);
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : typeof first === 'number' || typeof first === 'boolean' ? String(first) : undefined;
};

/** Generated actors of a selection: each the root of a one-process tree, with its identity. */
export function actorOf(selection: ResolvedSelection): fc.Arbitrary<{ actor: Actor; identity: string }> {
  return processScenarioTree({ parents: selection }, {}).map((tree) => {
    const [root] = listScenarioEvents(tree);
    if (root === undefined) throw new Error('a process tree without a root');
    return { actor: describeActor(root.creation), identity: root.identity };
  });
}

/** An object catalogue entry with what generating and identifying it takes. */
export interface ObjectKind<Entry, Value> {
  readonly catalogue: Catalogue;
  /** Generated values of one entry. */
  valueOf(entry: Entry): fc.Arbitrary<Value>;
  /** The entry of an event read back (already in Sigma field names); undefined when the event lacks what tells it. */
  identify(record: EventRecord): Identification | undefined;
}

/** How to build an actor activity: its names, its object dimension and its record. */
export interface ActorActivityOptions<Entry extends { readonly name: string }, Value> {
  readonly name: ActivityName;
  readonly title: string;
  readonly categories: readonly string[];
  readonly objectKey: DimensionKey;
  readonly objectLabel: string;
  readonly entries: readonly Entry[];
  readonly objects: ObjectKind<Entry, Value>;
  readonly keyFields: readonly string[];
  /** The event id of an entry's events, when the activity spans several. */
  readonly eventIdOf?: (entry: Entry) => number;
  buildRecord(actor: Actor, value: Value): WindowsEventRecord;
  fromTaxonomy(fields: TaxonomyFields, index: number): WindowsEventRecord;
}

/**
 * An activity whose events are a process acting on an entry of another catalogue: spaces select
 * `processes` and the object dimension; a sample is 1 to `maxEvents` (default 3) independent events.
 */
export function createActorActivity<Entry extends { readonly name: string }, Value>(options: ActorActivityOptions<Entry, Value>): Activity {
  const formats = SYSMON_FORMATS;
  const valuesByName = new Map<string, fc.Arbitrary<Value>>();
  const valuesOf = (entry: Entry): fc.Arbitrary<Value> => {
    let values = valuesByName.get(entry.name);
    if (values === undefined) {
      values = options.objects.valueOf(entry);
      valuesByName.set(entry.name, values);
    }
    return values;
  };
  const entryByName = new Map(options.entries.map((entry) => [entry.name, entry]));
  return {
    name: options.name,
    title: options.title,
    categories: options.categories,
    dimensions: [
      { key: 'processes', label: 'process', catalogue: PROCESS_CATALOGUE },
      { key: options.objectKey, label: options.objectLabel, catalogue: options.objects.catalogue },
    ],
    backgroundDimensions: 2,
    formats: Object.keys(formats),
    keyFields: ['Image', 'User', ...options.keyFields],
    sample(selections, shape) {
      const processes = selections.processes;
      const objects = selections[options.objectKey];
      if (processes === undefined || objects === undefined) throw new Error(`${options.name} spaces need processes and ${options.objectKey}`);
      const chosen = objects.entries.map((entry) => entryByName.get(entry.name)).filter((entry): entry is Entry => entry !== undefined);
      const object = fc.oneof({ withCrossShrink: true }, ...chosen.map((entry) => valuesOf(entry).map((value) => ({ name: entry.name, value }))));
      const event = fc.tuple(actorOf(processes), object).map(([{ actor, identity }, { name, value }]): ScenarioEvent => ({
        event: describeRecordEvent(options.buildRecord(actor, value), formats),
        identities: [identity, name],
      }));
      return fc.array(event, { minLength: 1, maxLength: shape.maxEvents ?? 3 }).map((events) => ({ events }));
    },
    fromTaxonomy: (fields, index) => describeRecordEvent(options.fromTaxonomy(fields, index), formats),
    createIdentifier(variants) {
      const identifyProcess = createIdentifier(variants);
      const known = new Set([...PROCESS_CATALOGUE.entries.map((entry) => entry.name), ...variants.map((variant) => variant.name)]);
      // Every event of the log source is of the activity: one missing what tells its object is unknown, never dropped.
      return (record) => {
        const object = options.objects.identify(record) ?? { unknown: `the event shows no ${options.objectLabel}` };
        const image = readField(record, 'Image');
        const process = identifyProcess({ image, accounts: [readField(record, 'User')] });
        // These events show the image's name only: a program the catalogue does not know by name may be
        // a renamed copy of one it knows, so its place in the spec cannot be told.
        const told: Identification = 'identity' in process && !known.has(process.identity)
          ? { unknown: `${image ?? '?'} is no program the catalogue knows by name, and ${options.title} events show no version resource to tell a renamed copy` }
          : process;
        return [told, object];
      };
    },
    ...(options.eventIdOf === undefined
      ? {}
      : {
          eventIdsOf: (names: readonly string[]) => {
            const eventIdOf = options.eventIdOf as (entry: Entry) => number;
            return [...new Set(names.flatMap((name) => {
              const entry = entryByName.get(name);
              return entry === undefined ? [] : [eventIdOf(entry)];
            }))];
          },
        }),
  };
}
