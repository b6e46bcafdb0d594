import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readEvtx, readEvtxBuffer, type EvtxItem } from '../../../../src/events/evtx/read-evtx.js';
import type { XmlElement } from '../../../../src/events/xml-element.js';
import { buildEvtxFile, splitChunks } from './helpers/evtx-writer.js';
import { loadReferenceExport } from './helpers/reference-export.js';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/evtx/', import.meta.url));
const SAMPLES = [
  'DE_RDP_Tunnel_5156',
  'exec_sysmon_1_11_lolbin_rundll32_openurl_FileProtocolHandler',
  'sysmon_13_rdp_settings_tampering',
  'tutto_malseclogon',
] as const;

function loadSample(name: string): Uint8Array {
  return new Uint8Array(readFileSync(join(FIXTURES, `${name}.evtx`)));
}

function selectRecords(items: Iterable<EvtxItem>): Extract<EvtxItem, { kind: 'record' }>[] {
  return [...items].filter((item): item is Extract<EvtxItem, { kind: 'record' }> => item.kind === 'record');
}

function findChild(element: XmlElement, name: string): XmlElement | undefined {
  return element.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === name);
}

/** Plain-object copy, so null-prototype attribute maps compare by content. */
function toPlain(element: XmlElement | undefined): unknown {
  return JSON.parse(JSON.stringify(element ?? null));
}

async function collect(iterable: AsyncIterable<EvtxItem>): Promise<EvtxItem[]> {
  const items: EvtxItem[] = [];
  for await (const item of iterable) items.push(item);
  return items;
}

describe.each(SAMPLES)('sample %s against the evtxexport reference', (name) => {
  const items = [...readEvtxBuffer(loadSample(name))];
  const reference = loadReferenceExport(join(FIXTURES, `${name}.evtxexport.txt`));
  const got = selectRecords(items);

  it('reads every record, in order, without errors', () => {
    expect(items.filter((item) => item.kind === 'error')).toEqual([]);
    expect(got.length).toBe(reference.length);
    expect(got.map((r) => r.index)).toEqual(reference.map((_, i) => i));
  });

  it('renders System children and attributes exactly as the reference', () => {
    got.forEach((record, i) => {
      const system = findChild(record.element, 'System');
      const expected = findChild(reference[i]!, 'System');
      expect(system?.children.length).toBeGreaterThan(5);
      expect(toPlain(system)).toEqual(toPlain(expected));
    });
  });

  it('renders EventData / UserData exactly as the reference', () => {
    got.forEach((record, i) => {
      for (const section of ['EventData', 'UserData']) {
        expect(toPlain(findChild(record.element, section))).toEqual(toPlain(findChild(reference[i]!, section)));
      }
      expect(findChild(record.element, 'EventData') ?? findChild(record.element, 'UserData')).toBeDefined();
    });
  });

  it('renders whole records equal to the reference, root attributes included', () => {
    got.forEach((record, i) => expect(toPlain(record.element)).toEqual(toPlain(reference[i])));
  });

  it('reports the record identifier and written time of each record header', () => {
    // These exported samples number their record headers 1..n; EventRecordID keeps the original.
    expect(got.map((r) => r.recordId)).toEqual(got.map((_, i) => i + 1));
    for (const record of got) expect(record.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
  });
});

it('decodes the record header written time (FILETIME 0x01d4dcfe7b245ce0)', () => {
  const first = selectRecords(readEvtxBuffer(loadSample('sysmon_13_rdp_settings_tampering')))[0];
  expect(first?.timestamp).toBe('2019-03-17T20:17:44.637155200Z');
});

describe('readEvtx (streaming from a file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'evtx-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('yields exactly what readEvtxBuffer yields for each sample', async () => {
    for (const name of SAMPLES) {
      const fromFile = await collect(readEvtx(join(FIXTURES, `${name}.evtx`)));
      expect(fromFile).toEqual([...readEvtxBuffer(loadSample(name))]);
      expect(fromFile.length).toBeGreaterThan(10);
    }
  });

  it('reads a multi-chunk file chunk by chunk with positions running across chunks', async () => {
    const chunks = SAMPLES.flatMap((name) => splitChunks(loadSample(name)));
    const file = buildEvtxFile([...chunks, ...chunks]);
    const path = join(dir, 'multi.evtx');
    writeFileSync(path, file);
    const items = await collect(readEvtx(path));
    const expectedIds = SAMPLES.flatMap((name) => selectRecords(readEvtxBuffer(loadSample(name))).map((r) => r.recordId));
    expect(items.filter((item) => item.kind === 'error')).toEqual([]);
    expect(selectRecords(items).map((r) => r.recordId)).toEqual([...expectedIds, ...expectedIds]);
    expect(items.map((item) => item.index)).toEqual(items.map((_, i) => i));
  });

  it('stops cleanly on a file cut inside a chunk and reports the truncation', async () => {
    const full = loadSample('sysmon_13_rdp_settings_tampering');
    const path = join(dir, 'cut.evtx');
    writeFileSync(path, full.subarray(0, 4096 + 20000));
    const items = await collect(readEvtx(path));
    expect(items.some((item) => item.kind === 'error' && /truncated chunk/.test(item.message))).toBe(true);
    const complete = selectRecords(readEvtxBuffer(full));
    const got = selectRecords(items);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(complete.length);
    got.forEach((record, i) => expect(toPlain(record.element)).toEqual(toPlain(complete[i]!.element)));
  });

  it('reads front to back and yields the first record before pulling further chunks, from a path or any byte stream', async () => {
    const chunks = SAMPLES.flatMap((name) => splitChunks(loadSample(name)));
    const path = join(dir, 'stream.evtx');
    const file = buildEvtxFile([...chunks, ...chunks]);
    writeFileSync(path, file);
    let pulled = 0;
    // A stream in odd-sized pieces, as a pipe delivers them: the reader must not depend on chunk sizes.
    async function* pieces(): AsyncIterable<Uint8Array> {
      for (let at = 0; at < file.length; at += 10_000) {
        const piece = file.subarray(at, at + 10_000);
        pulled += piece.length;
        yield piece;
      }
    }
    const iterator = readEvtx(pieces())[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.value).toMatchObject({ kind: 'record', index: 0 });
    expect(pulled).toBeLessThanOrEqual(4096 + 65536 + 10_000);
    let count = 1;
    while (!(await iterator.next()).done) count++;
    expect(count).toBe(selectRecords(readEvtxBuffer(file)).length);
    expect(pulled).toBe(file.length);
    expect(selectRecords(await collect(readEvtx(path))).length).toBe(count);
  });

  it('rejects when the file cannot be opened (an I/O problem, not damage)', async () => {
    await expect(collect(readEvtx(join(dir, 'missing.evtx')))).rejects.toThrow(/ENOENT/);
  });
});
