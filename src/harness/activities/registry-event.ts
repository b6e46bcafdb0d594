/**
 * Registry changes (Sysmon 12, 13, 14): spaces select the processes that change the registry and the
 * kinds of change (generators/catalog/registry.ts); an event is identified by its Image and by its
 * change type, key and data. One activity serves every registry category: registry_set rules see the
 * 13s, registry_add and registry_delete the 12s, registry_rename the 14s, registry_event all three.
 */
import { REGISTRY_CHANGES } from '../../../generators/catalog/registry.js';
import { buildRegistryRecord, describeTaxonomyRegistryChange, identifyRegistryChange, registryChangeOf, registryEventId } from '../../../generators/registry-change.js';
import type { RegistryEventType } from '../../../generators/catalog/registry.js';
import { createActorActivity, readField } from './record-activity.js';
import { createCatalogue } from './selection.js';

const EVENT_TYPES: readonly RegistryEventType[] = ['CreateKey', 'DeleteKey', 'DeleteValue', 'SetValue', 'RenameKey'];

/** Registry changes: processes and keys. */
export const REGISTRY_EVENT = createActorActivity({
  name: 'registry',
  title: 'registry change',
  categories: ['registry_set', 'registry_add', 'registry_delete', 'registry_rename', 'registry_event'],
  objectKey: 'keys',
  objectLabel: 'registry change',
  entries: REGISTRY_CHANGES,
  keyFields: ['EventType', 'TargetObject', 'Details'],
  eventIdOf: (entry) => registryEventId(entry.eventType),
  objects: {
    catalogue: createCatalogue('registry change', 'generators/catalog/registry.ts', REGISTRY_CHANGES),
    valueOf: registryChangeOf,
    identify(record) {
      const targetObject = readField(record, 'TargetObject');
      const written = readField(record, 'EventType');
      const eventType = EVENT_TYPES.find((type) => type.toLowerCase() === written?.toLowerCase());
      if (targetObject === undefined || eventType === undefined) return undefined;
      const details = readField(record, 'Details');
      const entry = identifyRegistryChange({ eventType, targetObject, ...(details === undefined ? {} : { details }) });
      return { identity: entry?.name ?? `${eventType} ${targetObject} (not in the catalogue)` };
    },
  },
  buildRecord: (actor, change) => buildRegistryRecord({ actor, change }),
  fromTaxonomy: (fields, index) => buildRegistryRecord(describeTaxonomyRegistryChange(fields, index)),
});
