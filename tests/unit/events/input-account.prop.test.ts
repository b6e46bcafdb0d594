import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../../src/compile/event-record.js';
import { createEventError, type EventItem } from '../../../src/events/event-item.js';
import { formatInputAccount, InputAccountant, totalAccounts } from '../../../src/events/input-account.js';

const record = (index: number, channel?: string, eventId?: number, keys: readonly string[] = ['Image']): EventRecord => ({
  file: 'f',
  index,
  ...(channel === undefined ? {} : { channel }),
  ...(eventId === undefined ? {} : { eventId }),
  get: () => undefined,
  fieldNames: () => keys,
});

type Step =
  | { readonly kind: 'known' | 'unknown-channel' | 'flat' | 'damaged' | 'stray' }
  | { readonly kind: 'prefiltered'; readonly lines: number };

const step: fc.Arbitrary<Step> = fc.oneof(
  fc.constantFrom<Step>({ kind: 'known' }, { kind: 'unknown-channel' }, { kind: 'flat' }, { kind: 'damaged' }, { kind: 'stray' }),
  fc.integer({ min: 1, max: 5 }).map((lines): Step => ({ kind: 'prefiltered', lines })),
);

/** Recognises the Security channel only. */
const recognise = (r: EventRecord): string | undefined => (r.channel === 'Security' ? 'channel-security' : undefined);

describe('InputAccountant (properties)', () => {
  it('counts every record once: read is recognised + not recognised + skipped + not parsed, whatever the mix', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        const accountant = new InputAccountant('f', recognise);
        let position = 0;
        let records = 0;
        for (const s of steps) {
          const item = (at: number): EventItem | undefined => {
            switch (s.kind) {
              case 'known': return { kind: 'event', record: record(at, 'Security', 4624), format: 'evtx' };
              case 'unknown-channel': return { kind: 'event', record: record(at, 'Foo/Operational', 1), format: 'event-xml' };
              case 'flat': return { kind: 'event', record: record(at), format: 'flat-json', keys: () => ['Image'] };
              case 'damaged': return createEventError('f', { line: at + 1, column: 1 }, 'events/malformed-json', 'bad', at);
              case 'stray': return createEventError('f', { line: 1, column: 1 }, 'events/stray-text', 'not a record');
              case 'prefiltered': return undefined;
            }
          };
          if (s.kind === 'prefiltered') {
            accountant.countNotParsed(s.lines);
            position += s.lines;
            records += s.lines;
            continue;
          }
          const next = item(position);
          if (next) accountant.count(next);
          if (s.kind !== 'stray') {
            position += 1;
            records += 1;
          }
        }
        const account = accountant.finish();
        const totals = totalAccounts([account]);
        expect(totals.read).toBe(records);
        expect(totals.recognised + totals.taxonomy + totals.unrecognised + totals.skipped + totals.notParsed).toBe(totals.read);
        expect(account.problems).toBe(steps.filter((s) => s.kind === 'stray').length);
        expect(totals.recognised).toBe(steps.filter((s) => s.kind === 'known').length);
        expect(totals.taxonomy).toBe(steps.filter((s) => s.kind === 'flat').length);
        expect(totals.unrecognised).toBe(steps.filter((s) => s.kind === 'unknown-channel').length);
      }),
    );
  });

  it('names shapes and reasons with the first position, and a file it could not read', () => {
    const accountant = new InputAccountant('x.json', recognise);
    accountant.count({ kind: 'event', record: record(0, 'Foo/Operational', 7), format: 'log-analytics', keys: () => ['Channel', 'EventID'] });
    accountant.count({ kind: 'event', record: record(1, undefined, undefined, ['b', 'a']), format: 'flat-json', keys: () => ['b', 'a'] });
    accountant.count({ kind: 'event', record: record(2, 'Foo/Operational', 7), format: 'log-analytics', keys: () => ['Channel', 'EventID'] });
    expect(formatInputAccount(accountant.finish())).toBe([
      'x.json: 3 records read: 0 recognised, 1 as taxonomy fields, 2 not recognised, 0 skipped',
      '  as taxonomy fields (no channel or event id: Sigma field names as they stand, seen by every rule): 1 × flat JSON, keys {a, b} (first #1)',
      "  not recognised: 2 × Log Analytics / Sentinel row, channel 'Foo/Operational', event id 7, keys {Channel, EventID}: no mapping knows this log source (first #0)",
    ].join('\n'));
    const missing = new InputAccountant('gone.evtx', recognise);
    missing.count(createEventError('gone.evtx', { line: 1, column: 1 }, 'events/unreadable-file', 'cannot read the file: ENOENT'));
    expect(formatInputAccount(missing.finish())).toBe('gone.evtx: not read: cannot read the file: ENOENT');
  });
});
