import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord, FieldValue } from '../../../src/compile/event-record.js';
import { bindEvent } from '../../../src/mapping/bind-event.js';
import { DEFAULT_MAPPINGS_DIR, loadMappings } from '../../../src/mapping/load-mappings.js';
import type { SourceBinding } from '../../../src/mapping/mapping.js';
import { resolveLogSource } from '../../../src/mapping/resolve-log-source.js';
import { EVENT_FIXTURES, errorsOf, fieldsOf, readAll, recordsOf } from './read-test-helpers.js';

/**
 * The same two events (a web server spawning a shell, seen by Sysmon 1 and by Security 4688) are kept
 * in every format: Event XML, evtx_dump JSON (pretty with record headers, and one per line) and
 * Winlogbeat/ECS NDJSON. Whatever the format, a rule must see the same Sigma fields.
 */
let bindings: readonly SourceBinding[];
const byFormat = new Map<string, { sysmon: EventRecord; security: EventRecord }>();

beforeAll(async () => {
  bindings = resolveLogSource((await loadMappings(DEFAULT_MAPPINGS_DIR)).mappings, { category: 'process_creation', product: 'windows' });
  const read = async (name: string): Promise<EventRecord[]> => {
    const items = await readAll(join(EVENT_FIXTURES, name));
    expect(errorsOf(items)).toEqual([]);
    return recordsOf(items);
  };
  const [sysmonXml] = await read('sysmon-1-webshell.xml');
  const [securityXml] = await read('security-4688-v2-webshell.xml');
  byFormat.set('xml', { sysmon: sysmonXml!, security: securityXml! });
  for (const name of ['evtx-dump-pretty.json', 'evtx-dump.jsonl', 'winlogbeat.ndjson']) {
    const [sysmon, security] = await read(name);
    byFormat.set(name, { sysmon: sysmon!, security: security! });
  }
});

/** System values Winlogbeat renders as display names or at another precision (not mapped back). */
const NOT_IN_ECS = ['Level', 'Task', 'Opcode', 'Keywords', 'TimeCreated_SystemTime'];
const withoutKeys = (fields: Record<string, FieldValue | undefined>, keys: readonly string[]): Record<string, FieldValue | undefined> =>
  Object.fromEntries(Object.entries(fields).filter(([key]) => !keys.includes(key)));

const SIGMA_FIELDS = ['Image', 'ParentImage', 'CommandLine', 'User', 'ProcessId', 'ParentProcessId', 'IntegrityLevel', 'LogonId'];

describe('the same event in every format', () => {
  it('gives the same fields in Event XML and evtx_dump JSON, in the same order', () => {
    const xml = byFormat.get('xml')!;
    for (const name of ['evtx-dump-pretty.json', 'evtx-dump.jsonl']) {
      const json = byFormat.get(name)!;
      expect(json.sysmon.fieldNames()).toEqual(xml.sysmon.fieldNames());
      expect(fieldsOf(json.sysmon)).toEqual(fieldsOf(xml.sysmon));
      expect(fieldsOf(json.security)).toEqual(fieldsOf(xml.security));
      expect([json.security.channel, json.security.eventId, json.security.version]).toEqual(['Security', 4688, 2]);
    }
  });

  it('gives the same fields from Winlogbeat/ECS, but for the System values ECS renders differently', () => {
    const xml = byFormat.get('xml')!;
    const ecs = byFormat.get('winlogbeat.ndjson')!;
    expect(withoutKeys(fieldsOf(ecs.sysmon), NOT_IN_ECS)).toEqual(withoutKeys(fieldsOf(xml.sysmon), NOT_IN_ECS));
    expect(withoutKeys(fieldsOf(ecs.security), NOT_IN_ECS)).toEqual(withoutKeys(fieldsOf(xml.security), NOT_IN_ECS));
    expect(ecs.sysmon.get('TimeCreated_SystemTime')).toBe('2023-04-18T09:12:44.581Z');
  });

  it('gives a rule the same Sigma fields in every format, from Sysmon and from 4688 alike', () => {
    for (const [format, { sysmon, security }] of byFormat) {
      const sysmonView = bindEvent(sysmon, bindings);
      const securityView = bindEvent(security, bindings);
      expect(sysmonView, format).toBeDefined();
      expect(securityView, format).toBeDefined();
      for (const field of SIGMA_FIELDS) {
        const fromSysmon = sysmonView?.get(field);
        const fromSecurity = securityView?.get(field);
        if (field === 'IntegrityLevel') {
          // 4688 keeps the SID beside the name Sysmon writes.
          expect(fromSecurity, format).toEqual([fromSysmon, 'S-1-16-12288']);
        } else {
          expect(fromSecurity, `${format} ${field}`).toEqual(fromSysmon);
        }
      }
    }
  });
});
