import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../../src/compile/event-record.js';
import type { EventItem, TextEventParser } from '../../../../src/events/event-item.js';
import { NdjsonParser } from '../../../../src/events/read-ndjson.js';
import { XmlEventParser } from '../../../../src/events/read-xml.js';
import { bindEvent } from '../../../../src/mapping/bind-event.js';
import { loadMappings } from '../../../../src/mapping/load-mappings.js';
import { resolveLogSource } from '../../../../src/mapping/resolve-log-source.js';
import type { Activity, SpaceSelections } from '../../../../src/harness/activities/activity.js';
import { ACTIVITIES, findActivityOfLogSource } from '../../../../src/harness/activities/registry.js';
import { listTags, resolveSelector } from '../../../../src/harness/activities/selection.js';

const repoRoot = fileURLToPath(new URL('../../../../', import.meta.url));
const { mappings } = await loadMappings(join(repoRoot, 'mappings'));

/** The log source each activity's events are read back under. */
const LOG_SOURCES = {
  process_creation: { category: 'process_creation', product: 'windows' },
  network_connection: { category: 'network_connection', product: 'windows' },
  registry: { category: 'registry_event', product: 'windows' },
  file_event: { category: 'file_event', product: 'windows' },
  image_load: { category: 'image_load', product: 'windows' },
  ps_script: { category: 'ps_script', product: 'windows' },
  logon: { service: 'security', product: 'windows' },
} as const;

// Processes an event other than a process creation can identify by its Image alone: not a generic
// runtime (java.exe runs many programs), not a renamed copy (its name says nothing).
const ACTORS = { tags: ['web-server', 'shell', 'background', 'registry-editor', 'remote-desktop', 'tunnel', 'deployment', 'iis-admin', 'remote-access-tool'], exclude: ['java.exe', 'node.exe'] };

function selectEverything(activity: Activity): SpaceSelections {
  const selections: Record<string, ReturnType<typeof resolveSelector>> = {};
  for (const dimension of activity.dimensions) {
    selections[dimension.key] = dimension.catalogue.processes
      ? resolveSelector(
          // A renamed parent shows only its name (Sysmon 1 has no parent OriginalFileName): renamed copies
          // are identified as children, in the test below.
          activity.name === 'process_creation' ? { tags: [...listTags(dimension.catalogue)].filter((tag) => tag !== 'renamed'), exclude: ['java.exe', 'node.exe'] } : ACTORS,
          [],
          dimension.catalogue,
        )
      : resolveSelector({ tags: [...listTags(dimension.catalogue)] }, [], dimension.catalogue);
  }
  return selections;
}

function readBack(extension: string, text: string): EventRecord {
  const parser: TextEventParser = extension === '.xml' ? new XmlEventParser('generated.xml') : new NdjsonParser('generated.ndjson');
  const items: EventItem[] = [...parser.feed({ text: `${text}\n`, invalidOffsets: [] }), ...parser.end()];
  const [item] = items;
  if (item?.kind !== 'event' || items.length !== 1) throw new Error(`read back ${items.length} items: ${JSON.stringify(items[0])}`);
  return item.record;
}

// GUIDs are written {lower} in XML and UPPER without braces by evtx_dump; both name the same GUID.
const normalize = (value: unknown): string => String(value).toLowerCase().replace(/[{}]/g, '');

describe('activities', () => {
  it('are found from the rule log sources they serve', () => {
    for (const [name, logsource] of Object.entries(LOG_SOURCES)) expect(findActivityOfLogSource(logsource)?.name).toBe(name);
    expect(findActivityOfLogSource({ category: 'registry_set', product: 'windows' })).toBe(ACTIVITIES.registry);
    expect(findActivityOfLogSource({ category: 'driver_load', product: 'windows' })).toBeUndefined();
    expect(findActivityOfLogSource({ product: 'windows' })).toBeUndefined();
  });

  for (const activity of Object.values(ACTIVITIES)) {
    const bindings = resolveLogSource(mappings, LOG_SOURCES[activity.name]);
    const samples = activity.sample(selectEverything(activity), {});
    it(`${activity.name}: every rendering reads back through the real readers with the event's fields, and identifies as generated`, () => {
      const identify = activity.createIdentifier([]);
      fc.assert(
        fc.property(samples, (sample) => {
          for (const { event, identities } of sample.events) {
            for (const format of activity.formats) {
              const rendering = event.render(format);
              const bound = bindEvent(readBack(rendering.extension, rendering.text), bindings);
              expect(bound, `${format} is of the activity's log source`).toBeDefined();
              if (bound === undefined) continue;
              // Process creations' renderings say which fields they carry (4688 lacks most, ECS splits
              // the hashes); renderings.prop.test.ts checks each. The others carry every field.
              const carried = (rendering as { fields?: readonly string[] }).fields;
              const complete = activity.name !== 'process_creation' || !format.startsWith('security');
              if (complete) {
                for (const [field, value] of Object.entries(event.fields)) {
                  if (carried !== undefined && !carried.includes(field)) continue;
                  if (format === 'security-v0-xml' && bound.get(field) === undefined) continue;
                  expect({ format, field, value: normalize(bound.get(field)) }).toEqual({ format, field, value: normalize(value) });
                }
                expect(identify(bound)).toEqual(identities.map((identity) => ({ identity })));
              }
            }
          }
        }),
        { numRuns: 60, seed: 15 },
      );
    });
  }

  it('identifies renamed copies of programs by their OriginalFileName and hashes, in process creations', () => {
    const activity = ACTIVITIES.process_creation;
    const parents = resolveSelector({ names: ['w3wp.exe', 'explorer.exe'] }, []);
    const children = resolveSelector({ tags: ['renamed'] }, []);
    const identify = activity.createIdentifier([]);
    fc.assert(
      fc.property(activity.sample({ parents, children }, {}), (sample) => {
        for (const { event, identities } of sample.events) {
          const bound = bindEvent(readBack('.xml', event.render('sysmon-xml').text), resolveLogSource(mappings, LOG_SOURCES.process_creation));
          expect(bound && identify(bound)).toEqual(identities.map((identity) => ({ identity })));
        }
      }),
      { numRuns: 40, seed: 15 },
    );
    expect(children.ids.size).toBeGreaterThan(3);
  });
});
