import { formatAccountName, type Account } from './users.js';
import { describeGuid, describeAccount, readNumber, readText, readTime, type TaxonomyFields } from './taxonomy.js';
import { formatUtcTime, type ProcessCreation } from './process-tree.js';
import { SYSMON_PROVIDER_GUID, type EventDataItem, type WindowsEventRecord } from './render/windows-event.js';

/**
 * What Sysmon's events other than process creation share: the process that acted (its image, GUID, id
 * and account) and the System header of Microsoft-Windows-Sysmon/Operational. Generated actors are the
 * roots of generated process trees, so they carry the catalogue's paths, accounts and hosts.
 */

/** The process behind an event: who connected, wrote the file, set the value or loaded the module. */
export interface Actor {
  readonly image: string;
  readonly processGuid: string;
  readonly processId: number;
  /** The account as Sysmon writes it: DOMAIN\name. */
  readonly user: string;
  readonly account: Account;
  /** The Computer field: FQDN on a domain. */
  readonly computer: string;
  /** When the process started; its events come later. */
  readonly startMs: number;
}

/** The actor of a generated process creation: the process it created. */
export function describeActor(creation: ProcessCreation): Actor {
  return {
    image: creation.Image,
    processGuid: creation.ProcessGuid,
    processId: creation.ProcessId,
    user: creation.User,
    account: creation.context.account,
    computer: creation.Computer,
    startMs: creation.context.timeMs,
  };
}

/** The actor a taxonomy event names (Image, ProcessGuid, ProcessId, User, Computer); Image defaults to System. */
export function describeTaxonomyActor(fields: TaxonomyFields, index: number): Actor {
  const image = readText(fields, 'Image') ?? 'System';
  const account = describeAccount(readText(fields, 'User'));
  return {
    image,
    processGuid: readText(fields, 'ProcessGuid') ?? describeGuid(`actor ${index} ${image}`),
    processId: readNumber(fields, 'ProcessId') ?? 4000 + index * 8,
    user: readText(fields, 'User') ?? formatAccountName(account),
    account,
    computer: readText(fields, 'Computer') ?? 'WEB01.contoso.local',
    startMs: readTime(fields) - 60_000,
  };
}

/** How long after its process started an event happens, in milliseconds. */
export const ACTION_DELAY_MS = 1_250;

/**
 * The record of a Sysmon event by `actor`, `delayMs` after it started: the System header Sysmon writes
 * (provider, task = event id, SYSTEM as the user, the Sysmon service's process) and `data` after
 * RuleName.
 */
export function createSysmonRecord(eventId: number, version: number, actor: Actor, delayMs: number, data: readonly EventDataItem[]): WindowsEventRecord {
  const timeMs = actor.startMs + delayMs;
  return {
    providerName: 'Microsoft-Windows-Sysmon',
    providerGuid: SYSMON_PROVIDER_GUID,
    eventId,
    version,
    level: 4,
    task: eventId,
    opcode: 0,
    keywords: '0x8000000000000000',
    timeCreatedMs: timeMs + 9,
    timeCreatedTicks: (actor.processId * 7919 + eventId) % 10_000,
    recordId: 20_000 + Math.floor(actor.processId / 4) + eventId,
    executionProcessId: 2644,
    executionThreadId: 3788,
    channel: 'Microsoft-Windows-Sysmon/Operational',
    computer: actor.computer,
    userId: 'S-1-5-18',
    data: [{ name: 'RuleName', type: 'string', value: '-' }, { name: 'UtcTime', type: 'string', value: formatUtcTime(timeMs) }, ...data],
  };
}

/** The EventData items that name the actor: ProcessGuid, ProcessId, Image. */
export function describeActorItems(actor: Actor): EventDataItem[] {
  return [
    { name: 'ProcessGuid', type: 'guid', value: actor.processGuid },
    { name: 'ProcessId', type: 'uint32', value: actor.processId },
    { name: 'Image', type: 'string', value: actor.image },
  ];
}
