import { PROCESS_CREATION_FIELDS, type ProcessCreation, type ProcessCreationField } from '../process-tree.js';
import { renderWinlogbeatEcsJson } from './ecs-json.js';
import { renderSecurity4688EvtxJson, renderSysmonEvtxJson } from './evtx-json.js';
import { renderFlatJson } from './flat-json.js';
import type { RenderOptions } from './windows-event.js';
import { renderSecurity4688Xml, renderSysmonXml } from './xml.js';

/** The formats a process creation is rendered to. */
export type RenderingFormat =
  | 'sysmon-xml'
  | 'security-4688-v2-xml'
  | 'security-4688-v1-xml'
  | 'security-4688-v0-xml'
  | 'sysmon-evtx-json'
  | 'security-4688-evtx-json'
  | 'winlogbeat-ecs-json'
  | 'flat-json';

/** One rendering of an event: its format, the file extension it is stored under, and its text. */
export interface Rendering {
  readonly format: RenderingFormat;
  readonly extension: '.xml' | '.json';
  readonly text: string;
  /** The Sigma fields whose values this format carries (4688 lacks most; v0 even the command line). */
  readonly fields: readonly ProcessCreationField[];
}

const ALL_FIELDS: readonly ProcessCreationField[] = PROCESS_CREATION_FIELDS;
// What Security 4688 carries, by version: NewProcessName is Image, ProcessId the parent's pid,
// ParentProcessName (version 2) ParentImage.
const SECURITY_V0_FIELDS: readonly ProcessCreationField[] = ['Image', 'ProcessId', 'ParentProcessId', 'Computer'];
const SECURITY_V1_FIELDS: readonly ProcessCreationField[] = [...SECURITY_V0_FIELDS, 'CommandLine'];
const SECURITY_V2_FIELDS: readonly ProcessCreationField[] = [...SECURITY_V1_FIELDS, 'ParentImage'];
// Winlogbeat turns UtcTime into @timestamp and splits Hashes, so those two no longer read back as such.
const ECS_FIELDS: readonly ProcessCreationField[] = ALL_FIELDS.filter(
  (field) => field !== 'UtcTime' && field !== 'Hashes',
);

/** Renders one process creation to every format, each with its format name, extension and carried fields. */
export function renderings(event: ProcessCreation, options: RenderOptions = {}): Rendering[] {
  return [
    { format: 'sysmon-xml', extension: '.xml', text: renderSysmonXml(event, options), fields: ALL_FIELDS },
    {
      format: 'security-4688-v2-xml',
      extension: '.xml',
      text: renderSecurity4688Xml(event, 2, options),
      fields: SECURITY_V2_FIELDS,
    },
    {
      format: 'security-4688-v1-xml',
      extension: '.xml',
      text: renderSecurity4688Xml(event, 1, options),
      fields: SECURITY_V1_FIELDS,
    },
    {
      format: 'security-4688-v0-xml',
      extension: '.xml',
      text: renderSecurity4688Xml(event, 0, options),
      fields: SECURITY_V0_FIELDS,
    },
    { format: 'sysmon-evtx-json', extension: '.json', text: renderSysmonEvtxJson(event, options), fields: ALL_FIELDS },
    {
      format: 'security-4688-evtx-json',
      extension: '.json',
      text: renderSecurity4688EvtxJson(event, 2, options),
      fields: SECURITY_V2_FIELDS,
    },
    {
      format: 'winlogbeat-ecs-json',
      extension: '.json',
      text: renderWinlogbeatEcsJson(event, options),
      fields: ECS_FIELDS,
    },
    { format: 'flat-json', extension: '.json', text: renderFlatJson(event), fields: ALL_FIELDS },
  ];
}
