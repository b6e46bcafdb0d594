import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../../generators/catalog/index.js';
import {
  computeShortName,
  extractFileName,
  isWindowsPath,
  pathVariant,
  splitWindowsPath,
  windowsPath,
} from '../../../generators/paths.js';

const installPaths = CATALOG.flatMap((entry) => entry.paths);

// Reads a spelling back to the canonical path it names: strips the prefix, expands short names, and
// compares case-insensitively, as Windows resolves them.
function resolveSpelling(spelling: string, canonical: string): string | undefined {
  const split = splitWindowsPath(spelling);
  const reference = splitWindowsPath(canonical);
  if (split === undefined || reference === undefined) return undefined;
  const drive = split.kind === 'unc' ? split.rootNames[1]?.replace('$', ':') : split.root.slice(-2);
  const segments = split.segments.map((segment, index) => {
    const long = reference.segments[index] ?? '';
    return segment.toLowerCase() === computeShortName(long)?.toLowerCase() ? long : segment;
  });
  return [drive, ...segments].join('\\').toLowerCase();
}

describe('pathVariant', () => {
  it('spells every catalogue path in ways Windows resolves to the same file, keeping the file name', () => {
    const spellings = fc
      .constantFrom(...installPaths)
      .chain((path) => pathVariant(path).map((spelling) => [path, spelling] as const));
    fc.assert(
      fc.property(spellings, ([path, spelling]) => {
        expect(isWindowsPath(spelling)).toBe(true);
        expect(resolveSpelling(spelling, path)).toBe(path.toLowerCase());
        expect(extractFileName(spelling).toLowerCase()).toBe(extractFileName(path).toLowerCase());
      }),
      { numRuns: 500 },
    );
  });

  it('uses every kind of spelling: short names, both cases, \\\\?\\ and admin-share roots (fixed seed)', () => {
    const samples = fc.sample(pathVariant('C:\\Program Files (x86)\\PHP\\v5.6\\php-cgi.exe'), {
      seed: 3,
      numRuns: 400,
    });
    expect(samples.some((sample) => sample.includes('PROGRA~2'))).toBe(true);
    expect(samples.some((sample) => sample.startsWith('\\\\?\\'))).toBe(true);
    expect(samples.some((sample) => /^\\\\127\.0\.0\.1\\[cC]\$\\/.test(sample))).toBe(true);
    expect(samples.some((sample) => sample.startsWith('c:'))).toBe(true);
    expect(samples.some((sample) => sample.includes('PHP-CGI.EXE'))).toBe(true);
    expect(samples).toContain('C:\\Program Files (x86)\\PHP\\v5.6\\php-cgi.exe');
  });

  it('keeps to the canonical spelling when every option is off', () => {
    const plain = pathVariant('C:\\Program Files\\PHP\\v8.2\\php-cgi.exe', {
      casing: false,
      shortNames: false,
      prefixes: false,
    });
    fc.assert(
      fc.property(plain, (spelling) => spelling === 'C:\\Program Files\\PHP\\v8.2\\php-cgi.exe'),
      { numRuns: 20 },
    );
  });

  it('refuses paths without a drive root', () => {
    expect(() => pathVariant('\\\\fs01\\share\\x.exe')).toThrow(/drive-rooted/);
  });
});

describe('windowsPath', () => {
  it('produces valid absolute paths of the requested depth', () => {
    fc.assert(
      fc.property(windowsPath({ minDepth: 2, maxDepth: 6 }), (path) => {
        expect(isWindowsPath(path)).toBe(true);
        const split = splitWindowsPath(path);
        expect(split?.segments.length).toBeGreaterThanOrEqual(3);
        expect(split?.segments.length).toBeLessThanOrEqual(7);
      }),
      { numRuns: 300 },
    );
  });

  it('produces directory paths ending in a backslash when asked for no file name', () => {
    fc.assert(
      fc.property(windowsPath({ fileName: null }), (path) => {
        expect(path.endsWith('\\')).toBe(true);
        expect(isWindowsPath(path)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('uses every root form and odd characters (fixed seed)', () => {
    const samples = fc.sample(windowsPath(), { seed: 11, numRuns: 500 });
    const kinds = new Set(samples.map((sample) => splitWindowsPath(sample)?.kind));
    expect([...kinds].sort()).toEqual(['drive', 'extended-drive', 'extended-unc', 'unc']);
    expect(samples.some((sample) => sample.includes(' '))).toBe(true);
    expect(samples.some((sample) => sample.includes('&'))).toBe(true);
    expect(samples.some((sample) => /[^\x00-\x7f]/.test(sample))).toBe(true);
    expect(samples.some((sample) => (splitWindowsPath(sample)?.segments.length ?? 0) >= 9)).toBe(true);
  });

  it('shrinks to a short drive path', () => {
    const result = fc.check(
      fc.property(windowsPath(), (path) => !path.toLowerCase().endsWith('.aspx')),
      { seed: 5 },
    );
    expect(result.counterexample?.[0]).toBe('C:\\index.aspx');
  });
});
