import { describe, expect, it } from 'vitest';
import { buildRule, codesOf, matches, selection } from '../compile/rule-fixture.js';

describe('re and its sub-modifiers i, m, s', () => {
  it('searches the field, case-sensitively by default', () => {
    const rule = selection('CommandLine|re', "'-[eE]nc(odedCommand)? [A-Za-z0-9+/=]{20,}'");
    expect(matches(rule, { CommandLine: 'powershell -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoA' })).toBe(true);
    expect(matches(rule, { CommandLine: 'powershell -ENC SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoA' })).toBe(false);
    expect(matches(rule, { CommandLine: 'powershell -enc short' })).toBe(false);
  });

  it('takes the value as written: no Sigma wildcard or escape processing', () => {
    const rule = selection('Image|re', "'\\\\cmd\\.exe$'");
    expect(matches(rule, { Image: 'C:\\Windows\\cmd.exe' })).toBe(true);
    expect(matches(rule, { Image: 'C:\\Windows\\cmdXexe' })).toBe(false);
  });

  it('i makes it case-insensitive', () => {
    const rule = selection('CommandLine|re|i', "'invoke-(expression|webrequest)'");
    expect(matches(rule, { CommandLine: 'INVOKE-WebRequest http://x' })).toBe(true);
    expect(matches(rule, { CommandLine: 'Invoke-Item x' })).toBe(false);
  });

  it('m makes ^ and $ match at line breaks', () => {
    const multiline = selection('ScriptBlockText|re|m', "'^whoami$'");
    const plain = selection('ScriptBlockText|re', "'^whoami$'");
    const text = 'echo 1\nwhoami\nexit';
    expect(matches(multiline, { ScriptBlockText: text })).toBe(true);
    expect(matches(plain, { ScriptBlockText: text })).toBe(false);
  });

  it('s makes . match line breaks', () => {
    const dotall = selection('ScriptBlockText|re|s', "'begin.+end'");
    const plain = selection('ScriptBlockText|re', "'begin.+end'");
    expect(matches(dotall, { ScriptBlockText: 'begin\nend' })).toBe(true);
    expect(matches(plain, { ScriptBlockText: 'begin\nend' })).toBe(false);
  });

  it('reports patterns re2 cannot run in linear time, at the value', () => {
    for (const pattern of ["'(a)\\1'", "'foo(?=bar)'", "'(?<=a)b'", "'[a-'"]) {
      const { diagnostics } = buildRule(selection('CommandLine|re', pattern));
      expect(diagnostics.map((d) => d.code)).toEqual(['value/invalid-regex']);
      expect(diagnostics[0]).toMatchObject({ line: 9, column: 21 });
    }
  });

  it('must come first, and its flags need it', () => {
    expect(codesOf(selection('CommandLine|contains|re', "'a'"))).toContain('modifier/incompatible');
    expect(codesOf(selection('CommandLine|i', "'a'"))).toContain('modifier/incompatible');
    expect(codesOf(selection('CommandLine|re', '5'))).toContain('modifier/incompatible');
    expect(codesOf(selection('CommandLine|re|i|m|s', "'a'"))).toEqual([]);
  });

  it('runs hostile patterns on long input in linear time (no catastrophic backtracking)', () => {
    const rule = selection('CommandLine|re', "'^(a+)+$'");
    expect(matches(rule, { CommandLine: `${'a'.repeat(50_000)}!` })).toBe(false);
  });
});
