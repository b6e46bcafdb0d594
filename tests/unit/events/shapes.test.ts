import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledRule } from '../../../src/compile/compile-rule.js';
import type { EventRecord } from '../../../src/compile/event-record.js';
import { InputAccountant, totalAccounts } from '../../../src/events/input-account.js';
import { readEvents } from '../../../src/events/read-events.js';
import { bindEvent } from '../../../src/mapping/bind-event.js';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../../../src/mapping/load-mappings.js';
import type { Mapping } from '../../../src/mapping/mapping.js';
import { createSourceRecogniser } from '../../../src/mapping/recognise-source.js';
import { resolveLogSource } from '../../../src/mapping/resolve-log-source.js';
import { loadCompiledRules } from '../../../src/scan/load-rules.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const SHAPES = join(root, 'tests/fixtures/shapes');
const SIGMAHQ = 'tests/fixtures/sigmahq/rules/windows';

let mapping: Mapping;
beforeAll(async () => {
  mapping = (await loadMappings(DEFAULT_MAPPINGS_DIR)).mappings;
});

/** Reads a sample with the accounting `dac scan` uses; every record must be read. */
async function readShape(name: string) {
  const accountant = new InputAccountant(name, createSourceRecogniser(mapping).recognise);
  const records: EventRecord[] = [];
  const formats: string[] = [];
  for await (const item of readEvents(join(SHAPES, name))) {
    accountant.count(item);
    if (item.kind === 'error') throw new Error(item.diagnostic.message);
    records.push(item.record);
    formats.push(item.format);
  }
  return { records, formats, account: accountant.finish() };
}

/** The Sigma fields a process_creation rule sees. */
function processCreation(record: EventRecord): Record<string, unknown> {
  const view = bindEvent(record, resolveLogSource(mapping, { category: 'process_creation', product: 'windows' }));
  if (view === undefined) throw new Error('not a process creation');
  return Object.fromEntries(['Image', 'ParentImage', 'CommandLine', 'User', 'LogonId'].map((field) => [field, view.get(field)]));
}

async function compileRules(...paths: string[]): Promise<CompiledRule[]> {
  const loaded = await loadCompiledRules(paths, root, {}, mapping);
  expect(loaded.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return [...loaded.rules];
}

const firing = (rules: readonly CompiledRule[], records: readonly EventRecord[]): string[][] =>
  records.map((record) => rules.filter((rule) => rule.matches(record)).map((rule) => rule.rule.title));

const LOG4SHELL_PARENT = 'C:\\Program Files\\VMware\\VMware View\\Server\\bin\\ws_TomcatService.exe';

describe('Log Analytics / Sentinel rows', () => {
  it('reads WindowsEvent rows with EventData as an object, any channel case, EventID as number or text', async () => {
    const { records, formats, account } = await readShape('sentinel-windowsevent.json');
    expect(formats).toEqual(['log-analytics', 'log-analytics', 'log-analytics']);
    expect(records.map((r) => [r.channel, r.eventId])).toEqual([
      ['Microsoft-Windows-Sysmon/Operational', 1],
      ['microsoft-windows-sysmon/operational', 3],
      ['Microsoft-Windows-Kernel-General/Operational', 16],
    ]);
    expect(processCreation(records[0]!)).toMatchObject({
      Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
      ParentImage: LOG4SHELL_PARENT,
      User: 'NT AUTHORITY\\SYSTEM',
    });
    expect(records[0]!.get('Provider_Name')).toBe('Microsoft-Windows-Sysmon');
    expect(records[0]!.get('Computer')).toBe('HZN-CS01.contoso.local');
    expect(account.recognised).toEqual([{ source: 'sysmon-1', count: 1 }, { source: 'sysmon-3', count: 1 }]);
    expect(account.unrecognised).toEqual([
      { shape: "Log Analytics / Sentinel row, channel 'Microsoft-Windows-Kernel-General/Operational', event id 16, keys {Channel, Computer, EventData, EventID, Provider, TenantId, TimeGenerated, Type}: no mapping knows this log source", count: 1, first: 2 },
    ]);
  });

  it('reads the same rows exported as text, EventData as a JSON string, to the same fields', async () => {
    const object = await readShape('sentinel-windowsevent.json');
    const text = await readShape('sentinel-windowsevent-as-text.json');
    expect(text.formats).toEqual(['log-analytics', 'log-analytics']);
    for (const index of [0, 1]) {
      for (const field of ['Image', 'ParentImage', 'CommandLine', 'User', 'DestinationIp', 'Channel', 'EventID']) {
        expect(String(text.records[index]!.get(field))).toBe(String(object.records[index]!.get(field)));
      }
    }
    expect(totalAccounts([text.account])).toMatchObject({ read: 2, recognised: 2, unrecognised: 0, skipped: 0 });
  });

  it('reads an Event table row whose EventData is the agent XML text', async () => {
    const { records, account } = await readShape('sentinel-event-sysmon.json');
    expect(processCreation(records[0]!)).toMatchObject({ Image: 'C:\\Windows\\System32\\cmd.exe', ParentImage: LOG4SHELL_PARENT, User: 'NT AUTHORITY\\SYSTEM' });
    expect(records[0]!.get('Provider_Name')).toBe('Microsoft-Windows-Sysmon');
    expect(account.recognised).toEqual([{ source: 'sysmon-1', count: 1 }]);
  });

  it('reads SecurityEvent rows, flattened or with EventData XML, and maps a SYSTEM 4688 as Sysmon would', async () => {
    const { records, account } = await readShape('sentinel-securityevent.ndjson');
    expect(records.map((r) => [r.channel, r.eventId])).toEqual([['Security', 4688], ['SECURITY', 4688], ['Security', 4688], ['Security', 4624]]);
    expect(processCreation(records[0]!)).toEqual({
      Image: 'C:\\Windows\\System32\\cmd.exe',
      ParentImage: 'C:\\apache-tomcat-9.0.54\\bin\\tomcat9.exe',
      CommandLine: 'cmd.exe /c whoami /all',
      User: 'NT AUTHORITY\\SYSTEM',
      LogonId: '0x3e7',
    });
    expect(processCreation(records[1]!)).toMatchObject({ Image: 'C:\\Windows\\System32\\whoami.exe', ParentImage: 'C:\\Windows\\System32\\cmd.exe', User: 'NT AUTHORITY\\SYSTEM' });
    expect(records[1]!.get('TimeCreated_SystemTime')).toBe('2022-01-05T14:22:31.640Z');
    // The empty columns of the wide table are not the event's fields; an empty image is no image.
    expect(records[0]!.get('IpAddress')).toBeUndefined();
    expect(processCreation(records[2]!).Image).toBeUndefined();
    expect(account.recognised).toEqual([{ source: 'security-4688', count: 3 }, { source: 'channel-security', count: 1 }]);
  });

  it('makes SigmaHQ rules fire on the Log4Shell chain and the SYSTEM shell in every shape', async () => {
    const rules = await compileRules(
      `${SIGMAHQ}/process_creation/proc_creation_win_webshell_susp_process_spawned_from_webserver.yml`,
      `${SIGMAHQ}/process_creation/proc_creation_win_susp_elevated_system_shell_uncommon_parent.yml`,
    );
    for (const name of ['sentinel-windowsevent.json', 'sentinel-windowsevent-as-text.json', 'sentinel-event-sysmon.json']) {
      const { records } = await readShape(name);
      expect(firing(rules, records)[0]).toEqual(['Suspicious Process By Web Server Process']);
    }
    const security = await readShape('sentinel-securityevent.ndjson');
    expect(firing(rules, security.records)).toEqual([['Elevated System Shell Spawned From Uncommon Parent Location'], [], [], []]);
  });
});

describe('Winlogbeat', () => {
  it('reads Winlogbeat 6 documents (log_name, event_id, event_data) and routes every one of the real sample', async () => {
    const accountant = new InputAccountant('otrf', createSourceRecogniser(mapping).recognise);
    for await (const item of readEvents(join(root, 'tests/fixtures/otrf/winlogbeat6_empire_invoke_runas.sample.json'))) {
      accountant.count(item);
      if (item.kind === 'event') expect(item.format).toBe('winlogbeat-legacy');
    }
    const account = accountant.finish();
    expect(totalAccounts([account])).toMatchObject({ read: 550, recognised: 550, unrecognised: 0, skipped: 0 });
    expect(account.recognised).toEqual(expect.arrayContaining([{ source: 'sysmon-1', count: 6 }, { source: 'security-4688', count: 6 }]));
  });

  it('reads Winlogbeat 8 documents, with Sysmon and 4688 process fields moved into ECS, and Defender data names with spaces', async () => {
    const { records, formats, account } = await readShape('winlogbeat8-ecs.ndjson');
    expect(formats).toEqual(['winlogbeat-ecs', 'winlogbeat-ecs', 'winlogbeat-ecs']);
    const w3wp = 'C:\\Windows\\System32\\inetsrv\\w3wp.exe';
    expect(processCreation(records[0]!)).toMatchObject({ Image: 'C:\\Windows\\System32\\cmd.exe', ParentImage: w3wp, User: 'IIS APPPOOL\\DefaultAppPool' });
    expect(processCreation(records[1]!)).toMatchObject({ Image: 'C:\\Windows\\System32\\cmd.exe', ParentImage: w3wp, User: 'IIS APPPOOL\\DefaultAppPool', LogonId: '0xdb2e7' });
    expect([records[2]!.get('ThreatName'), records[2]!.get('Threat Name'), records[2]!.get('SourceName')]).toEqual(['Trojan:PowerShell/Mimikatz.A', 'Trojan:PowerShell/Mimikatz.A', 'AMSI']);
    expect(account.recognised).toEqual([{ source: 'channel-windefend', count: 1 }, { source: 'security-4688', count: 1 }, { source: 'sysmon-1', count: 1 }]);
  });
});

describe('Windows Defender', () => {
  it('gives data names with spaces also without them, as SigmaHQ rules name them, and the rules fire', async () => {
    const { records } = await readShape('defender-operational.xml');
    expect(records[0]!.get('ProcessName')).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
    expect(records[0]!.get('SecurityintelligenceVersion')).toBe('AV: 1.391.2519.0, AS: 1.391.2519.0, NIS: 1.391.2519.0');
    expect(records[1]!.get('TargetCommandline')).toContain('ADMIN$');
    const rules = await compileRules(`${SIGMAHQ}/builtin/windefend`);
    expect(firing(rules, records)).toEqual([
      ['Windows Defender AMSI Trigger Detected', 'Windows Defender Threat Detected'],
      ['PSExec and WMI Process Creations Block'],
    ]);
    const beat = await readShape('winlogbeat8-ecs.ndjson');
    expect(firing(rules, beat.records)[2]).toEqual(['Windows Defender AMSI Trigger Detected', 'Windows Defender Threat Detected']);
  });
});
