import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JsonStreamParser } from '../../../src/events/read-json-stream.js';
import { NdjsonParser } from '../../../src/events/read-ndjson.js';
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

describe('flat NDJSON', () => {
  it('reads each non-blank line as one event, positions counting non-blank lines only', async () => {
    const items = await readAll(resolveFixture('flat.ndjson'));
    expect(errorsOf(items)).toEqual([]);
    const records = recordsOf(items);
    expect(records.map((r) => [r.index, r.get('Image')])).toEqual([
      [0, 'C:\\Windows\\System32\\cmd.exe'],
      [1, 'C:\\Program Files\\Mozilla Firefox\\firefox.exe'],
      [2, 'C:\\Windows\\System32\\whoami.exe'],
    ]);
    expect(records[0]?.get('ProcessId')).toBe(5232);
    expect(records[0]?.channel).toBeUndefined();
    expect(records[0]?.eventId).toBeUndefined();
    // Dotted names walk nested objects of flat events.
    expect(records[2]?.get('process.executable')).toBe('C:\\Windows\\System32\\whoami.exe');
  });

  it('reports bad lines where they are and reads on (CRLF, malformed JSON, not an object)', async () => {
    const text = '{"a":1}\r\n\r\n{"a":\r\n[1,2]\r\n   \r\n{"a":4}';
    const items = await scratch.read('bad.ndjson', text);
    expect(summarize(items)).toEqual([
      { index: 0, fields: { a: 1 } },
      { error: 'events/malformed-json', index: 1, line: 3, column: expect.any(Number) },
      { error: 'events/not-an-object', index: 2, line: 4, column: 1 },
      { index: 3, fields: { a: 4 } },
    ]);
  });

  it('skips lines the prefilter refuses without parsing them, keeping positions', async () => {
    const seen: string[] = [];
    const items = await readAll(resolveFixture('flat.ndjson'), {
      prefilter: (line) => {
        seen.push(line);
        return line.toLowerCase().includes('whoami');
      },
    });
    expect(seen).toHaveLength(3);
    expect(recordsOf(items).map((r) => r.index)).toEqual([0, 2]);
  });

  it('caps a huge line: reported, not kept, and the next line is read', () => {
    const parser = new NdjsonParser('huge.ndjson', { maxLineChars: 100 });
    const text = `{"a":1}\n{"big":"${'x'.repeat(10_000)}"}\n{"a":3}\n`;
    const items = feedInPieces(parser, text, [37]);
    expect(summarize(items)).toEqual([
      { index: 0, fields: { a: 1 } },
      { error: 'events/record-too-large', index: 1, line: 2, column: 1 },
      { index: 2, fields: { a: 3 } },
    ]);
  });

  it('caps a real 20 MB line read from disk at 16 MiB', async () => {
    const big = `{"a":1}\n{"big":"${'y'.repeat(20 * 1024 * 1024)}"}\n{"a":3}`;
    const items = await scratch.read('huge.ndjson', big);
    expect(summarize(items)).toEqual([
      { index: 0, fields: { a: 1 } },
      { error: 'events/record-too-large', index: 1, line: 2, column: 1 },
      { index: 2, fields: { a: 3 } },
    ]);
  });

  it('gives the same result however the text is cut into chunks', () => {
    const text = readFileSync(resolveFixture('flat.ndjson'), 'utf8') + '\n{"broken": \n{"x":1}';
    const whole = summarize(feedInPieces(new NdjsonParser('f'), text, [text.length]));
    expect(whole).toHaveLength(5);
    for (const sizes of [[1], [2, 5], [100, 3]]) expect(summarize(feedInPieces(new NdjsonParser('f'), text, sizes))).toEqual(whole);
  });
});

describe('JSON arrays and concatenated JSON values', () => {
  it('reads a JSON array element by element, positions = array index', async () => {
    const records = recordsOf(await readAll(resolveFixture('flat-array.json')));
    expect(records.map((r) => [r.index, r.get('ParentImage')])).toEqual([
      [0, 'C:\\Windows\\System32\\inetsrv\\w3wp.exe'],
      [1, 'C:\\Windows\\explorer.exe'],
      [2, 'C:\\Program Files\\nginx\\nginx.exe'],
    ]);
    expect(records[1]?.get('CommandLine')).toBe('notepad.exe C:\\notes[1].txt');
    expect(records[2]?.get('Tags')).toEqual(['a', 'b']);
  });

  it('reports a truncated JSON array and keeps the elements before the cut', async () => {
    const text = '[\n  {"a": 1},\n  {"a": 2},\n  {"a": "thr';
    const items = await scratch.read('truncated.json', text);
    expect(summarize(items)).toEqual([
      { index: 0, fields: { a: 1 } },
      { index: 1, fields: { a: 2 } },
      { error: 'events/truncated', index: 2, line: 4, column: 3 },
    ]);
  });

  it('reports an array that is never closed', async () => {
    const items = await scratch.read('unclosed.json', '[{"a":1},\n');
    expect(summarize(items)).toEqual([{ index: 0, fields: { a: 1 } }, { error: 'events/truncated', index: undefined, line: 2, column: 1 }]);
  });

  it('reads malformed and non-object elements as errors at their index', async () => {
    const items = await scratch.read('mixed.json', '[{"a":1}, 42, "s", {"a":tru}, null, [1], {"a":5}]');
    expect(summarize(items)).toEqual([
      { index: 0, fields: { a: 1 } },
      { error: 'events/not-an-object', index: 1, line: 1, column: 11 },
      { error: 'events/not-an-object', index: 2, line: 1, column: 15 },
      { error: 'events/malformed-json', index: 3, line: 1, column: expect.any(Number) },
      { error: 'events/not-an-object', index: 4, line: 1, column: 31 },
      { error: 'events/not-an-object', index: 5, line: 1, column: 37 },
      { index: 6, fields: { a: 5 } },
    ]);
  });

  it('reads objects concatenated with no separator, and evtx_dump "Record N" headers silently', async () => {
    const items = await scratch.read('concat.json', 'Record 1\n{"a":1}{"a":2}\n{\n  "a": {"b": "}{"}\n}Record 7\n{"a":4}');
    expect(errorsOf(items)).toEqual([]);
    expect(summarize(items)).toEqual([
      { index: 0, fields: { a: 1 } },
      { index: 1, fields: { a: 2 } },
      { index: 2, fields: { a: { b: '}{' } } },
      { index: 3, fields: { a: 4 } },
    ]);
  });

  it('reports stray text between values without giving it a position', () => {
    const items = feedInPieces(new JsonStreamParser('stray.json'), '{"a":1}\ngarbage here\n{"a":2} ,, {"a":3}', [5]);
    expect(summarize(items)).toEqual([
      { index: 0, fields: { a: 1 } },
      { error: 'events/stray-text', index: undefined, line: 2, column: 1 },
      { index: 1, fields: { a: 2 } },
      { error: 'events/stray-text', index: undefined, line: 3, column: 9 },
      { index: 2, fields: { a: 3 } },
    ]);
    expect(errorsOf(items)[0]?.diagnostic.message).toContain('garbage here');
  });

  it('takes a string broken by a line feed as a truncated record and resumes at the next object', async () => {
    const text = '{\n  "a": 1\n}\n{\n  "a": "cut short\n{\n  "a": 3\n}\n';
    const items = await scratch.read('broken.json', text);
    expect(summarize(items)).toEqual([
      { index: 0, fields: { a: 1 } },
      { error: 'events/truncated', index: 1, line: 4, column: 1 },
      { index: 2, fields: { a: 3 } },
    ]);
  });

  it('skips a value larger than the cap and reads the next', () => {
    const text = `[{"a":1},{"big":"${'z'.repeat(5000)}"},{"a":3}]`;
    const items = feedInPieces(new JsonStreamParser('big.json', { maxValueChars: 1000 }), text, [256]);
    expect(summarize(items)).toEqual([
      { index: 0, fields: { a: 1 } },
      { error: 'events/record-too-large', index: 1, line: 1, column: 10 },
      { index: 2, fields: { a: 3 } },
    ]);
  });

  it('gives the same result however the text is cut into chunks', () => {
    const text = readFileSync(resolveFixture('evtx-dump-pretty.json'), 'utf8') + '\nxx {"a":"q\\"}{"} [1]';
    const whole = summarize(feedInPieces(new JsonStreamParser('f'), text, [text.length]));
    expect(whole.length).toBeGreaterThanOrEqual(4);
    for (const sizes of [[1], [3, 11], [4096, 1]]) expect(summarize(feedInPieces(new JsonStreamParser('f'), text, sizes))).toEqual(whole);
  });

  it('reads escaped quotes and backslashes inside strings', async () => {
    const [record] = recordsOf(await scratch.read('escapes.json', '[{"CommandLine":"cmd /c \\"a\\\\b\\" ]}"}]'));
    expect(fieldsOf(record!)).toEqual({ CommandLine: 'cmd /c "a\\b" ]}' });
  });
});
