import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sniffTextFormat } from '../../../src/events/read-events.js';
import {
  EVTX_FIXTURES,
  errorsOf,
  fieldsOf,
  readAll,
  recordsOf,
  resolveFixture,
  summarize,
  useScratch,
} from './read-test-helpers.js';

const scratch = useScratch();
const utf16le = (text: string): Buffer => Buffer.from(text, 'utf16le');

describe('sniffTextFormat', () => {
  it('decides by content first and by extension only when content does not tell', () => {
    expect(sniffTextFormat('  \n<Event>', '.json', false)).toBe('xml');
    expect(sniffTextFormat('- <Event xmlns="x">', '.txt', false)).toBe('xml');
    expect(sniffTextFormat('[{"a":1}', '.xml', false)).toBe('json-stream');
    expect(sniffTextFormat('{"a":1}\n{"a":2}', '.xml', false)).toBe('ndjson');
    expect(sniffTextFormat('{\n  "a": 1\n}', '.json', false)).toBe('json-stream');
    expect(sniffTextFormat('{"a":1}{"a":2}\n', '.json', false)).toBe('json-stream');
    expect(sniffTextFormat('{"a":1}{"a":2}\n', '.jsonl', false)).toBe('ndjson');
    expect(sniffTextFormat('Record 12\n{', '.json', false)).toBe('json-stream');
    expect(sniffTextFormat('{"a":', '.json', false)).toBeUndefined();
    expect(sniffTextFormat('{"a":1}', '.json', true)).toBe('ndjson');
    expect(sniffTextFormat('   ', '.json', false)).toBeUndefined();
    expect(sniffTextFormat('   ', '.json', true)).toBe('empty');
    expect(sniffTextFormat('garbage', '.xml', true)).toBe('xml');
    expect(sniffTextFormat('garbage', '.log', true)).toBe('unknown');
    // Text that starts as prose waits for an <Event> line, up to the sniffing limit.
    expect(sniffTextFormat('garbage', '.log', false)).toBeUndefined();
  });

  it('reads an <Event> line inside prose as Event XML, whatever the extension', () => {
    expect(sniffTextFormat('# Write-up\n\nThe sample:\n```yml\n- <Event xmlns="x">\n', '.txt', false)).toBe('xml');
    expect(sniffTextFormat('Notes\n  <Event>\n', '.md', false)).toBe('xml');
    expect(sniffTextFormat('Notes\n<q:Event xmlns:q="x">\n', '', false)).toBe('xml');
    // <Events> or <EventData> alone, or <Event in the middle of a line, starts nothing.
    expect(sniffTextFormat('Notes\n<EventData>\nsee <Event> below', '.txt', true)).toBe('unknown');
  });
});

describe('readEvents progress', () => {
  it('tells the bytes read so far, up to the whole file, for text and EVTX alike', async () => {
    const { statSync } = await import('node:fs');
    for (const file of [resolveFixture('sysmon-1-webshell.xml'), join(EVTX_FIXTURES, 'tutto_malseclogon.evtx')]) {
      const seen: number[] = [];
      await readAll(file, { onBytesRead: (bytes) => seen.push(bytes) });
      expect(seen.length).toBeGreaterThan(0);
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      expect(seen.at(-1)).toBe(statSync(file).size);
    }
  });
});

describe('a pasted Event Viewer event in a text file', () => {
  const pasted = readFileSync(resolveFixture('seed-4688-pasted.xml'), 'utf8');

  it('is read from a .txt file as from the .xml it was saved as', async () => {
    const asXml = summarize(await readAll(resolveFixture('seed-4688-pasted.xml')));
    expect(asXml).toHaveLength(1);
    expect(summarize(await scratch.read('seed.txt', pasted))).toEqual(asXml);
  });

  it('is read with prose and a Markdown code block around it, and the prose is not taken for events', async () => {
    const writeUp = [
      '# T1505.003: a web server starting a shell',
      '',
      'A web shell gives an attacker a command line through the web server. Logs: Security 4688.',
      '',
      '## Sample event',
      '',
      '```yml',
      pasted.trimEnd(),
      '```',
      '',
      '## Rule',
      '',
      '```yml',
      'title: shell under a web server',
      'detection:',
      '    selection:',
      "        ParentImage|endswith: '\\w3wp.exe'",
      '    condition: selection',
      '```',
      '',
    ].join('\n');
    const items = await scratch.read('write-up.txt', writeUp);
    expect(errorsOf(items)).toEqual([]);
    const records = recordsOf(items);
    expect(records).toHaveLength(1);
    expect(records[0]?.eventId).toBe(4688);
    expect(fieldsOf(records[0] as (typeof records)[number])['NewProcessName']).toBe('C:\\\\Windows\\\\System32\\\\rundll32.exe');
    expect(summarize(items)).toEqual(summarize(await readAll(resolveFixture('seed-4688-pasted.xml'))));
  });
});

describe('readEvents', () => {
  it('sniffs content whatever the extension says', async () => {
    const xmlAsJson = scratch.write('events.json', readFileSync(resolveFixture('sysmon-1-webshell.xml')));
    const ndjsonAsXml = scratch.write('events.xml', readFileSync(resolveFixture('flat.ndjson')));
    const arrayAsTxt = scratch.write('events.txt', readFileSync(resolveFixture('flat-array.json')));
    expect(recordsOf(await readAll(xmlAsJson)).map((r) => r.eventId)).toEqual([1]);
    expect(recordsOf(await readAll(ndjsonAsXml)).map((r) => r.index)).toEqual([0, 1, 2]);
    expect(recordsOf(await readAll(arrayAsTxt)).map((r) => r.index)).toEqual([0, 1, 2]);
  });

  it('reads UTF-8 with a BOM and UTF-16LE/BE with a BOM (Windows exports)', async () => {
    const xml = readFileSync(resolveFixture('security-4688-v2-webshell.xml'), 'utf8');
    const ndjson = readFileSync(resolveFixture('flat.ndjson'), 'utf8');
    const expected = summarize(await readAll(resolveFixture('security-4688-v2-webshell.xml')));
    const expectedNdjson = summarize(await readAll(resolveFixture('flat.ndjson')));
    expect(expected).toHaveLength(1);
    const bomUtf8 = scratch.write('bom8.xml', Buffer.concat([Buffer.of(0xef, 0xbb, 0xbf), Buffer.from(xml)]));
    const bomUtf16 = scratch.write('bom16.xml', Buffer.concat([Buffer.of(0xff, 0xfe), utf16le(xml)]));
    const bomUtf16be = scratch.write('bom16be.xml', Buffer.concat([Buffer.of(0xfe, 0xff), utf16le(xml).swap16()]));
    const ndjson16 = scratch.write('bom16.ndjson', Buffer.concat([Buffer.of(0xff, 0xfe), utf16le(ndjson)]));
    expect(summarize(await readAll(bomUtf8))).toEqual(expected);
    expect(summarize(await readAll(bomUtf16))).toEqual(expected);
    expect(summarize(await readAll(bomUtf16be))).toEqual(expected);
    expect(summarize(await readAll(ndjson16))).toEqual(expectedNdjson);
  });

  it('flags exactly the record holding invalid UTF-8, in every text format', async () => {
    const bad = Buffer.of(0xc3, 0x28);
    const ndjson = scratch.write('bad.ndjson', Buffer.concat([Buffer.from('{"a":1}\n{"a":"'), bad, Buffer.from('"}\n{"a":3}\n')]));
    const array = scratch.write('bad.json', Buffer.concat([Buffer.from('[{"a":1},\n{"a":"'), bad, Buffer.from('"},\n{"a":3}]')]));
    const ns = 'xmlns="http://schemas.microsoft.com/win/2004/08/events/event"';
    const event = (value: string | Buffer): Buffer =>
      Buffer.concat([Buffer.from(`<Event ${ns}><System><EventID>1</EventID></System><EventData><Data Name="a">`), Buffer.from(value), Buffer.from('</Data></EventData></Event>\n')]);
    const xml = scratch.write('bad.xml', Buffer.concat([event('1'), event(bad), event('3')]));
    for (const file of [ndjson, array, xml]) {
      const items = await readAll(file);
      expect(recordsOf(items).map((r) => r.index)).toEqual([0, 2]);
      expect(errorsOf(items).map((e) => [e.diagnostic.code, e.index, e.diagnostic.line])).toEqual([['events/invalid-encoding', 1, 2]]);
    }
  });

  it('flags unpaired surrogates in UTF-16 files the same way', async () => {
    const body = Buffer.concat([utf16le('{"a":1}\n{"a":"'), Buffer.of(0x00, 0xd8), utf16le('"}\n{"a":3}\n')]);
    const items = await scratch.read('bad16.ndjson', Buffer.concat([Buffer.of(0xff, 0xfe), body]));
    expect(summarize(items).map((s) => (s as { error?: string }).error ?? 'event')).toEqual(['event', 'events/invalid-encoding', 'event']);
  });

  it('turns unreadable, empty and unknown files into diagnostics, never throws', async () => {
    expect(summarize(await readAll(join(scratch.dir, 'missing.json')))).toEqual([
      { error: 'events/unreadable-file', index: undefined, line: 1, column: 1 },
    ]);
    expect(summarize(await readAll(scratch.dir))).toEqual([{ error: 'events/unreadable-file', index: undefined, line: 1, column: 1 }]);
    expect(await scratch.read('empty.ndjson', '')).toEqual([]);
    expect(await scratch.read('blank.json', '  \n\n ')).toEqual([]);
    const unknown = await scratch.read('random.bin', Buffer.of(0x13, 0x37, 0x42, 0x99, 0x01));
    expect(summarize(unknown)).toEqual([{ error: 'events/unknown-format', index: undefined, line: 1, column: 1 }]);
  });

  it('names the file in every diagnostic and record', async () => {
    const file = scratch.write('named.ndjson', '{"a":1}\nnope\n');
    const items = await readAll(file);
    expect(recordsOf(items)[0]?.file).toBe(file);
    expect(errorsOf(items)[0]?.diagnostic.file).toBe(file);
  });

  it('stops early without leaking when the consumer breaks off', async () => {
    let seen = 0;
    for await (const item of (await import('../../../src/events/read-events.js')).readEvents(resolveFixture('flat.ndjson'))) {
      expect(item.kind).toBe('event');
      seen += 1;
      break;
    }
    expect(seen).toBe(1);
  });
});

describe('readEvents on EVTX', () => {
  const samples = readdirSync(EVTX_FIXTURES).filter((name) => name.endsWith('.evtx'));

  it('has the EVTX samples', () => {
    expect(samples.length).toBeGreaterThanOrEqual(4);
  });

  it.each(samples)('reads %s with channels and event ids, and the same fields as its XML rendering', async (name) => {
    const items = await readAll(join(EVTX_FIXTURES, name));
    expect(errorsOf(items)).toEqual([]);
    const records = recordsOf(items);
    // evtxexport's rendering of the same file is Event XML: read it with the XML reader and compare.
    const reference = scratch.write(`${name}.xml`, readFileSync(join(EVTX_FIXTURES, name.replace(/\.evtx$/, '.evtxexport.txt'))));
    const referenceRecords = recordsOf(await readAll(reference));
    expect(records.length).toBe(referenceRecords.length);
    expect(records.length).toBeGreaterThan(0);
    records.forEach((record, i) => {
      const expected = referenceRecords[i];
      expect(record.index).toBe(i);
      expect(record.channel).toBe(expected?.channel);
      expect(record.eventId).toBe(expected?.eventId);
      expect(record.version).toBe(expected?.version);
      expect(typeof record.channel).toBe('string');
      expect(Number.isInteger(record.eventId)).toBe(true);
      // XML end-of-line handling (XML 1.0 section 2.11) turns CR LF in values into LF; EVTX keeps CR LF.
      const normalized = JSON.parse(JSON.stringify(fieldsOf(record)).replace(/\\r\\n/g, '\\n')) as unknown;
      expect(normalized).toEqual(fieldsOf(expected!));
    });
  });

  it('knows an EVTX file by its signature whatever its name', async () => {
    const renamed = join(scratch.dir, 'sysmon.json');
    copyFileSync(join(EVTX_FIXTURES, 'sysmon_13_rdp_settings_tampering.evtx'), renamed);
    const records = recordsOf(await readAll(renamed));
    expect(records).toHaveLength(20);
    expect(new Set(records.map((r) => r.channel))).toEqual(new Set(['Microsoft-Windows-Sysmon/Operational']));
    expect(records.filter((r) => r.eventId === 13)).not.toHaveLength(0);
  });

  it('reports a damaged .evtx with line = record index + 1 and reads the records it can', async () => {
    const bytes = readFileSync(join(EVTX_FIXTURES, 'exec_sysmon_1_11_lolbin_rundll32_openurl_FileProtocolHandler.evtx'));
    const damaged = Buffer.from(bytes.subarray(0, bytes.length));
    // Wipe the middle of the first chunk's records: some records break, the others still come out.
    damaged.fill(0x41, 4096 + 512 + 2000, 4096 + 512 + 2600);
    const items = await scratch.read('damaged.evtx', damaged);
    const errors = errorsOf(items);
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.diagnostic.code).toBe('events/evtx-record');
      expect(error.diagnostic.column).toBe(1);
      expect(error.diagnostic.message).toMatch(/byte offset \d+/);
    }
    expect(recordsOf(items).length).toBeGreaterThan(0);
  });
});

describe('readEvents on a damaged .evtx header', () => {
  const scratchEvtx = useScratch();

  it('still hands a .evtx without its signature to the EVTX reader, which recovers the chunks', async () => {
    const bytes = Buffer.from(readFileSync(join(EVTX_FIXTURES, 'sysmon_13_rdp_settings_tampering.evtx')));
    bytes.fill(0x01, 0, 8);
    const items = await scratchEvtx.read('no-signature.evtx', bytes);
    expect(errorsOf(items).map((e) => e.diagnostic.code)).toEqual(['events/evtx-record']);
    expect(recordsOf(items)).toHaveLength(20);
    // The same bytes under another name are not a known format.
    const renamed = await scratchEvtx.read('no-signature.bin', bytes);
    expect(summarize(renamed)).toEqual([{ error: 'events/unknown-format', index: undefined, line: 1, column: 1 }]);
  });
});
