import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const COMPILE_DIR = fileURLToPath(new URL('../../../src/compile/', import.meta.url));
const SRC_DIR = path.dirname(COMPILE_DIR);

/** Every module specifier a TypeScript source imports or re-exports, static or dynamic. */
function listImports(source: string): string[] {
  const specifiers: string[] = [];
  const patterns = [/\bimport\s+(?:type\s+)?(?:[^'";]*?\s+from\s+)?['"]([^'"]+)['"]/g, /\bexport\s+(?:type\s+)?[^'";]*?\s+from\s+['"]([^'"]+)['"]/g, /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g];
  for (const pattern of patterns) for (const match of source.matchAll(pattern)) specifiers.push(match[1] as string);
  return specifiers;
}

describe('the engine owns its view of events', () => {
  it('finds imports of every form', () => {
    expect(listImports("import { a } from '../events/x.js';\nimport type { B } from \"../events/y.js\";\nexport { c } from '../events/z.js';\nawait import('../events/w.js');\nimport '../events/v.js';")).toEqual([
      '../events/x.js',
      '../events/y.js',
      '../events/v.js',
      '../events/z.js',
      '../events/w.js',
    ]);
  });

  it('has nothing under src/compile import the readers of src/events', () => {
    const offenders: string[] = [];
    for (const name of readdirSync(COMPILE_DIR)) {
      if (!name.endsWith('.ts')) continue;
      const file = path.join(COMPILE_DIR, name);
      for (const specifier of listImports(readFileSync(file, 'utf8'))) {
        if (!specifier.startsWith('.')) continue;
        const target = path.relative(SRC_DIR, path.resolve(COMPILE_DIR, specifier));
        if (target.split(path.sep)[0] === 'events') offenders.push(`src/compile/${name} imports ${specifier}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
