import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadYamlFile, MAX_YAML_BYTES, parseYaml, readNumberDisagreement } from '../../../src/load/yaml.js';

const rule = `title: 中文标题
detection:
  selection:
    Image|endswith:
      - '\\cmd.exe'
      - "\\\\powershell.exe"
  condition: selection
date: 2024-01-02
`;

describe('parseYaml', () => {
  it('keeps dates as strings and Chinese text intact', () => {
    const { documents, diagnostics } = parseYaml(rule, 'r.yml');
    expect(diagnostics).toEqual([]);
    expect(documents[0]?.value).toMatchObject({ title: '中文标题', date: '2024-01-02' });
  });

  it('locates values and keys on their lines and columns', () => {
    const document = parseYaml(rule, 'r.yml').documents[0]!;
    expect(document.locate(['title'])).toEqual({ line: 1, column: 8 });
    expect(document.locateKey(['detection', 'selection', 'Image|endswith'])).toEqual({ line: 4, column: 5 });
    expect(document.locate(['detection', 'selection', 'Image|endswith', 0])).toEqual({ line: 5, column: 9 });
    expect(document.locate(['detection', 'selection', 'Image|endswith', 1])).toEqual({ line: 6, column: 9 });
    expect(document.locate(['detection', 'condition'])).toEqual({ line: 7, column: 14 });
  });

  it('locates characters inside scalars, after any opening quote', () => {
    const document = parseYaml(`a: 'sel and nope'\nb: sel and nope\n`, 'q.yml').documents[0]!;
    expect(document.locateInScalar(['a'], 8)).toEqual({ line: 1, column: 13 });
    expect(document.locateInScalar(['b'], 8)).toEqual({ line: 2, column: 12 });
  });

  it('records where each scalar and key is written, quotes included, and how each collection is written', () => {
    const text = "a:\n  'k|contains': \"x\"\n  list: [1, two]\n  block:\n    - plain text\n  folded: >\n    f\n";
    const document = parseYaml(text, 's.yml').documents[0]!;
    const slice = (span: { start: number; end: number } | undefined) => (span === undefined ? undefined : text.slice(span.start, span.end));
    expect(slice(document.keySpanOf(['a', 'k|contains']))).toBe("'k|contains'");
    expect(document.keySpanOf(['a', 'k|contains'])?.style).toBe('single-quoted');
    expect(slice(document.spanOf(['a', 'k|contains']))).toBe('"x"');
    expect(document.spanOf(['a', 'list'])?.style).toBe('flow');
    expect(slice(document.spanOf(['a', 'list', 1]))).toBe('two');
    expect(document.spanOf(['a', 'block'])?.style).toBe('block');
    expect(slice(document.spanOf(['a', 'block', 0]))).toBe('plain text');
    expect(document.spanOf(['a', 'folded'])?.style).toBe('folded');
    expect(document.spanOf(['a', 'missing'])).toBeUndefined();
  });

  it('falls back to the nearest written ancestor for paths that do not exist', () => {
    const document = parseYaml(rule, 'r.yml').documents[0]!;
    expect(document.locate(['detection', 'selection', 'missing', 3])).toEqual({ line: 4, column: 5 });
  });

  it('locates flow collections and every document of a multi-document file', () => {
    const { documents } = parseYaml('---\na: 1\n---\nb: [x, {c: d}]\n', 'm.yml');
    expect(documents).toHaveLength(2);
    expect(documents[1]?.locate(['b', 1, 'c'])).toEqual({ line: 4, column: 12 });
    expect(documents[1]?.locateKey(['b', 1, 'c'])).toEqual({ line: 4, column: 9 });
  });

  it.each([
    ['a: 1\na: 2\n', 'yaml/duplicate-key', 2, 1],
    ['a:\n\t- 1\n', 'yaml/tab-indentation', 2, 1],
    ['a: [1, 2\nb: 3\n', 'yaml/syntax', 2, 1],
    ['a: b: c\n', 'yaml/syntax', 1, 5],
  ])('reports %j as %s at %i:%i', (text, code, line, column) => {
    const { documents, diagnostics } = parseYaml(text, 'bad.yml');
    expect(documents).toEqual([]);
    expect(diagnostics).toEqual([expect.objectContaining({ code, line, column, file: 'bad.yml', severity: 'error' })]);
  });

  it('drops __proto__ keys with a diagnostic and leaves Object.prototype alone', () => {
    const { documents, diagnostics } = parseYaml('a: 1\n__proto__:\n  polluted: yes\n', 'p.yml');
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'yaml/forbidden-key', line: 2, column: 1 })]);
    expect(documents[0]?.value).toEqual({ a: 1 });
    expect(Object.hasOwn(documents[0]?.value as object, '__proto__')).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("keeps each document's file text and its place in the stream, also after a refused document", () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level <= 9; level += 1) {
      bomb.push(`${String.fromCharCode(97 + level)}: &${String.fromCharCode(97 + level)} [${Array(10).fill(`*${String.fromCharCode(96 + level)}`).join(', ')}]`);
    }
    const text = `first: 1\n---\n${bomb.join('\n')}\n---\nthird: 3\n`;
    const { documents } = parseYaml(text, 'three.yml');
    expect(documents.map((document) => [document.index, document.value])).toEqual([[0, { first: 1 }], [2, { third: 3 }]]);
    expect(documents.every((document) => document.text === text)).toBe(true);
  });

  it('refuses an alias bomb without expanding it', () => {
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let level = 1; level <= 9; level += 1) {
      const previous = String.fromCharCode(96 + level);
      const name = String.fromCharCode(97 + level);
      levels.push(`${name}: &${name} [${Array(10).fill(`*${previous}`).join(', ')}]`);
    }
    const { documents, diagnostics } = parseYaml(levels.join('\n'), 'bomb.yml');
    expect(documents).toEqual([]);
    expect(diagnostics).toEqual([expect.objectContaining({ code: 'yaml/alias-bomb' })]);
  });

  it('accepts small aliases and copies them into plain trees', () => {
    const { documents, diagnostics } = parseYaml('a: &x [1, 2]\nb: *x\n', 'alias.yml');
    expect(diagnostics).toEqual([]);
    const value = documents[0]?.value as { a: number[]; b: number[] };
    expect(value.b).toEqual([1, 2]);
    expect(value.b).not.toBe(value.a);
  });

  it('stops at absurd nesting instead of overflowing the stack', () => {
    const { diagnostics } = parseYaml(`${'['.repeat(5000)}${']'.repeat(5000)}`, 'deep.yml');
    expect(diagnostics[0]?.severity).toBe('error');
  });
});

describe('loadYamlFile', () => {
  it('refuses files over the size limit before parsing them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dac-yaml-'));
    const path = join(dir, 'huge.yml');
    await writeFile(path, `title: x\ndescription: ${'a'.repeat(MAX_YAML_BYTES)}\n`);
    const loaded = await loadYamlFile(path, 'huge.yml');
    expect(loaded.documents).toEqual([]);
    expect(loaded.diagnostics).toEqual([expect.objectContaining({ code: 'file/too-large', file: 'huge.yml' })]);
  });

  it('reports invalid UTF-8 and missing files as diagnostics', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dac-yaml-'));
    const path = join(dir, 'latin1.yml');
    await writeFile(path, Buffer.from([0x74, 0x3a, 0x20, 0xe9, 0xff, 0x0a]));
    expect((await loadYamlFile(path, 'latin1.yml')).diagnostics[0]?.code).toBe('file/encoding');
    expect((await loadYamlFile(join(dir, 'absent.yml'), 'absent.yml')).diagnostics[0]?.code).toBe('file/unreadable');
  });

  it('reads UTF-16 files with a byte-order mark', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dac-yaml-'));
    const path = join(dir, 'utf16.yml');
    await writeFile(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('title: 网页\n', 'utf16le')]));
    const loaded = await loadYamlFile(path, 'utf16.yml');
    expect(loaded.documents[0]?.value).toEqual({ title: '网页' });
  });
});

describe('numbers YAML 1.1 and YAML 1.2 read differently', () => {
  it('finds plain scalars YAML 1.2 reads as a number and PyYAML (YAML 1.1) does not read the same', () => {
    expect(readNumberDisagreement('00000429')).toEqual({ yaml12: 429 });
    expect(readNumberDisagreement('0644')).toEqual({ yaml12: 644, yaml11: 420 });
    expect(readNumberDisagreement('0o17')).toEqual({ yaml12: 15 });
    expect(readNumberDisagreement('1e3')).toEqual({ yaml12: 1000 });
    for (const same of ['429', '007', '0x1A', '1.5', '.5', '+12', '1.0e+3', '-0', 'text', '0000042a', '1_000', '12:30']) {
      expect(readNumberDisagreement(same)).toBeUndefined();
    }
  });

  it("keeps the author's text, with a warning and the fix at the value, and leaves quoted and tagged values alone", () => {
    const { documents, diagnostics } = parseYaml("detection:\n  selection:\n    Details|contains:\n      - 00000429  # Persian\n      - '00050429'\n      - !!int 0644\n      - 0644\n", 'k.yml');
    expect((documents[0]?.value as { detection: { selection: Record<string, unknown> } }).detection.selection['Details|contains']).toEqual(['00000429', '00050429', 644, '0644']);
    expect(diagnostics.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([
      ['yaml/ambiguous-number', 'warning', 4, 9],
      ['yaml/ambiguous-number', 'warning', 7, 9],
    ]);
    expect(diagnostics[0]?.message).toContain("as the text '00000429'; dac keeps the text as written. Quote it to say so: '00000429'");
    expect(diagnostics[1]?.message).toContain('as the number 420');
  });
});
