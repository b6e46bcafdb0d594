import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateFiles, validateSources } from '../../../src/validate/validate-files.js';

const RULE = (detection: string, extra = '') => `title: Hostile Input
id: 3f0e9d52-8a4b-4c1e-9f7a-2b6d5c4e3a10
status: test
date: 2025-01-01
${extra}logsource:
    category: process_creation
    product: windows
detection:
${detection}
level: low
`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'dac-hostile-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const codesOf = (diagnostics: readonly { code: string }[]) => diagnostics.map((d) => d.code);

describe('hostile input', () => {
  it('drops __proto__ keys at every level without polluting Object.prototype', () => {
    const text = `__proto__:
    polluted: root
${RULE(`    selection:
        Image|endswith: '\\cmd.exe'
        __proto__:
            polluted: selection
    condition: selection`, 'related:\n    - __proto__: {polluted: related}\n      id: 0d6a3f1c-2b7e-4c55-9a8d-1e2f3a4b5c6d\n      type: derived\n')}`;
    const diagnostics = validateSources([{ file: 'proto.yml', text }]);
    expect(codesOf(diagnostics).filter((code) => code === 'yaml/forbidden-key')).toHaveLength(3);
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('survives keys and tags named like Object.prototype members', () => {
    const text = RULE(`    selection:
        constructor: x
        hasOwnProperty|contains: y
    condition: selection`, 'toString: 1\nconstructor: 2\ntags:\n    - constructor.prototype\n    - tostring.x\n');
    const diagnostics = validateSources([{ file: 'members.yml', text }]);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('refuses a 50 MB file with a diagnostic and still validates the file next to it', async () => {
    const huge = path.join(dir, 'huge.yml');
    const line = `- ${'x'.repeat(1022)}\n`;
    await writeFile(huge, `title: huge\nitems:\n${line.repeat(50 * 1024)}`);
    await writeFile(path.join(dir, 'next.yml'), RULE('    selection:\n        Image: a\n    condition: selection').replace('level: low', 'level: extreme'));
    const diagnostics = await validateFiles(['huge.yml', 'next.yml'], { cwd: dir });
    expect(diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual(['huge.yml file/too-large', 'next.yml schema/enum']);
  });

  it('stops a YAML alias bomb', () => {
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let i = 1; i < 10; i += 1) {
      const previous = String.fromCharCode(96 + i);
      const current = String.fromCharCode(97 + i);
      levels.push(`${current}: &${current} [${Array(9).fill(`*${previous}`).join(',')}]`);
    }
    const diagnostics = validateSources([{ file: 'bomb.yml', text: `${levels.join('\n')}\n` }]);
    expect(codesOf(diagnostics)).toEqual(['yaml/alias-bomb']);
  });

  it('reads a plain list of 100,000 values: it has no alias, so it is no alias bomb, and the rule works', async () => {
    const values = Array.from({ length: 100_000 }, (_, i) => `        - 'C:\\Tools\\tool${i}.exe'`).join('\n');
    const text = RULE(`    selection:\n        Image:\n${values}\n    condition: selection`);
    const { parseYaml } = await import('../../../src/load/yaml.js');
    const { parseRule } = await import('../../../src/parse/parse-rule.js');
    const { compileRule } = await import('../../../src/compile/compile-rule.js');
    const { FlatRecord } = await import('../../../src/events/flat-record.js');
    const loaded = parseYaml(text, 'big-list.yml');
    expect(loaded.diagnostics).toEqual([]);
    const parsed = parseRule(loaded.documents[0]!, 'big-list.yml');
    expect(parsed.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const compiled = compileRule(parsed.rule!).compiled!;
    expect(compiled.matches(new FlatRecord('e', 0, { Image: 'C:\\Tools\\tool99999.exe' }))).toBe(true);
    expect(compiled.matches(new FlatRecord('e', 0, { Image: 'C:\\Tools\\tool100000.exe' }))).toBe(false);
  }, 60_000);

  it('still stops aliases that add more than the limit to a document holding a big plain list', () => {
    const plain = `big: [${Array(90_000).fill('x').join(',')}]`;
    const levels = ['a: &a [1,2,3,4,5,6,7,8,9,10]', 'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]', 'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]', 'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]', 'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]', 'f: [*e,*e]'];
    const diagnostics = validateSources([{ file: 'bomb-and-list.yml', text: `${plain}\n${levels.join('\n')}\n` }]);
    expect(codesOf(diagnostics)).toEqual(['yaml/alias-bomb']);
  });

  it('refuses a condition nested 2,000 levels deep with its own code, not an internal error', () => {
    const text = RULE(`    selection:\n        Image: a\n    condition: ${'('.repeat(2000)}selection${')'.repeat(2000)}`);
    const diagnostics = validateSources([{ file: 'deep.yml', text }]);
    expect(codesOf(diagnostics)).toEqual(['condition/too-deep']);
    expect(diagnostics[0]).toMatchObject({ line: 11, column: 16 + 64 });
  });

  it('accepts a catastrophic-backtracking regex: re2 compiles it to a linear-time matcher', () => {
    const text = RULE(`    selection:
        CommandLine|re: '(a+)+$'
        ParentCommandLine|re: '^(([a-z])+.)+[A-Z]([a-z])+$'
    condition: selection`);
    expect(validateSources([{ file: 'redos.yml', text }])).toEqual([]);
  });

  it('reports nesting deeper than any rule instead of overflowing the stack', () => {
    const depth = 5000;
    const text = `title: deep\nvalue: ${'['.repeat(depth)}${']'.repeat(depth)}\n`;
    expect(codesOf(validateSources([{ file: 'deep.yml', text }]))).toEqual(['yaml/too-deep']);
  });

  it('reports binary garbage and invalid UTF-8 as diagnostics', async () => {
    // A fixed pseudo-random byte sequence, so the test is the same on every run.
    const bytes = new Uint8Array(4096);
    let state = 0x2545f491;
    for (let i = 0; i < bytes.length; i += 1) {
      state = (state * 1103515245 + 12345) >>> 0;
      bytes[i] = state >>> 24;
    }
    await writeFile(path.join(dir, 'garbage.yml'), bytes);
    await writeFile(path.join(dir, 'latin1.yml'), Buffer.from('title: caf\xe9 \xc3\x28\n', 'latin1'));
    await writeFile(path.join(dir, 'nul.yml'), 'title: a\u0000b\n');
    const diagnostics = await validateFiles(['garbage.yml', 'latin1.yml', 'nul.yml'], { cwd: dir });
    expect(diagnostics.map((d) => `${d.file} ${d.code}`)).toEqual([
      'garbage.yml file/encoding',
      'latin1.yml file/encoding',
      'nul.yml yaml/syntax',
    ]);
    for (const d of diagnostics) expect(d.severity).toBe('error');
  });

  it('keeps every message on one line whatever the rule text holds', () => {
    const text = RULE('    selection:\n        Image: a\n    condition: selection').replace('status: test', 'status: "bad\\nstatus\\r\\u2028x"');
    const diagnostics = validateSources([{ file: 'newline.yml', text }]);
    expect(codesOf(diagnostics)).toEqual(['schema/enum']);
    expect(diagnostics[0]?.message).not.toMatch(/[\n\r\u2028]/);
    expect(diagnostics[0]?.message).toContain("'bad\\nstatus\\r\\u2028x'");
  });
});
