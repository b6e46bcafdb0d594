/**
 * The rule templates `dac new` starts from, one per log-source category: where SigmaHQ keeps such
 * rules and how it names them, the log source, a detection skeleton whose CHANGE-ME values are the
 * author's to replace, and the scenario-spec activity that describes the category's events.
 */
import type { ActivityName } from '../harness/activities/activity.js';

/** One template. */
export interface RuleTemplate {
  readonly name: string;
  /** What rules of the template watch, for `dac new --list`. */
  readonly summary: string;
  /** The folder under the rules folder, and the file-name prefix SigmaHQ uses there. */
  readonly folder: string;
  readonly prefix: string;
  readonly logsource: { readonly category?: string; readonly product: string; readonly service?: string };
  /** The detection section's lines below `detection:` (two-space indented), placeholders included. */
  readonly detection: readonly string[];
  /** The activity of the category's scenario spec, when the generators know it. */
  readonly activity?: ActivityName;
}

const REGISTRY_DETECTION = [
  '  selection:',
  '    # The key or value, as Sysmon writes TargetObject (HKLM\\System\\CurrentControlSet\\...).',
  "    TargetObject|endswith: '\\CHANGE-ME'",
  '  condition: selection',
];

/** The templates, by name. */
export const RULE_TEMPLATES: readonly RuleTemplate[] = [
  {
    name: 'process_creation',
    summary: 'process creations (Sysmon 1, Security 4688)',
    folder: 'windows/process_creation',
    prefix: 'proc_creation_win_',
    logsource: { category: 'process_creation', product: 'windows' },
    detection: [
      '  selection_image:',
      '    # The program by its path, and by its version resource: OriginalFileName sees through renamed copies.',
      "    - Image|endswith: '\\CHANGE-ME.exe'",
      "    - OriginalFileName: 'CHANGE-ME.exe'",
      '  selection_cli:',
      "    CommandLine|contains: 'CHANGE-ME'",
      '  condition: all of selection_*',
    ],
    activity: 'process_creation',
  },
  {
    name: 'network_connection',
    summary: 'network connections (Sysmon 3)',
    folder: 'windows/network_connection',
    prefix: 'net_connection_win_',
    logsource: { category: 'network_connection', product: 'windows' },
    detection: [
      '  selection:',
      "    Image|endswith: '\\CHANGE-ME.exe'",
      "    Initiated: 'true'",
      '    DestinationPort: 4444',
      '  condition: selection',
    ],
    activity: 'network_connection',
  },
  {
    name: 'registry_set',
    summary: 'registry values set (Sysmon 13)',
    folder: 'windows/registry/registry_set',
    prefix: 'registry_set_',
    logsource: { category: 'registry_set', product: 'windows' },
    detection: [...REGISTRY_DETECTION.slice(0, 3), "    Details: 'DWORD (0x00000001)'", REGISTRY_DETECTION[3] as string],
    activity: 'registry',
  },
  {
    name: 'registry_add',
    summary: 'registry keys and values created (Sysmon 12)',
    folder: 'windows/registry/registry_add',
    prefix: 'registry_add_',
    logsource: { category: 'registry_add', product: 'windows' },
    detection: [REGISTRY_DETECTION[0] as string, "    EventType: 'CreateKey'", ...REGISTRY_DETECTION.slice(1)],
    activity: 'registry',
  },
  {
    name: 'registry_delete',
    summary: 'registry keys and values deleted (Sysmon 12)',
    folder: 'windows/registry/registry_delete',
    prefix: 'registry_delete_',
    logsource: { category: 'registry_delete', product: 'windows' },
    detection: [REGISTRY_DETECTION[0] as string, "    EventType: 'DeleteValue'", ...REGISTRY_DETECTION.slice(1)],
    activity: 'registry',
  },
  {
    name: 'registry_event',
    summary: 'any registry change (Sysmon 12, 13, 14)',
    folder: 'windows/registry/registry_event',
    prefix: 'registry_event_',
    logsource: { category: 'registry_event', product: 'windows' },
    detection: REGISTRY_DETECTION,
    activity: 'registry',
  },
  {
    name: 'file_event',
    summary: 'files created (Sysmon 11)',
    folder: 'windows/file/file_event',
    prefix: 'file_event_win_',
    logsource: { category: 'file_event', product: 'windows' },
    detection: [
      '  selection:',
      "    Image|endswith: '\\CHANGE-ME.exe'",
      "    TargetFilename|endswith: '.CHANGE-ME'",
      '  condition: selection',
    ],
    activity: 'file_event',
  },
  {
    name: 'image_load',
    summary: 'modules loaded (Sysmon 7)',
    folder: 'windows/image_load',
    prefix: 'image_load_',
    logsource: { category: 'image_load', product: 'windows' },
    detection: [
      '  selection_process:',
      "    Image|endswith: '\\CHANGE-ME.exe'",
      '  selection_module:',
      '    # The module by its path, and by its version resource: OriginalFileName sees through renamed copies.',
      "    - ImageLoaded|endswith: '\\CHANGE-ME.dll'",
      "    - OriginalFileName: 'CHANGE-ME.dll'",
      '  condition: all of selection_*',
    ],
    activity: 'image_load',
  },
  {
    name: 'ps_script',
    summary: 'PowerShell script blocks (event 4104)',
    folder: 'windows/powershell/powershell_script',
    prefix: 'posh_ps_',
    logsource: { category: 'ps_script', product: 'windows' },
    detection: ['  selection:', "    ScriptBlockText|contains: 'CHANGE-ME'", '  condition: selection'],
    activity: 'ps_script',
  },
  {
    name: 'security_logon',
    summary: 'logons in the Security log (events 4624, 4625)',
    folder: 'windows/builtin/security',
    prefix: 'win_security_',
    logsource: { product: 'windows', service: 'security' },
    detection: ['  selection:', '    EventID: 4624', '    LogonType: 10', "    IpAddress: 'CHANGE-ME'", '  condition: selection'],
    activity: 'logon',
  },
];

/** A template by name, any case. */
export function findTemplate(name: string): RuleTemplate | undefined {
  return RULE_TEMPLATES.find((template) => template.name === name.toLowerCase());
}
