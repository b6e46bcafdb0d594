import { describe, expect, it } from 'vitest';
import { formatCanonicalJson, hashText } from '../../../src/version/canonical-json.js';

describe('formatCanonicalJson', () => {
  it('sorts keys at every depth and keeps list order', () => {
    expect(formatCanonicalJson({ b: 1, a: { d: [3, 1, 2], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,1,2]},"b":1}');
  });

  it('sorts keys by UTF-16 code units, not by locale', () => {
    // 'Z' (0x5A) < 'a' (0x61) < 'é' (0xE9) in code units; a locale sort would put 'é' next to 'e'.
    expect(formatCanonicalJson({ é: 1, a: 2, Z: 3 })).toBe('{"Z":3,"a":2,"é":1}');
  });

  it('tells null, NaN and the infinities apart', () => {
    const texts = [null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY].map((value) => formatCanonicalJson(value));
    expect(texts).toEqual(['null', 'NaN', 'Infinity', '-Infinity']);
  });

  it('escapes strings as JSON does', () => {
    expect(formatCanonicalJson('a"b\\c\n')).toBe('"a\\"b\\\\c\\n"');
  });

  it('refuses values YAML cannot produce', () => {
    expect(() => formatCanonicalJson({ f: () => 1 })).toThrow(TypeError);
  });
});

describe('hashText', () => {
  it('hashes UTF-8 text with SHA-256 in the sha256: form', () => {
    // The SHA-256 of the empty string is a published constant.
    expect(hashText('')).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hashText('é')).not.toBe(hashText('e'));
  });
});
