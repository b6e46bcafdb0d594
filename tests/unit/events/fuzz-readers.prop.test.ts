// A seeded, bounded fuzz test of each reader as `dac scan` runs it: bytes of a real file of each
// format (EVTX, Event XML, JSON, NDJSON) are damaged at the byte level (flips, cuts, garbage, repeats,
// zeroed stretches, a changed encoding mark), then read through readEvents from a stream delivered in
// random pieces, as a pipe delivers them. Whatever the bytes, reading ends, never throws, gives every
// event and error a sane place, and does not depend on how the bytes were cut into pieces.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventItem } from '../../../src/events/event-item.js';
import { readEvents } from '../../../src/events/read-events.js';
import { EVENT_FIXTURES, EVTX_FIXTURES } from './read-test-helpers.js';

/** Fixed seeds: a failure is reproduced by running the suite again, on any machine. */
const SEED = 1_300_013;
const RUNS = 60;

const READERS = [
  { name: 'evtx', file: 'f.evtx', bytes: readFileSync(join(EVTX_FIXTURES, 'sysmon_13_rdp_settings_tampering.evtx')) },
  { name: 'xml', file: 'f.xml', bytes: readFileSync(join(EVENT_FIXTURES, 'events-mixed.xml')) },
  { name: 'json', file: 'f.json', bytes: Buffer.concat([readFileSync(join(EVENT_FIXTURES, 'flat-array.json')), readFileSync(join(EVENT_FIXTURES, 'evtx-dump-pretty.json'))]) },
  { name: 'ndjson', file: 'f.ndjson', bytes: Buffer.concat([readFileSync(join(EVENT_FIXTURES, 'winlogbeat.ndjson')), readFileSync(join(EVENT_FIXTURES, 'flat.ndjson'))]) },
] as const;

type Damage = (bytes: Buffer) => Buffer;

/** Byte-level damage, each at a place drawn in the file. */
const damage = (length: number): fc.Arbitrary<Damage> => {
  const at = fc.integer({ min: 0, max: length });
  return fc.oneof(
    fc.array(fc.record({ at, xor: fc.integer({ min: 1, max: 255 }) }), { minLength: 1, maxLength: 8 }).map((flips) => (bytes: Buffer) => {
      const copy = Buffer.from(bytes);
      for (const { at: i, xor } of flips) if (i < copy.length) copy[i] = (copy[i] as number) ^ xor;
      return copy;
    }),
    at.map((cut) => (bytes: Buffer) => bytes.subarray(0, cut)),
    fc.tuple(at, fc.uint8Array({ minLength: 1, maxLength: 64 })).map(([i, junk]) => (bytes: Buffer) => Buffer.concat([bytes.subarray(0, i), junk, bytes.subarray(i)])),
    fc.tuple(at, fc.integer({ min: 1, max: 4096 })).map(([i, size]) => (bytes: Buffer) => Buffer.concat([bytes.subarray(0, i), bytes.subarray(i, i + size), bytes.subarray(i)])),
    fc.tuple(at, fc.integer({ min: 1, max: 4096 })).map(([i, size]) => (bytes: Buffer) => {
      const copy = Buffer.from(bytes);
      copy.fill(0, i, Math.min(copy.length, i + size));
      return copy;
    }),
    fc.constantFrom(Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from([0xff, 0xfe]), Buffer.from([0xfe, 0xff])).map((mark) => (bytes: Buffer) => Buffer.concat([mark, bytes])),
  );
};

/** The bytes as a stream cut in the given piece sizes (repeated), as a pipe delivers them. */
async function* inPieces(bytes: Buffer, sizes: readonly number[]): AsyncIterable<Uint8Array> {
  for (let at = 0, i = 0; at < bytes.length; i += 1) {
    const size = sizes[i % sizes.length] as number;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

async function readAllFrom(file: string, bytes: Buffer, sizes: readonly number[]): Promise<EventItem[]> {
  const items: EventItem[] = [];
  for await (const item of readEvents({ name: file, chunks: inPieces(bytes, sizes) })) items.push(item);
  return items;
}

/** What a reading came to, for comparing two readings of the same bytes. */
const summarize = (items: readonly EventItem[]): string[] =>
  items.map((item) => (item.kind === 'event' ? `event ${item.record.index} ${JSON.stringify(item.record.fieldNames().map((name) => [name, item.record.get(name)]))}` : `error ${item.index ?? '-'} ${item.diagnostic.code} ${item.diagnostic.line}:${item.diagnostic.column}`));

describe.each(READERS)('the $name reader under byte-level fuzzing', ({ file, bytes }) => {
  it('reads a stream that starts with tiny pieces as it reads the whole file (signature and byte-order mark need 8 bytes)', async () => {
    const utf16 = file.endsWith('.evtx') ? bytes : Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('utf8'), 'utf16le')]);
    const whole = summarize(await readAllFrom(file, utf16, [utf16.length]));
    expect(whole.filter((line) => line.startsWith('event')).length).toBeGreaterThan(0);
    expect(summarize(await readAllFrom(file, utf16, [1, 1, 1, 2, 3, 65536]))).toEqual(whole);
  });

  it('never throws, places every item sanely, and reads the same whatever the pieces', async () => {
    await fc.assert(
      fc.asyncProperty(damage(bytes.length), fc.array(fc.integer({ min: 1, max: 70_000 }), { minLength: 1, maxLength: 5 }), async (mutate, sizes) => {
        const damaged = mutate(bytes);
        const whole = await readAllFrom(file, damaged, [damaged.length + 1]);
        let last = -1;
        for (const item of whole) {
          if (item.kind === 'event') {
            // Positions only go forward: every record takes the next place (or later, after a damaged stretch).
            expect(item.record.index).toBeGreaterThan(last);
            last = item.record.index;
          } else {
            expect(item.diagnostic.line).toBeGreaterThanOrEqual(1);
            expect(item.diagnostic.column).toBeGreaterThanOrEqual(1);
            expect(item.diagnostic.message.length).toBeGreaterThan(0);
            if (item.index !== undefined) {
              expect(item.index).toBeGreaterThan(last);
              last = item.index;
            }
          }
        }
        expect(summarize(await readAllFrom(file, damaged, sizes))).toEqual(summarize(whole));
      }),
      { seed: SEED, numRuns: RUNS },
    );
  }, 120_000);
});
