import { describe, expect, it } from 'vitest';
import { base64 } from '../../../src/modifiers/base64.js';
import { base64offset, encodeBase64Offsets } from '../../../src/modifiers/base64offset.js';
import { parseSigmaString } from '../../../src/modifiers/sigma-string.js';
import { utf16 } from '../../../src/modifiers/utf16.js';
import { utf16be } from '../../../src/modifiers/utf16be.js';
import { utf16le } from '../../../src/modifiers/utf16le.js';
import { wide } from '../../../src/modifiers/wide.js';
import type { SigmaValue } from '../../../src/model/detection.js';
import type { ModifierResult, ValueModifier } from '../../../src/modifiers/modifier.js';
import { codesOf, matches, selection } from '../compile/rule-fixture.js';

const context = { field: 'CommandLine', applied: [], chain: [], raw: '' };
const run = (modifier: ValueModifier, value: SigmaValue): ModifierResult => modifier.apply(value, context);
const textOf = (value: SigmaValue): string => (value.kind === 'string' ? value.parts.map((p) => (p.kind === 'text' ? p.text : '*')).join('') : '');

// Expected encodings were computed with Python's base64 module and str.encode, independently of this code.
describe('base64', () => {
  it('encodes the UTF-8 bytes of the value', () => {
    const result = run(base64, parseSigmaString('é'));
    expect(result.ok && textOf(result.value)).toBe('w6k=');
  });

  it('encodes the bytes of a UTF-16 value', () => {
    const encoded = run(utf16le, parseSigmaString('é'));
    const result = encoded.ok ? run(base64, encoded.value) : encoded;
    expect(result.ok && textOf(result.value)).toBe('6QA=');
  });

  it('refuses wildcards', () => {
    expect(run(base64, parseSigmaString('a*')).ok).toBe(false);
    expect(codesOf(selection('CommandLine|base64|contains', "'a*b'"))).toContain('modifier/incompatible');
  });

  it('matches the encoded text', () => {
    const rule = selection('CommandLine|base64|contains', "'whoami'");
    expect(matches(rule, { CommandLine: 'echo d2hvYW1p | base64 -d' })).toBe(true);
    expect(matches(rule, { CommandLine: 'whoami' })).toBe(false);
  });
});

describe('base64offset', () => {
  it('gives the three shifted forms (the appendix example http://)', () => {
    expect(encodeBase64Offsets(new TextEncoder().encode('http://'))).toEqual(['aHR0cDovL', 'h0dHA6Ly', 'odHRwOi8v']);
    expect(encodeBase64Offsets(new TextEncoder().encode('IEX'))).toEqual(['SUVY', 'lFW', 'JRV']);
  });

  it('is an OR-linked expansion', () => {
    const result = run(base64offset, parseSigmaString('IEX'));
    expect(result.ok && result.value.kind).toBe('expansion');
  });

  it.each([
    ['aHR0cDovL2V2aWwuY29t', 'offset 0'],
    ['IGh0dHA6Ly9ldmlsLmNvbQ==', 'offset 1'],
    ['ICBodHRwOi8vZXZpbC5jb20=', 'offset 2'],
  ])('finds the value inside %s (%s)', (encoded) => {
    const rule = selection('CommandLine|base64offset|contains', "'http://'");
    expect(matches(rule, { CommandLine: `powershell -e ${encoded}` })).toBe(true);
  });

  it('does not match unrelated Base64', () => {
    const rule = selection('CommandLine|base64offset|contains', "'http://'");
    expect(matches(rule, { CommandLine: 'powershell -e ZnRwOi8vZXZpbC5jb20=' })).toBe(false);
  });

  it('needs contains', () => {
    expect(codesOf(selection('CommandLine|base64offset', "'http://'"))).toContain('modifier/incompatible');
  });

  it('combines with wide for PowerShell -EncodedCommand', () => {
    const rule = selection('CommandLine|wide|base64offset|contains', "'cmd'");
    // 'cmd' in UTF-16LE at the three offsets: YwBtAGQA / MAbQBkA / jAG0AZA (Python).
    expect(matches(rule, { CommandLine: 'powershell -enc YwBtAGQAIAAvAGMA' })).toBe(true);
    expect(matches(rule, { CommandLine: 'powershell -enc Y21k' })).toBe(false);
  });
});

describe('utf16 family', () => {
  it('utf16le and its alias wide put the low byte first', () => {
    for (const modifier of [utf16le, wide]) {
      const result = run(modifier, parseSigmaString('cmd'));
      expect(result.ok && textOf(result.value)).toBe('c\0m\0d\0');
    }
  });

  it('utf16be puts the high byte first', () => {
    const result = run(utf16be, parseSigmaString('cmd'));
    expect(result.ok && textOf(result.value)).toBe('\0c\0m\0d');
  });

  it('utf16 prepends the byte order mark FF FE', () => {
    const result = run(utf16, parseSigmaString('cmd'));
    expect(result.ok && textOf(result.value)).toBe('\xff\xfec\0m\0d\0');
    const encoded = result.ok ? run(base64, result.value) : result;
    expect(encoded.ok && textOf(encoded.value)).toBe('//5jAG0AZAA=');
  });

  it('keeps wildcards as wildcards', () => {
    const result = run(wide, parseSigmaString('a*'));
    expect(result.ok && result.value.kind === 'string' && result.value.parts).toEqual([{ kind: 'text', text: 'a\0' }, { kind: 'any' }]);
  });

  it('refuses numbers', () => {
    expect(run(utf16le, { kind: 'number', value: 3 }).ok).toBe(false);
  });
});
