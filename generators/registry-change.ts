import fc from 'fast-check';
import { REGISTRY_CHANGES, type RegistryEntry, type RegistryEventType } from './catalog/registry.js';
import { applyCasing, segmentCasing } from './paths.js';
import { ACTION_DELAY_MS, createSysmonRecord, describeActorItems, describeTaxonomyActor, type Actor } from './sysmon-events.js';
import { readText, type TaxonomyFields } from './taxonomy.js';
import type { WindowsEventRecord } from './render/windows-event.js';

/**
 * Registry changes as Sysmon events 12 (key or value created or deleted), 13 (value set) and 14 (key
 * renamed) record them. The same key is reached by several spellings Windows treats alike: any case,
 * and the current control set by its number (ControlSet001), as tools that read the hive files write it.
 */

/** The change part of a registry event: its type, key or value, data and new name. */
export interface RegistryChangeValue {
  readonly eventType: RegistryEventType;
  readonly targetObject: string;
  readonly details?: string;
  readonly newName?: string;
}

/** A registry change made by a process. */
export interface RegistryChange {
  readonly actor: Actor;
  readonly change: RegistryChangeValue;
}

const EVENT_IDS: Readonly<Record<RegistryEventType, number>> = { CreateKey: 12, DeleteKey: 12, DeleteValue: 12, SetValue: 13, RenameKey: 14 };

/** The Sysmon event id of a change type: 12, 13 or 14. */
export function registryEventId(eventType: RegistryEventType): number {
  return EVENT_IDS[eventType];
}

const USER_SIDS = ['S-1-5-21-1377283216-344919071-3415362939-1104', 'S-1-5-21-3461203602-4096304019-2269080069-1000', 'S-1-5-18'];
const PROGRAM_NAMES = ['ContosoAgent', 'Updater', 'OneDriveSetup', 'SecurityHealth', 'WinRM', 'Spooler', 'RemoteRegistry'];

/** A key spelled as Windows and the tools that log it may: each segment's case, the control set's name. */
function spellTarget(target: string): fc.Arbitrary<string> {
  return fc
    .record({ controlSet: fc.constantFrom('CurrentControlSet', 'ControlSet001'), casing: segmentCasing, user: fc.constantFrom(...USER_SIDS), name: fc.constantFrom(...PROGRAM_NAMES) })
    .map(({ controlSet, casing, user, name }) => {
      const filled = target.replace('{user}', user).replace('{name}', name).replace('\\CurrentControlSet\\', `\\${controlSet}\\`);
      // The hive root keeps Sysmon's spelling (HKLM, HKU); the rest may be in any case.
      const slash = filled.indexOf('\\');
      return `${filled.slice(0, slash)}${applyCasing(filled.slice(slash), casing)}`;
    });
}

/** Generated changes of one registry entry. */
export function registryChangeOf(entry: RegistryEntry): fc.Arbitrary<RegistryChangeValue> {
  const target = fc.constantFrom(...entry.targets).chain(spellTarget);
  const details = entry.details === undefined ? fc.constant(undefined) : fc.constantFrom(...entry.details);
  return fc.tuple(target, details).map(([targetObject, value]) => ({
    eventType: entry.eventType,
    targetObject,
    ...(value === undefined ? {} : { details: value }),
    ...(entry.eventType === 'RenameKey' ? { newName: `${targetObject.slice(0, targetObject.lastIndexOf('\\') + 1)}Old` } : {}),
  }));
}

/** The Sysmon event 12, 13 or 14 record (version 2) of a change. */
export function buildRegistryRecord({ actor, change }: RegistryChange): WindowsEventRecord {
  return createSysmonRecord(registryEventId(change.eventType), 2, actor, ACTION_DELAY_MS, [
    { name: 'EventType', type: 'string', value: change.eventType },
    ...describeActorItems(actor),
    { name: 'TargetObject', type: 'string', value: change.targetObject },
    ...(change.eventType === 'SetValue' ? [{ name: 'Details', type: 'string' as const, value: change.details ?? '' }] : []),
    ...(change.eventType === 'RenameKey' ? [{ name: 'NewName', type: 'string' as const, value: change.newName ?? '' }] : []),
    { name: 'User', type: 'string', value: actor.user },
  ]);
}

/** A change from Sigma taxonomy fields: TargetObject is required; EventType defaults to SetValue. */
export function describeTaxonomyRegistryChange(fields: TaxonomyFields, index: number): RegistryChange {
  const targetObject = readText(fields, 'TargetObject');
  if (targetObject === undefined) throw new Error('a registry change needs a TargetObject');
  const written = readText(fields, 'EventType');
  const eventType = (Object.keys(EVENT_IDS) as RegistryEventType[]).find((type) => type.toLowerCase() === written?.toLowerCase()) ?? 'SetValue';
  const details = readText(fields, 'Details');
  const newName = readText(fields, 'NewName');
  return {
    actor: describeTaxonomyActor(fields, index),
    change: { eventType, targetObject, ...(details === undefined ? {} : { details }), ...(newName === undefined ? {} : { newName }) },
  };
}

/** A TargetObject as the catalogue's `matches` reads it: lower case, control set and user SIDs generalised. */
export function normalizeTargetObject(target: string): string {
  return target
    .toLowerCase()
    .replace(/\\controlset\d{3}\\/, '\\currentcontrolset\\')
    .replace(/^(hku|hkey_users)\\s-1-[\d-]+(_classes)?\\/, 'hku\\{user}\\')
    .replace(/^hkey_local_machine\\/, 'hklm\\');
}

/** The catalogue entry of a change (the inverse of `registryChangeOf`), or undefined. */
export function identifyRegistryChange(change: RegistryChangeValue): RegistryEntry | undefined {
  const target = normalizeTargetObject(change.targetObject);
  return REGISTRY_CHANGES.find((entry) => entry.eventType === change.eventType && entry.matches(target, change.details));
}
