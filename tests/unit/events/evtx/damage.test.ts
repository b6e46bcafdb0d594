import { describe, expect, it } from 'vitest';
import { readEvtxBuffer, type EvtxItem } from '../../../../src/events/evtx/read-evtx.js';
import {
  buildChunk,
  buildEvtxFile,
  fixChunkHeaderCrc,
  fixRecordsCrc,
  utf16Bytes,
  type XNode,
  type XRecord,
  type XValue,
} from './helpers/evtx-writer.js';

const TEMPLATE: XNode = { el: 'Event', children: [{ el: 'System', children: [{ el: 'EventRecordID', children: [{ sub: 0 }] }] }] };

function threeRecords(): XRecord[] {
  return [1, 2, 3].map((id) => ({
    id,
    body: { template: TEMPLATE, values: [{ type: 0x01, bytes: utf16Bytes(String(id)) }], reuseTemplateOf: id === 1 ? undefined : 1 },
  }));
}

/** Offsets inside a chunk written by buildChunk: records start at 512 with a 24-byte header, then a fragment header. */
const FIRST_RECORD = 512;
const FIRST_TEMPLATE_INSTANCE = FIRST_RECORD + 24 + 4;

function readU32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset).getUint32(at, true);
}

function writeU32(bytes: Uint8Array, at: number, value: number): void {
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(at, value >>> 0, true);
}

/** Summarises items as record ids and error messages with their positions. */
function summarise(items: Iterable<EvtxItem>): string[] {
  return [...items].map((item) =>
    item.kind === 'record' ? `#${item.index} record ${String(item.recordId)}` : `#${item.index} error ${item.message}`,
  );
}

function readChunk(chunk: Uint8Array): string[] {
  return summarise(readEvtxBuffer(buildEvtxFile([chunk])));
}

describe('damaged chunks and records', () => {
  it('reads an intact chunk without diagnostics (the baseline the other cases change)', () => {
    expect(readChunk(buildChunk(threeRecords()))).toEqual(['#0 record 1', '#1 record 2', '#2 record 3']);
  });

  it('reports a chunk header checksum mismatch and still reads every record', () => {
    const chunk = buildChunk(threeRecords());
    chunk[100] = 0x55;
    expect(readChunk(chunk)).toEqual([
      '#0 error chunk header checksum mismatch; reading the chunk anyway',
      '#0 record 1',
      '#1 record 2',
      '#2 record 3',
    ]);
  });

  it('reports a records checksum mismatch and still reads every record', () => {
    const chunk = buildChunk(threeRecords());
    writeU32(chunk, 52, readU32(chunk, 52) ^ 1);
    fixChunkHeaderCrc(chunk);
    expect(readChunk(chunk)).toEqual([
      '#0 error chunk records checksum mismatch; reading the records anyway',
      '#0 record 1',
      '#1 record 2',
      '#2 record 3',
    ]);
  });

  it('recovers every record of a chunk whose header signature is destroyed', () => {
    const chunk = buildChunk(threeRecords());
    chunk.fill(0x58, 0, 8);
    expect(readChunk(chunk)).toEqual([
      '#0 error chunk header signature "ElfChnk" missing; scanning the chunk for records',
      '#0 record 1',
      '#1 record 2',
      '#2 record 3',
    ]);
  });

  it('gives a record with a huge declared size its position, then scans on to the next record', () => {
    const chunk = buildChunk(threeRecords());
    writeU32(chunk, FIRST_RECORD + 4, 0xfffffff0);
    fixRecordsCrc(chunk);
    expect(readChunk(chunk)).toEqual([
      '#0 error event record has an invalid size (4294967280) or its copy of the size differs',
      '#1 record 2',
      '#2 record 3',
    ]);
  });

  it('skips garbage without a record signature and carries on with the next record', () => {
    const chunk = buildChunk(threeRecords());
    const second = FIRST_RECORD + readU32(chunk, FIRST_RECORD + 4);
    const third = second + readU32(chunk, second + 4);
    chunk.fill(0xee, second, third);
    fixRecordsCrc(chunk);
    expect(readChunk(chunk)).toEqual([
      '#0 record 1',
      `#1 error no event record signature; skipped ${third - second} bytes`,
      '#1 record 3',
    ]);
  });

  it('turns garbage inside a record into an error item for that record only', () => {
    const chunk = buildChunk(threeRecords());
    const second = FIRST_RECORD + readU32(chunk, FIRST_RECORD + 4);
    chunk.fill(0xee, second + 24, second + readU32(chunk, second + 4) - 4);
    fixRecordsCrc(chunk);
    const items = readChunk(chunk);
    expect(items[0]).toBe('#0 record 1');
    expect(items[1]).toMatch(/^#1 error event record 2: /);
    expect(items[2]).toBe('#2 record 3');
    expect(items).toHaveLength(3);
  });

  it('reports a template definition offset outside the chunk', () => {
    const chunk = buildChunk(threeRecords());
    writeU32(chunk, FIRST_TEMPLATE_INSTANCE + 6, 0x7fffffff);
    fixRecordsCrc(chunk);
    const items = readChunk(chunk);
    expect(items[0]).toBe('#0 error event record 1: template definition offset outside the chunk');
    expect(items).toHaveLength(3);
  });

  it('reports a name offset outside the chunk', () => {
    const chunk = buildChunk([{ id: 1, body: { plain: { el: 'Event', children: [{ el: 'System' }] } } }]);
    // Plain fragment: element token, data size, then the name offset (no dependency identifier).
    writeU32(chunk, FIRST_RECORD + 24 + 4 + 5, 0x00fffff0);
    fixRecordsCrc(chunk);
    expect(readChunk(chunk)).toEqual(['#0 error event record 1: invalid element start']);
  });

  it('reports a template value count larger than the record', () => {
    const chunk = buildChunk(threeRecords());
    const definition = readU32(chunk, FIRST_TEMPLATE_INSTANCE + 6);
    const countAt = definition + 24 + readU32(chunk, definition + 20);
    writeU32(chunk, countAt, 0xffffffff);
    fixRecordsCrc(chunk);
    const items = readChunk(chunk);
    expect(items[0]).toBe('#0 error event record 1: template value count 4294967295 exceeds the record');
    // Later records reuse the definition, which is intact: they still render.
    expect(items.slice(1)).toEqual(['#1 record 2', '#2 record 3']);
  });

  it('refuses a template definition that instantiates itself', () => {
    const chunk = buildChunk(threeRecords());
    const definition = readU32(chunk, FIRST_TEMPLATE_INSTANCE + 6);
    // Replace the definition's root element with a template instance pointing at the definition.
    const body = definition + 24 + 4;
    chunk.set([0x0c, 0x01, 0, 0, 0, 0], body);
    writeU32(chunk, body + 6, definition);
    writeU32(chunk, body + 10, 0);
    chunk[body + 14] = 0x00;
    fixRecordsCrc(chunk);
    expect(readChunk(chunk)).toEqual([
      '#0 error event record 1: template definition instantiates itself',
      '#1 error event record 2: template definition instantiates itself',
      '#2 error event record 3: template definition instantiates itself',
    ]);
  });

  it('reads deep nesting up to the limit and refuses deeper nesting', () => {
    const nest = (levels: number): XNode => {
      let node: XNode = { el: 'Leaf', children: [{ text: 'x' }] };
      for (let i = 0; i < levels; i++) node = { el: 'N', children: [node] };
      return node;
    };
    const items = summarise(
      readEvtxBuffer(
        buildEvtxFile([
          buildChunk([
            { id: 1, body: { template: nest(150), values: [] } },
            { id: 2, body: { template: nest(400), values: [] } },
          ]),
        ]),
      ),
    );
    expect(items).toEqual(['#0 record 1', '#1 error event record 2: BinXML nested deeper than 200 levels']);
  });

  it('refuses Binary XML values nested hundreds deep', () => {
    let value: XValue = { type: 0x01, bytes: utf16Bytes('bottom') };
    for (let i = 0; i < 300; i++) value = { nested: { template: { el: 'L', children: [{ sub: 0 }] }, values: [value] } };
    const items = readChunk(buildChunk([{ id: 1, body: { template: { el: 'Event', children: [{ sub: 0 }] }, values: [value] } }]));
    expect(items).toEqual(['#0 error event record 1: BinXML nested deeper than 200 levels']);
  });

  it('stops a record whose array repetition would render too many nodes', () => {
    const repeated: XNode = { el: 'Event', children: Array.from({ length: 20 }, () => ({ el: 'D', children: [{ sub: 0 }] })) };
    const items = readChunk(
      buildChunk([
        { id: 1, body: { template: repeated, values: [{ type: 0x84, bytes: new Uint8Array(30000) }] } },
        { id: 2, body: { template: repeated, values: [{ type: 0x84, bytes: new Uint8Array(3) }] } },
      ]),
    );
    expect(items).toEqual(['#0 error event record 1: record renders to too many nodes', '#1 record 2']);
  });
});

describe('damaged files', () => {
  it('skips zero-filled (unused) chunks silently', () => {
    const file = buildEvtxFile([buildChunk(threeRecords()), new Uint8Array(65536), buildChunk(threeRecords())]);
    expect(summarise(readEvtxBuffer(file))).toEqual([
      '#0 record 1',
      '#1 record 2',
      '#2 record 3',
      '#3 record 1',
      '#4 record 2',
      '#5 record 3',
    ]);
  });

  it('reports a file header checksum mismatch and still reads the chunks', () => {
    const file = buildEvtxFile([buildChunk(threeRecords())]);
    file[42] = (file[42] as number) ^ 0xff;
    expect(summarise(readEvtxBuffer(file))).toEqual([
      '#0 error file header checksum mismatch',
      '#0 record 1',
      '#1 record 2',
      '#2 record 3',
    ]);
  });

  it('reports a missing file signature and still reads the chunks', () => {
    const file = buildEvtxFile([buildChunk(threeRecords())]);
    file.fill(0, 0, 8);
    expect(summarise(readEvtxBuffer(file))[0]).toBe('#0 error file header signature "ElfFile" missing; looking for chunks anyway');
    expect(summarise(readEvtxBuffer(file))).toHaveLength(4);
  });

  it('reports a file cut inside its header', () => {
    const file = buildEvtxFile([buildChunk(threeRecords())]);
    expect(summarise(readEvtxBuffer(file.subarray(0, 100)))).toEqual(['#0 error truncated file header: 100 of 4096 bytes']);
    expect(summarise(readEvtxBuffer(new Uint8Array()))).toEqual(['#0 error truncated file header: 0 of 4096 bytes']);
  });

  it('says so when a small file is not an EVTX file at all', () => {
    expect(summarise(readEvtxBuffer(new TextEncoder().encode('{"EventID": 1}')))).toEqual([
      '#0 error not an EVTX file: no "ElfFile" signature',
    ]);
  });

  it('reports a file cut inside a record and keeps the records before the cut', () => {
    const file = buildEvtxFile([buildChunk(threeRecords())]);
    const chunk = file.subarray(4096);
    const cut = 4096 + FIRST_RECORD + readU32(chunk, FIRST_RECORD + 4) + 10;
    expect(summarise(readEvtxBuffer(file.subarray(0, cut)))).toEqual([
      `#0 error truncated chunk: ${cut - 4096} of 65536 bytes`,
      '#0 record 1',
    ]);
  });

  it('gives error offsets as file offsets', () => {
    const file = buildEvtxFile([buildChunk(threeRecords()), buildChunk(threeRecords())]);
    writeU32(file, 4096 + 65536 + FIRST_RECORD + 4, 0xfffffff0);
    const errors = [...readEvtxBuffer(file)].filter((item) => item.kind === 'error');
    expect(errors).toMatchObject([
      { index: 3, offset: 4096 + 65536 + 52, message: 'chunk records checksum mismatch; reading the records anyway' },
      { index: 3, offset: 4096 + 65536 + FIRST_RECORD, message: expect.stringMatching(/invalid size/) },
    ]);
  });
});
