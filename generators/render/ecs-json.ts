import { splitCommandLine } from '../command-lines.js';
import { extractFileName } from '../paths.js';
import type { ProcessCreation } from '../process-tree.js';
import { SYSMON_PROVIDER_GUID, formatTimeCreated, type RenderOptions, buildSysmonRecord } from './windows-event.js';

const ACTION = 'Process Create (rule: ProcessCreate)';

// Winlogbeat's sysmon module splits "MD5=...,SHA256=...,IMPHASH=..." into process.hash.<algorithm> and
// process.pe.imphash, in lower case, and lists every hash under related.hash.
function splitHashes(hashes: string): { readonly hash: Record<string, string>; readonly imphash?: string } {
  const hash: Record<string, string> = {};
  let imphash: string | undefined;
  for (const pair of hashes.split(',')) {
    const [algorithm, value] = pair.split('=');
    if (algorithm === undefined || value === undefined || /^0*$/.test(value)) continue;
    if (algorithm.toLowerCase() === 'imphash') imphash = value.toLowerCase();
    else hash[algorithm.toLowerCase()] = value.toLowerCase();
  }
  return imphash === undefined ? { hash } : { hash, imphash };
}

function splitUser(user: string): { readonly domain: string; readonly name: string } {
  const slash = user.indexOf('\\');
  return { domain: user.slice(0, slash), name: user.slice(slash + 1) };
}

/**
 * The document Winlogbeat 8 with its sysmon module ships for a Sysmon EventID 1: ECS fields (process.*,
 * process.parent.*, user.*, event.*), and what the module leaves in winlog.event_data. As the module
 * does, Image, CommandLine, ProcessId and the other renamed fields leave event_data; the version strings
 * are copied; User and Hashes are split; user.id is the SID Sysmon's service runs as.
 */
export function convertWinlogbeatEcs(event: ProcessCreation, options: RenderOptions = {}): Record<string, unknown> {
  const record = buildSysmonRecord(event, options);
  const { hash, imphash } = splitHashes(event.Hashes);
  const user = splitUser(event.User);
  const timestamp = `${event.UtcTime.replace(' ', 'T')}Z`;
  return {
    '@timestamp': timestamp,
    event: {
      code: '1',
      kind: 'event',
      provider: record.providerName,
      module: 'sysmon',
      action: ACTION,
      category: ['process'],
      type: ['start', 'process_start'],
      created: formatTimeCreated(record, 6),
    },
    host: { name: event.context.computer.hostName.toLowerCase() },
    log: { level: 'information' },
    winlog: {
      api: 'wineventlog',
      channel: record.channel,
      event_id: '1',
      provider_name: record.providerName,
      provider_guid: `{${SYSMON_PROVIDER_GUID.toLowerCase()}}`,
      computer_name: record.computer,
      record_id: String(record.recordId),
      version: record.version,
      opcode: 'Info',
      task: ACTION,
      process: { pid: record.executionProcessId, thread: { id: record.executionThreadId } },
      user: { identifier: 'S-1-5-18', domain: 'NT AUTHORITY', name: 'SYSTEM', type: 'User' },
      event_data: {
        FileVersion: event.FileVersion,
        Description: event.Description,
        Product: event.Product,
        Company: event.Company,
        LogonGuid: event.LogonGuid,
        LogonId: event.LogonId,
        TerminalSessionId: String(event.TerminalSessionId),
        IntegrityLevel: event.IntegrityLevel,
        ParentUser: event.ParentUser,
      },
    },
    process: {
      entity_id: event.ProcessGuid,
      pid: event.ProcessId,
      executable: event.Image,
      name: extractFileName(event.Image),
      command_line: event.CommandLine,
      args: splitCommandLine(event.CommandLine),
      working_directory: event.CurrentDirectory,
      pe: {
        original_file_name: event.OriginalFileName,
        company: event.Company,
        description: event.Description,
        file_version: event.FileVersion,
        product: event.Product,
        ...(imphash === undefined ? {} : { imphash }),
      },
      hash,
      parent: {
        entity_id: event.ParentProcessGuid,
        pid: event.ParentProcessId,
        executable: event.ParentImage,
        name: extractFileName(event.ParentImage),
        command_line: event.ParentCommandLine,
        args: splitCommandLine(event.ParentCommandLine),
      },
    },
    user: { id: 'S-1-5-18', domain: user.domain, name: user.name },
    related: { user: [user.name], hash: [...Object.values(hash), ...(imphash === undefined ? [] : [imphash])] },
    ecs: { version: '8.0.0' },
  };
}

/** Renders a process creation as the Winlogbeat (ECS) JSON document of its Sysmon event (one line). */
export function renderWinlogbeatEcsJson(event: ProcessCreation, options: RenderOptions = {}): string {
  return JSON.stringify(convertWinlogbeatEcs(event, options));
}
