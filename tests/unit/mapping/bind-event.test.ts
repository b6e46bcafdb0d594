import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../src/compile/event-record.js';
import { bindEvent } from '../../../src/mapping/bind-event.js';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../../../src/mapping/load-mappings.js';
import type { Mapping, SourceBinding } from '../../../src/mapping/mapping.js';
import { resolveLogSource } from '../../../src/mapping/resolve-log-source.js';
import { EVENT_FIXTURES, EVTX_FIXTURES, OTRF_FIXTURES, readAll, recordsOf } from '../events/read-test-helpers.js';

let mappings: Mapping;
let processCreation: readonly SourceBinding[];
beforeAll(async () => {
  const loaded = await loadMappings(DEFAULT_MAPPINGS_DIR);
  expect(loaded.diagnostics).toEqual([]);
  mappings = loaded.mappings;
  processCreation = resolveLogSource(mappings, { category: 'process_creation', product: 'windows' });
});

/** A record with just a channel, an event id and some fields. */
const event = (channel: string | undefined, eventId: number | undefined, fields: Record<string, string> = {}): EventRecord => ({
  file: 'f', index: 0,
  ...(channel === undefined ? {} : { channel }),
  ...(eventId === undefined ? {} : { eventId }),
  get: (name) => fields[name],
  fieldNames: () => Object.keys(fields),
});

async function readOne(name: string, index = 0): Promise<EventRecord> {
  const record = recordsOf(await readAll(join(EVENT_FIXTURES, name)))[index];
  if (!record) throw new Error(`no record ${index} in ${name}`);
  return record;
}

function bound(event: EventRecord, bindings: readonly SourceBinding[]): EventRecord {
  const view = bindEvent(event, bindings);
  if (!view) throw new Error('event was not bound');
  return view;
}

describe('bindEvent with Security 4688', () => {
  it('renames a version 2 event into Sigma fields, with hex ids in decimal', async () => {
    const view = bound(await readOne('security-4688-v2-webshell.xml'), processCreation);
    expect(view.get('Image')).toBe('C:\\Windows\\System32\\cmd.exe');
    expect(view.get('ParentImage')).toBe('c:\\windows\\system32\\inetsrv\\w3wp.exe');
    expect(view.get('CommandLine')).toBe('cmd.exe /c "whoami /all & ipconfig"');
    expect(view.get('User')).toBe('IIS APPPOOL\\DefaultAppPool');
    expect(view.get('ProcessId')).toBe('5232');
    expect(view.get('ParentProcessId')).toBe('4120');
    expect(view.get('IntegrityLevel')).toEqual(['High', 'S-1-16-12288']);
    expect(view.get('LogonId')).toBe('0xb529a');
    // Unmapped fields pass through under their own names; the source's own ProcessId is shadowed.
    expect(view.get('TokenElevationType')).toBe('%%1936');
    expect(view.get('NewProcessName')).toBe('C:\\Windows\\System32\\cmd.exe');
    expect(view.get('Channel')).toBe('Security');
    expect(view.get('ParentCommandLine')).toBeUndefined();
    expect([view.file, view.index, view.channel, view.eventId, view.version]).toEqual([
      join(EVENT_FIXTURES, 'security-4688-v2-webshell.xml'), 0, 'Security', 4688, 2,
    ]);
  });

  it('lists renamed fields once, ahead of the source fields they do not shadow', async () => {
    const view = bound(await readOne('security-4688-v2-webshell.xml'), processCreation);
    const names = view.fieldNames();
    expect(names.slice(0, 7)).toEqual(['Image', 'ParentImage', 'User', 'LogonId', 'IntegrityLevel', 'ProcessId', 'ParentProcessId']);
    expect(names.filter((name) => name === 'ProcessId')).toHaveLength(1);
    // CommandLine keeps its name in 4688: it stays where the event has it.
    expect(names.filter((name) => name === 'CommandLine')).toHaveLength(1);
    expect(names).toContain('TokenElevationType');
  });

  it('leaves out what a version 1 event does not have', async () => {
    const view = bound(await readOne('security-4688-v1.xml'), processCreation);
    expect(view.version).toBe(1);
    expect(view.get('Image')).toBe('C:\\Windows\\System32\\whoami.exe');
    expect(view.get('User')).toBe('CONTOSO\\dadmin');
    expect(view.get('ProcessId')).toBe('2500');
    expect(view.get('ParentProcessId')).toBe('2000');
    expect(view.get('ParentImage')).toBeUndefined();
    expect(view.get('IntegrityLevel')).toBeUndefined();
    expect(view.fieldNames()).not.toContain('ParentImage');
  });

  it('binds the seed write-up sample (rundll32 started by explorer)', async () => {
    const view = bound(await readOne('seed-4688-pasted.xml'), processCreation);
    expect(view.get('Image')).toBe('C:\\\\Windows\\\\System32\\\\rundll32.exe');
    expect(view.get('ParentImage')).toBe('C:\\\\Windows\\\\explorer.exe');
    // The creator is SYSTEM (S-1-5-18, written as the computer account); the new process runs as the
    // Target subject, dadmin, which is what Sysmon's User would say.
    expect(view.get('User')).toBe('CONTOSO\\dadmin');
    expect(view.get('LogonId')).toBe('0x4a5af0');
    expect(view.get('ProcessId')).toBe('700');
    expect(view.get('ParentProcessId')).toBe('3700');
    expect(view.get('IntegrityLevel')).toEqual(['Medium', 'S-1-16-8192']);
  });

  it('binds real 4688 events read from EVTX (zero-padded hex ids)', async () => {
    const records = recordsOf(await readAll(join(EVTX_FIXTURES, 'DE_RDP_Tunnel_5156.evtx'))).filter((r) => r.eventId === 4688);
    expect(records.length).toBeGreaterThan(0);
    const view = bound(records[0]!, processCreation);
    expect(view.get('Image')).toBe('C:\\Windows\\System32\\TSTheme.exe');
    expect(view.get('ProcessId')).toBe('508');
    expect(view.get('ParentProcessId')).toBe('632');
    // A real SYSTEM process (version 1: no Target subject): Subject S-1-5-18, written as EXAMPLE\PC01$.
    expect([records[0]!.version, records[0]!.get('SubjectUserSid'), records[0]!.get('SubjectUserName'), records[0]!.get('TargetUserSid')]).toEqual([1, 'S-1-5-18', 'PC01$', undefined]);
    expect(view.get('User')).toBe('NT AUTHORITY\\SYSTEM');
    expect(view.get('LogonId')).toBe('0x00000000000003e7');
  });

  it('reads User as the new process\'s account in a real Winlogbeat 6 capture (Target subject, not the SYSTEM creator)', async () => {
    const records = recordsOf(await readAll(join(OTRF_FIXTURES, 'winlogbeat6_empire_invoke_runas.sample.json'))).filter((r) => r.eventId === 4688);
    expect(records).toHaveLength(6);
    const byTarget = records.find((r) => r.get('TargetUserName') === 'pgustavo' && r.get('SubjectUserSid') === 'S-1-5-18');
    expect(byTarget).toBeDefined();
    expect(bound(byTarget!, processCreation).get('User')).toBe('SHIRE\\pgustavo');
  });

  it('names the well-known service accounts as Sysmon does, from either subject', () => {
    const event4688 = (fields: Record<string, string>): EventRecord => event('Security', 4688, { NewProcessName: 'C:\\Windows\\System32\\cmd.exe', ...fields });
    const subject = (sid: string, name: string, domain: string) => ({ SubjectUserSid: sid, SubjectUserName: name, SubjectDomainName: domain });
    const target = (sid: string, name: string, domain: string) => ({ TargetUserSid: sid, TargetUserName: name, TargetDomainName: domain });
    const user = (fields: Record<string, string>) => bindEvent(event4688(fields), processCreation)?.get('User');
    expect(user(subject('S-1-5-18', 'HOST$', 'CONTOSO'))).toBe('NT AUTHORITY\\SYSTEM');
    expect(user(subject('S-1-5-19', 'LOCAL SERVICE', 'NT AUTHORITY'))).toBe('NT AUTHORITY\\LOCAL SERVICE');
    expect(user(subject('s-1-5-20', 'HOST$', 'CONTOSO'))).toBe('NT AUTHORITY\\NETWORK SERVICE');
    expect(user({ ...subject('S-1-5-21-1-2-3-500', 'alice', 'CONTOSO'), ...target('S-1-0-0', '-', '-') })).toBe('CONTOSO\\alice');
    expect(user({ ...subject('S-1-5-21-1-2-3-500', 'alice', 'CONTOSO'), ...target('S-1-5-18', 'HOST$', 'CONTOSO') })).toBe('NT AUTHORITY\\SYSTEM');
    expect(user({ ...subject('S-1-5-18', 'HOST$', 'CONTOSO'), ...target('S-1-5-21-1-2-3-1001', 'bob', 'CONTOSO') })).toBe('CONTOSO\\bob');
    expect(user({ SubjectUserName: 'carol' })).toBe('carol');
    expect(user({})).toBeUndefined();
  });
});

describe('bindEvent gating', () => {
  it('passes a Sysmon 1 event as it is: its names are already Sigma\'s', async () => {
    const event = await readOne('sysmon-1-webshell.xml');
    expect(bindEvent(event, processCreation)).toBe(event);
  });

  it('never binds a Sysmon 3 event to process_creation, even though it has Image', async () => {
    const event = await readOne('sysmon-3-network.xml');
    expect(event.get('Image')).toBe('C:\\Windows\\System32\\cmd.exe');
    expect(bindEvent(event, processCreation)).toBeUndefined();
    const network = resolveLogSource(mappings, { category: 'network_connection', product: 'windows' });
    expect(bindEvent(event, network)).toBe(event);
  });

  it('keeps events of other channels and ids out', async () => {
    const [cleared, service, script] = recordsOf(await readAll(join(EVENT_FIXTURES, 'events-mixed.xml')));
    for (const event of [cleared, service, script]) expect(bindEvent(event!, processCreation)).toBeUndefined();
    const security = resolveLogSource(mappings, { product: 'windows', service: 'security' });
    expect(bindEvent(cleared!, security)).toBe(cleared);
    expect(bindEvent(service!, security)).toBeUndefined();
    const psScript = resolveLogSource(mappings, { category: 'ps_script', product: 'windows' });
    expect(bindEvent(script!, psScript)).toBe(script);
  });

  it('passes flat events (no channel, no id) to every rule, even with no bindings', async () => {
    const flat = await readOne('flat.ndjson');
    expect(bindEvent(flat, processCreation)).toBe(flat);
    expect(bindEvent(flat, [])).toBe(flat);
  });

  it('shows a rule whose log source the mappings do not know only flat events', async () => {
    const unknown = resolveLogSource(mappings, { category: 'no_such_category', product: 'windows' });
    expect(unknown).toEqual([]);
    expect(bindEvent(await readOne('sysmon-1-webshell.xml'), unknown)).toBeUndefined();
  });

  it('compares channels without regard to case and checks only what the event carries', () => {
    expect(bindEvent(event('security', 4688, { NewProcessName: 'a' }), processCreation)?.get('Image')).toBe('a');
    expect(bindEvent(event('SECURITY', 4688, { NewProcessName: 'a' }), processCreation)?.get('Image')).toBe('a');
    expect(bindEvent(event(undefined, 4688, { NewProcessName: 'a' }), processCreation)?.get('Image')).toBe('a');
    expect(bindEvent(event('Security', 4689), processCreation)).toBeUndefined();
    expect(bindEvent(event('Application', 4688), processCreation)).toBeUndefined();
    expect(bindEvent(event(undefined, 3), processCreation)).toBeUndefined();
  });
});
