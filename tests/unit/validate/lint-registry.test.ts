import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeCode } from '../../../src/validate/describe-code.js';
import { lintRegistry, listLints } from '../../../src/validate/lint-registry.js';

const lintsDir = fileURLToPath(new URL('../../../src/validate/lints/', import.meta.url));

function listLintModules(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? listLintModules(path.join(dir, entry.name), `${prefix}${entry.name}/`)
      : entry.name.endsWith('.ts') ? [`${prefix}${entry.name.slice(0, -3)}`] : [],
  );
}

describe('the lint registry', () => {
  it('files every lint under its own code', () => {
    for (const [code, lint] of Object.entries(lintRegistry)) expect(lint.code).toBe(code);
  });

  it('has exactly one module per lint, at lints/<code>.ts', () => {
    expect(listLintModules(lintsDir).sort()).toEqual(Object.keys(lintRegistry).sort());
  });

  it('describes each lint for reports and marks its severity', () => {
    for (const lint of listLints()) {
      expect(lint.summary).toMatch(/^[A-Z].*\.$/);
      expect(lint.help.length).toBeGreaterThan(20);
      expect(['error', 'warning', 'note']).toContain(lint.severity);
      expect(describeCode(lint.code)).toEqual({ summary: lint.summary, help: lint.help });
    }
  });
});

describe('describeCode', () => {
  it('describes loader, parser and schema codes that are not lints', () => {
    expect(describeCode('yaml/duplicate-key').summary).toBe('A YAML mapping has the same key twice.');
    expect(describeCode('schema/pattern').summary).toBe('The document does not match the Sigma JSON schema (pattern).');
    expect(describeCode('modifier/brand-new').summary).toBe('A value modifier has a problem (modifier/brand-new).');
    expect(describeCode('constructor').summary).toBe('A problem was found (constructor).');
  });
});
