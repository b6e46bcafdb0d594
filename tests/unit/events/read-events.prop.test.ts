import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventItem, TextEventParser } from '../../../src/events/event-item.js';
import { JsonStreamParser } from '../../../src/events/read-json-stream.js';
import { NdjsonParser } from '../../../src/events/read-ndjson.js';
import { XmlEventParser } from '../../../src/events/read-xml.js';
import { EVENT_FIXTURES, feedInPieces, summarize } from './read-test-helpers.js';

const fixtureText = (name: string): string => readFileSync(join(EVENT_FIXTURES, name), 'utf8');

const FORMATS: readonly { name: string; text: string; create: () => TextEventParser }[] = [
  { name: 'xml', text: fixtureText('events-mixed.xml') + fixtureText('seed-4688-pasted.xml'), create: () => new XmlEventParser('f', { maxEventChars: 1300, stashChars: 100 }) },
  { name: 'ndjson', text: fixtureText('flat.ndjson') + fixtureText('winlogbeat.ndjson'), create: () => new NdjsonParser('f', { maxLineChars: 1500 }) },
  { name: 'json-stream', text: fixtureText('evtx-dump-pretty.json') + fixtureText('flat-array.json'), create: () => new JsonStreamParser('f', { maxValueChars: 2000 }) },
];

/** Damage: cut the text short, splice in garbage, or drop a stretch. */
const damage = (length: number): fc.Arbitrary<(text: string) => string> =>
  fc.oneof(
    fc.integer({ min: 0, max: length }).map((at) => (text: string) => text.slice(0, at)),
    fc
      .tuple(fc.integer({ min: 0, max: length }), fc.string({ unit: fc.constantFrom('<', '>', '{', '}', '[', ']', '"', '\\', '\n', '/', 'a', ',', '&', ';', '-'), maxLength: 12 }))
      .map(([at, junk]) => (text: string) => text.slice(0, at) + junk + text.slice(at)),
    fc.tuple(fc.integer({ min: 0, max: length }), fc.integer({ min: 1, max: 200 })).map(([at, size]) => (text: string) => text.slice(0, at) + text.slice(at + size)),
  );

/** Records and record errors must take positions 0..n-1, each once, in order. */
function expectContiguousPositions(items: readonly EventItem[]): void {
  const positions = items.flatMap((item) => (item.kind === 'event' ? [item.record.index] : item.index === undefined ? [] : [item.index]));
  expect(positions).toEqual(positions.map((_, i) => i));
  for (const item of items) {
    if (item.kind === 'error') {
      expect(item.diagnostic.line).toBeGreaterThanOrEqual(1);
      expect(item.diagnostic.column).toBeGreaterThanOrEqual(1);
    }
  }
}

describe.each(FORMATS)('$name reader on damaged input', ({ text, create }) => {
  it('never throws, numbers every record once, and does not depend on chunking', () => {
    fc.assert(
      fc.property(damage(text.length), fc.array(fc.integer({ min: 1, max: 300 }), { minLength: 1, maxLength: 4 }), (mutate, sizes) => {
        const damaged = mutate(text);
        const whole = feedInPieces(create(), damaged, [damaged.length + 1]);
        expectContiguousPositions(whole);
        expect(summarize(feedInPieces(create(), damaged, sizes))).toEqual(summarize(whole));
      }),
      { seed: 1_300_013, numRuns: 150 },
    );
  });
});
