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

interface FormatEntry {
  readonly extension: Rendering['extension'];
  readonly fields: readonly ProcessCreationField[];
  readonly render: (event: ProcessCreation, options: RenderOptions) => string;
}

// In the order `renderings` returns them; the property runner rotates through this order.
const FORMATS: Readonly<Record<RenderingFormat, FormatEntry>> = {
  'sysmon-xml': { extension: '.xml', fields: ALL_FIELDS, render: renderSysmonXml },
  'security-4688-v2-xml': { extension: '.xml', fields: SECURITY_V2_FIELDS, render: (event, options) => renderSecurity4688Xml(event, 2, options) },
  'security-4688-v1-xml': { extension: '.xml', fields: SECURITY_V1_FIELDS, render: (event, options) => renderSecurity4688Xml(event, 1, options) },
  'security-4688-v0-xml': { extension: '.xml', fields: SECURITY_V0_FIELDS, render: (event, options) => renderSecurity4688Xml(event, 0, options) },
  'sysmon-evtx-json': { extension: '.json', fields: ALL_FIELDS, render: renderSysmonEvtxJson },
  'security-4688-evtx-json': { extension: '.json', fields: SECURITY_V2_FIELDS, render: (event, options) => renderSecurity4688EvtxJson(event, 2, options) },
  'winlogbeat-ecs-json': { extension: '.json', fields: ECS_FIELDS, render: renderWinlogbeatEcsJson },
  'flat-json': { extension: '.json', fields: ALL_FIELDS, render: (event) => renderFlatJson(event) },
};

/** Every format a process creation is rendered to, in a fixed order. */
export const RENDERING_FORMATS = Object.keys(FORMATS) as readonly RenderingFormat[];

/** Renders one process creation to one format. */
export function renderAs(event: ProcessCreation, format: RenderingFormat, options: RenderOptions = {}): Rendering {
  const { extension, fields, render } = FORMATS[format];
  return { format, extension, text: render(event, options), fields };
}

/** Renders one process creation to every format, each with its format name, extension and carried fields. */
export function renderings(event: ProcessCreation, options: RenderOptions = {}): Rendering[] {
  return RENDERING_FORMATS.map((format) => renderAs(event, format, options));
}
