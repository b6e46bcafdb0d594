import fc from 'fast-check';
import { SCRIPT_BLOCKS, SLOTS, type ScriptEntry } from './catalog/script-blocks.js';
import { computer, formatComputerName } from './users.js';
import { describeGuid, readNumber, readText, readTime, type TaxonomyFields } from './taxonomy.js';
import type { WindowsEventRecord } from './render/windows-event.js';

/**
 * PowerShell script blocks as event 4104 ("Creating Scriptblock text") records them, in Windows
 * PowerShell's Microsoft-Windows-PowerShell/Operational channel or PowerShell 7's
 * PowerShellCore/Operational: the text, its id, the script file it came from (empty when typed), and
 * the user it ran as in the System header. Blocks PowerShell finds suspicious are logged at level 3
 * (warning) even without script block logging; the others at level 5.
 */

/** Which PowerShell logged the block. */
export type PowerShellEdition = 'windows-powershell' | 'powershell-core';

/** One logged script block. */
export interface ScriptBlock {
  readonly text: string;
  readonly scriptBlockId: string;
  /** The script file, or '' for a block typed or passed with -Command. */
  readonly path: string;
  readonly edition: PowerShellEdition;
  readonly userSid: string;
  readonly computer: string;
  readonly timeMs: number;
  readonly warning: boolean;
}

const PROVIDERS: Readonly<Record<PowerShellEdition, { name: string; guid: string; channel: string }>> = {
  'windows-powershell': { name: 'Microsoft-Windows-PowerShell', guid: 'A0C1853B-5C40-4B15-8766-3CF1C58F985A', channel: 'Microsoft-Windows-PowerShell/Operational' },
  'powershell-core': { name: 'PowerShellCore', guid: 'F90714A8-5509-434A-BF6D-B1624C8A19A2', channel: 'PowerShellCore/Operational' },
};

const USER_SIDS = ['S-1-5-18', 'S-1-5-21-1377283216-344919071-3415362939-500', 'S-1-5-21-1377283216-344919071-3415362939-1104', 'S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415'];
const SCRIPT_PATHS = ['', '', 'C:\\Scripts\\maintenance.ps1', 'C:\\Users\\Public\\Downloads\\setup.ps1', 'C:\\Program Files\\WindowsPowerShell\\Modules\\Contoso\\Contoso.psm1'];

/** The texts of a script entry: a template with every slot filled. */
export function scriptTextOf(entry: ScriptEntry): fc.Arbitrary<string> {
  return fc.constantFrom(...entry.templates).chain((template) => {
    const names = [...new Set([...template.matchAll(/\{([a-z]+)\}/g)].map((match) => match[1] as string))];
    if (names.length === 0) return fc.constant(template);
    const values = names.map((name) => fc.constantFrom(...(entry.slots?.[name] ?? SLOTS[name] ?? [`{${name}}`])));
    return fc.tuple(...values).map((chosen) => names.reduce((text, name, index) => text.split(`{${name}}`).join(chosen[index] as string), template));
  });
}

/** Generated script blocks of one entry, on generated hosts, as various users. */
export function scriptBlockOf(entry: ScriptEntry): fc.Arbitrary<ScriptBlock> {
  return fc
    .record({
      text: scriptTextOf(entry),
      id: fc.nat(),
      path: fc.constantFrom(...SCRIPT_PATHS),
      edition: fc.constantFrom<PowerShellEdition>('windows-powershell', 'powershell-core'),
      userSid: fc.constantFrom(...USER_SIDS),
      host: computer,
      timeMs: fc.integer({ min: Date.UTC(2019, 0, 1), max: Date.UTC(2030, 0, 1) }),
      warning: fc.boolean(),
    })
    .map(({ text, id, path, edition, userSid, host, timeMs, warning }) => ({
      text,
      scriptBlockId: describeGuid(`script block ${id}`).slice(1, -1),
      path,
      edition,
      userSid,
      computer: formatComputerName(host),
      timeMs,
      warning,
    }));
}

/** The 4104 record (version 1) of a script block, logged as message 1 of 1. */
export function buildScriptBlockRecord(block: ScriptBlock): WindowsEventRecord {
  const provider = PROVIDERS[block.edition];
  return {
    providerName: provider.name,
    providerGuid: provider.guid,
    eventId: 4104,
    version: 1,
    level: block.warning ? 3 : 5,
    task: 2,
    opcode: 15,
    keywords: '0x0',
    timeCreatedMs: block.timeMs,
    timeCreatedTicks: block.text.length % 10_000,
    recordId: 1000 + (block.text.length % 50_000),
    executionProcessId: 5120,
    executionThreadId: 6044,
    channel: provider.channel,
    computer: block.computer,
    userId: block.userSid,
    data: [
      { name: 'MessageNumber', type: 'uint32', value: 1 },
      { name: 'MessageTotal', type: 'uint32', value: 1 },
      { name: 'ScriptBlockText', type: 'string', value: block.text },
      { name: 'ScriptBlockId', type: 'string', value: block.scriptBlockId },
      { name: 'Path', type: 'string', value: block.path },
    ],
  };
}

/** A script block from Sigma taxonomy fields: ScriptBlockText is required. */
export function describeTaxonomyScriptBlock(fields: TaxonomyFields, index: number): ScriptBlock {
  const text = readText(fields, 'ScriptBlockText');
  if (text === undefined) throw new Error('a script block needs a ScriptBlockText');
  const channel = readText(fields, 'Channel');
  return {
    text,
    scriptBlockId: readText(fields, 'ScriptBlockId') ?? describeGuid(`taxonomy script block ${index}`).slice(1, -1),
    path: readText(fields, 'Path') ?? '',
    edition: channel?.toLowerCase().startsWith('powershellcore') === true ? 'powershell-core' : 'windows-powershell',
    userSid: readText(fields, 'UserID') ?? 'S-1-5-21-1377283216-344919071-3415362939-1104',
    computer: readText(fields, 'Computer') ?? 'WEB01.contoso.local',
    timeMs: readTime(fields, 'TimeCreated'),
    warning: readNumber(fields, 'Level') === 3,
  };
}

/** The catalogue entry of a script text (the inverse of `scriptTextOf`): the first that matches. */
export function identifyScript(text: string): ScriptEntry | undefined {
  return SCRIPT_BLOCKS.find((entry) => entry.matches(text));
}
