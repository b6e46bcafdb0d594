import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../src/compile/event-record.js';
import { readEvents } from '../../../src/events/read-events.js';
import { copyEventXml, renderEventXml } from '../../../src/events/write-event-xml.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const EVTX = join(repoRoot, 'tests/fixtures/evtx');
const EVENTS = join(repoRoot, 'tests/fixtures/events');

async function readAll(path: string): Promise<EventRecord[]> {
  const records: EventRecord[] = [];
  for await (const item of readEvents(path)) if (item.kind === 'event') records.push(item.record);
  return records;
}

describe('copyEventXml', () => {
  it('copies every record of the real EVTX captures as Event XML that reads back with the same fields', async () => {
    let copied = 0;
    for (const name of readdirSync(EVTX).filter((file) => file.endsWith('.evtx'))) {
      for (const record of await readAll(join(EVTX, name))) {
        const copy = copyEventXml(record);
        expect({ name, index: record.index, problem: copy.problem }).toEqual({ name, index: record.index, problem: undefined });
        copied += 1;
      }
    }
    // 101 + 11 + 20 + 15 records, UserData (1102) and multi-line privilege lists among them.
    expect(copied).toBe(147);
  });

  it('copies Windows events read from XML, evtx_dump JSON and Winlogbeat documents', async () => {
    for (const name of ['sysmon-1-webshell.xml', 'security-4688-v2-webshell.xml', 'evtx-dump.jsonl', 'winlogbeat.ndjson', 'sysmon-3-network.xml']) {
      const records = (await readAll(join(EVENTS, name))).filter((record) => record.channel !== undefined);
      expect(records.length, name).toBeGreaterThan(0);
      for (const record of records) expect({ name, problem: copyEventXml(record).problem }).toEqual({ name, problem: undefined });
    }
  });

  it('writes System fields as the header, the rest as EventData, lists as repeated Data', () => {
    const fields = new Map<string, unknown>([
      ['Provider_Name', 'Microsoft-Windows-Sysmon'],
      ['EventID', '1'],
      ['Channel', 'Microsoft-Windows-Sysmon/Operational'],
      ['Computer', 'WEB01'],
      ['Image', 'C:\\a&b<c>.exe'],
      ['Hashes', ['MD5=1', 'SHA256=2']],
      ['RuleName', ''],
    ]);
    const record = { file: 'x', index: 0, get: (name: string) => fields.get(name), fieldNames: () => [...fields.keys()] } as EventRecord;
    const text = renderEventXml(record).text ?? '';
    expect(text).toContain('<System><Provider Name="Microsoft-Windows-Sysmon" /><EventID>1</EventID><Channel>Microsoft-Windows-Sysmon/Operational</Channel><Computer>WEB01</Computer></System>');
    expect(text).toContain('<Data Name="Image">C:\\a&amp;b&lt;c&gt;.exe</Data><Data Name="Hashes">MD5=1</Data><Data Name="Hashes">SHA256=2</Data><Data Name="RuleName" />');
    expect(copyEventXml(record).problem).toBeUndefined();
  });

  it('refuses a record whose value Event XML cannot carry', () => {
    const fields = new Map<string, unknown>([['EventID', '1'], ['Nested', { a: 1 }]]);
    const record = { file: 'x', index: 0, get: (name: string) => fields.get(name), fieldNames: () => [...fields.keys()] } as EventRecord;
    expect(copyEventXml(record)).toEqual({ problem: 'field Nested holds a nested value, which Event XML cannot carry' });
  });
});
