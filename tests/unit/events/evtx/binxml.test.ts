import { describe, expect, it } from 'vitest';
import { readEvtxBuffer, type EvtxItem } from '../../../../src/events/evtx/read-evtx.js';
import type { XmlElement } from '../../../../src/events/xml-element.js';
import {
  buildChunk,
  buildEvtxFile,
  concatBytes,
  intBytes,
  utf16Bytes,
  type XNode,
  type XRecord,
  type XValue,
} from './helpers/evtx-writer.js';

type RecordItem = Extract<EvtxItem, { kind: 'record' }>;

function readRecords(records: readonly XRecord[]): EvtxItem[] {
  return [...readEvtxBuffer(buildEvtxFile([buildChunk(records)]))];
}

/** Renders one template instance and returns the root element (failing on any error item). */
function render(template: XNode, values: readonly XValue[]): XmlElement {
  const items = readRecords([{ id: 1, body: { template, values } }]);
  expect(items.filter((item) => item.kind === 'error')).toEqual([]);
  return (items[0] as RecordItem).element;
}

/** Plain-object copy, so null-prototype attribute maps compare by content. */
function toPlain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value));
}

function makeElement(name: string, children: unknown[] = [], attributes: Record<string, string> = {}): unknown {
  return { name, attributes, children };
}

/** A one-value template `<V>%0</V>` rendered with the given value. */
function renderValue(value: XValue): unknown {
  return toPlain(render({ el: 'V', children: [{ sub: 0 }] }, [value]).children);
}

const str = (text: string): XValue => ({ type: 0x01, bytes: utf16Bytes(text) });
const NULL: XValue = { type: 0x00, bytes: new Uint8Array() };

describe('BinXML value types', () => {
  it.each<[string, XValue, string[]]>([
    ['string (trailing NUL trimmed)', str('abc\0'), ['abc']],
    ['ansi string', { type: 0x02, bytes: Uint8Array.of(0x68, 0x69, 0x80, 0) }, ['hi\u20ac']],
    ['int8', { type: 0x03, bytes: intBytes(-5, 1) }, ['-5']],
    ['uint8', { type: 0x04, bytes: intBytes(200, 1) }, ['200']],
    ['int16', { type: 0x05, bytes: intBytes(-300, 2) }, ['-300']],
    ['uint16', { type: 0x06, bytes: intBytes(65535, 2) }, ['65535']],
    ['int32', { type: 0x07, bytes: intBytes(-70000, 4) }, ['-70000']],
    ['uint32', { type: 0x08, bytes: intBytes(4000000000, 4) }, ['4000000000']],
    ['int64', { type: 0x09, bytes: intBytes(-(2n ** 40n), 8) }, ['-1099511627776']],
    ['uint64', { type: 0x0a, bytes: intBytes(2n ** 63n + 1n, 8) }, ['9223372036854775809']],
    ['real32', { type: 0x0b, bytes: new Uint8Array(Float32Array.of(0.25).buffer) }, ['0.25']],
    ['real64', { type: 0x0c, bytes: new Uint8Array(Float64Array.of(-1e-7).buffer) }, ['-1e-7']],
    ['bool true', { type: 0x0d, bytes: intBytes(1, 4) }, ['true']],
    ['bool false', { type: 0x0d, bytes: intBytes(0, 4) }, ['false']],
    ['binary', { type: 0x0e, bytes: Uint8Array.of(0xd9, 0x06, 0, 0) }, ['D9060000']],
    [
      'GUID',
      { type: 0x0f, bytes: Uint8Array.of(0x5f, 0x38, 0x70, 0x57, 0x2a, 0xc2, 0xe0, 0x43, 0xbf, 0x4c, 6, 0xf5, 0x69, 0x8f, 0xfb, 0xd9) },
      ['{5770385F-C22A-43E0-BF4C-06F5698FFBD9}'],
    ],
    ['size_t (32-bit)', { type: 0x10, bytes: intBytes(0x1fc, 4) }, ['0x000001fc']],
    ['size_t (64-bit)', { type: 0x10, bytes: intBytes(0x13a10, 8) }, ['0x0000000000013a10']],
    ['FILETIME', { type: 0x11, bytes: intBytes(0x01d4dcfe7b245ce0n, 8) }, ['2019-03-17T20:17:44.637155200Z']],
    [
      'SYSTEMTIME',
      { type: 0x12, bytes: concatBytes(...[2021, 12, 2, 7, 17, 33, 1, 409].map((f) => intBytes(f, 2))) },
      ['2021-12-07T17:33:01.409000000Z'],
    ],
    ['SID', { type: 0x13, bytes: Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0) }, ['S-1-5-18']],
    ['HexInt32', { type: 0x14, bytes: intBytes(0x278, 4) }, ['0x00000278']],
    ['HexInt64', { type: 0x15, bytes: intBytes(0x8020000000000000n, 8) }, ['0x8020000000000000']],
    ['an undocumented type, as hex bytes', { type: 0x20, bytes: Uint8Array.of(1, 0xab) }, ['01AB']],
    ['a value too short for its type, as hex bytes', { type: 0x08, bytes: Uint8Array.of(7, 1) }, ['0701']],
    ['an empty string', str(''), []],
    ['NULL through a normal substitution', NULL, []],
  ])('renders %s', (_label, value, expected) => {
    expect(renderValue(value)).toEqual(expected);
  });
});

describe('BinXML arrays', () => {
  const data = (value: XValue): unknown => toPlain(render({ el: 'E', children: [{ el: 'Data', children: [{ sub: 0 }] }] }, [value]).children);

  it('repeats the enclosing element once per string array entry', () => {
    expect(data({ type: 0x81, bytes: utf16Bytes('one\0two\0') })).toEqual([makeElement('Data', ['one']), makeElement('Data', ['two'])]);
  });

  it('repeats for fixed-width arrays (uint16, HexInt64, GUID)', () => {
    expect(data({ type: 0x86, bytes: concatBytes(intBytes(1, 2), intBytes(65535, 2)) })).toEqual([
      makeElement('Data', ['1']),
      makeElement('Data', ['65535']),
    ]);
    expect(data({ type: 0x95, bytes: intBytes(255, 8) })).toEqual([makeElement('Data', ['0x00000000000000ff'])]);
    expect(data({ type: 0x8f, bytes: new Uint8Array(32).fill(0xab) })).toEqual([
      makeElement('Data', ['{ABABABAB-ABAB-ABAB-ABAB-ABABABABABAB}']),
      makeElement('Data', ['{ABABABAB-ABAB-ABAB-ABAB-ABABABABABAB}']),
    ]);
  });

  it('repeats for SID arrays, whose entries vary in length', () => {
    const sids = concatBytes(Uint8Array.of(1, 1, 0, 0, 0, 0, 0, 5, 18, 0, 0, 0), Uint8Array.of(1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0));
    expect(data({ type: 0x93, bytes: sids })).toEqual([makeElement('Data', ['S-1-5-18']), makeElement('Data', ['S-1-5-32-544'])]);
  });

  it('creates a single empty element for an empty array', () => {
    expect(data({ type: 0x88, bytes: new Uint8Array() })).toEqual([makeElement('Data')]);
  });

  it('joins array entries with spaces inside an attribute', () => {
    const root = render({ el: 'E', attrs: [['list', [{ sub: 0 }]]] }, [{ type: 0x84, bytes: Uint8Array.of(1, 2, 3) }]);
    expect(root.attributes['list']).toBe('1 2 3');
  });
});

describe('BinXML character data', () => {
  it('decodes CDATA, character and entity references, and merges adjacent text', () => {
    const root = render(
      {
        el: 'E',
        children: [{ text: 'a' }, { text: 'b' }, { charRef: 0x3c }, { entity: 'amp' }, { entity: 'quot' }, { cdata: '<x>' }, { entity: 'nbsp' }],
      },
      [],
    );
    expect(toPlain(root)).toEqual(makeElement('E', ['ab<&"<x>&nbsp;']));
  });

  it('leaves processing instructions out of the tree', () => {
    expect(toPlain(render({ el: 'E', children: [{ pi: ['target', 'data'] }, { text: 'x' }] }, []))).toEqual(makeElement('E', ['x']));
  });

  it('keeps text and child elements in document order', () => {
    const root = render({ el: 'E', children: [{ text: 'before' }, { el: 'C' }, { text: 'after' }] }, []);
    expect(toPlain(root)).toEqual(makeElement('E', ['before', makeElement('C'), 'after']));
  });

  it('builds attribute values from text, references and substitutions', () => {
    const root = render({ el: 'E', attrs: [['a', [{ text: 'x=' }, { sub: 0 }, { charRef: 0x26 }, { entity: 'lt' }]]] }, [str('1')]);
    expect(toPlain(root.attributes)).toEqual({ a: 'x=1&<' });
  });

  it('replaces unpaired surrogates in names and values with U+FFFD', () => {
    const root = render({ el: 'E\ud800', attrs: [['n', [{ sub: 0 }]]] }, [str('x\udc00y')]);
    expect(root.name).toBe('E\ufffd');
    expect(root.attributes['n']).toBe('x\ufffdy');
  });
});

describe('BinXML substitutions', () => {
  it('leaves out an element whose optional substitution is NULL, keeps it for a normal one', () => {
    const template: XNode = {
      el: 'E',
      children: [
        { el: 'Optional', children: [{ sub: 0, optional: true }] },
        { el: 'Normal', children: [{ sub: 0 }] },
        { el: 'Present', children: [{ sub: 1, optional: true }] },
      ],
    };
    expect(toPlain(render(template, [NULL, str('v')]))).toEqual(makeElement('E', [makeElement('Normal'), makeElement('Present', ['v'])]));
  });

  it('leaves out an attribute whose optional substitution is NULL, renders a normal one empty', () => {
    const root = render({ el: 'E', attrs: [['opt', [{ sub: 0, optional: true }]], ['norm', [{ sub: 0 }]], ['set', [{ sub: 1, optional: true }]]] }, [NULL, str('v')]);
    expect(toPlain(root.attributes)).toEqual({ norm: '', set: 'v' });
  });

  it('renders a substitution beyond the supplied values as nothing', () => {
    expect(toPlain(render({ el: 'E', children: [{ sub: 9 }] }, [str('x')]))).toEqual(makeElement('E'));
  });

  it('renders a nested Binary XML value (plain fragment) as child elements', () => {
    const nested: XValue = { nested: { plain: { el: 'Inner', attrs: [['k', [{ text: 'v' }]]], children: [{ text: 't' }] } } };
    expect(toPlain(render({ el: 'E', children: [{ sub: 0 }] }, [nested]))).toEqual(makeElement('E', [makeElement('Inner', ['t'], { k: 'v' })]));
  });

  it('renders a nested Binary XML value that is itself a template instance', () => {
    const nested: XValue = {
      nested: { template: { el: 'EventData', children: [{ el: 'Data', attrs: [['Name', [{ text: 'n' }]]], children: [{ sub: 0 }] }] }, values: [str('deep')] },
    };
    expect(toPlain(render({ el: 'Event', children: [{ sub: 0 }] }, [nested]))).toEqual(
      makeElement('Event', [makeElement('EventData', [makeElement('Data', ['deep'], { Name: 'n' })])]),
    );
  });

  it('renders a template defined by an earlier record and referenced by offset', () => {
    const template: XNode = { el: 'E', children: [{ el: 'A', children: [{ sub: 0 }] }] };
    const items = readRecords([
      { id: 1, body: { template, values: [str('first')] } },
      { id: 2, body: { template, values: [str('second')], reuseTemplateOf: 1 } },
    ]);
    expect(items.map((item) => (item.kind === 'record' ? toPlain(item.element) : item))).toEqual([
      makeElement('E', [makeElement('A', ['first'])]),
      makeElement('E', [makeElement('A', ['second'])]),
    ]);
  });
});

describe('BinXML structure', () => {
  it('reads a record that is a plain fragment (no template, no dependency identifiers)', () => {
    const items = readRecords([{ id: 5, body: { plain: { el: 'Event', children: [{ el: 'System', children: [{ text: 's' }] }] } } }]);
    expect(items.map((item) => (item.kind === 'record' ? [item.recordId, toPlain(item.element)] : item))).toEqual([
      [5, makeElement('Event', [makeElement('System', ['s'])])],
    ]);
  });

  it('reads template elements whose dependency identifier is missing', () => {
    const template: XNode = { el: 'E', children: [{ el: 'NoDep', noDependency: true, attrs: [['a', [{ sub: 0 }]]], children: [{ sub: 0 }] }] };
    expect(toPlain(render(template, [str('x')]))).toEqual(makeElement('E', [makeElement('NoDep', ['x'], { a: 'x' })]));
  });

  it('drops namespace prefixes from element names but keeps attribute names as written', () => {
    const root = render({ el: 'ns:Event', attrs: [['xmlns:ns', [{ text: 'urn:x' }]]], children: [{ el: 'ns:Child' }] }, []);
    expect(toPlain(root)).toEqual(makeElement('Event', [makeElement('Child')], { 'xmlns:ns': 'urn:x' }));
  });

  it('stores an attribute named __proto__ as data without touching prototypes', () => {
    const root = render({ el: 'E', attrs: [['__proto__', [{ text: 'polluted' }]], ['constructor', [{ text: 'c' }]]] }, []);
    expect(Object.getPrototypeOf(root.attributes)).toBeNull();
    expect(Object.keys(root.attributes)).toEqual(['__proto__', 'constructor']);
    expect(root.attributes['__proto__']).toBe('polluted');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
  });
});
