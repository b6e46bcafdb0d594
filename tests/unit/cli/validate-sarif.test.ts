import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import AjvModule from 'ajv';
import addFormatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../../src/cli/main.js';
import type { Diagnostic } from '../../../src/diagnostics/diagnostic.js';
import { toRelativeUri, toSarif, type SarifLog } from '../../../src/report/sarif.js';
import { describeCode } from '../../../src/validate/describe-code.js';
import { captureIo } from './capture-io.js';

const Ajv = AjvModule.default;
const addFormats = addFormatsModule.default;

// The OASIS SARIF 2.1.0 schema, committed as a test fixture (see tests/fixtures/schemas/README.md).
const schemaText = await readFile(new URL('../../fixtures/schemas/sarif-schema-2.1.0.json', import.meta.url), 'utf8');
const ajv = new Ajv({ allErrors: true, strict: false });
addFormats(ajv);
const validateSarif = ajv.compile(JSON.parse(schemaText) as object);

const diagnostic = (overrides: Partial<Diagnostic>): Diagnostic => ({
  code: 'schema/enum',
  severity: 'error',
  message: 'message',
  file: 'rules/a.yml',
  line: 3,
  column: 9,
  ...overrides,
});

describe('toSarif', () => {
  const diagnostics: Diagnostic[] = [
    diagnostic({ code: 'schema/enum', message: "'status' must be one of ...; got '完成'" }),
    diagnostic({ code: 'tag/unknown-attack-id', severity: 'warning', file: 'rules/规则 one.yml', line: 7, column: 7 }),
    diagnostic({ code: 'schema/enum', file: 'rules/b.yml', line: 4 }),
    diagnostic({ code: 'detection/unused-identifier', severity: 'note', line: 0, column: 0 }),
  ];
  const log = toSarif(diagnostics, { describeRule: describeCode, sourceRoot: '/work/repo' });
  const run = log.runs[0];

  it('is valid against the SARIF 2.1.0 schema', () => {
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
  });

  it('lists each code once as a rule, and points each result at its rule', () => {
    expect(run?.tool.driver.name).toBe('dac');
    expect(run?.tool.driver.rules.map((rule) => rule.id)).toEqual(['schema/enum', 'tag/unknown-attack-id', 'detection/unused-identifier']);
    expect(run?.results.map((result) => [result.ruleId, result.ruleIndex])).toEqual([
      ['schema/enum', 0],
      ['tag/unknown-attack-id', 1],
      ['schema/enum', 0],
      ['detection/unused-identifier', 2],
    ]);
    expect(run?.tool.driver.rules[1]?.shortDescription.text).toBe(describeCode('tag/unknown-attack-id').summary);
    expect(run?.tool.driver.rules[1]?.help.text).toBe(describeCode('tag/unknown-attack-id').help);
  });

  it('maps severities to levels and places results with 1-based regions relative to SRCROOT', () => {
    expect(run?.results.map((result) => result.level)).toEqual(['error', 'warning', 'error', 'note']);
    const locations = run?.results.map((result) => result.locations[0]?.physicalLocation);
    expect(locations?.[1]).toEqual({
      artifactLocation: { uri: 'rules/%E8%A7%84%E5%88%99%20one.yml', uriBaseId: 'SRCROOT' },
      region: { startLine: 7, startColumn: 7 },
    });
    expect(locations?.[3]?.region).toEqual({ startLine: 1, startColumn: 1 });
    expect(run?.originalUriBaseIds).toEqual({ SRCROOT: { uri: 'file:///work/repo/' } });
    expect(run?.results[0]?.message.text).toContain('完成');
  });

  it('encodes paths as URI references that decode back to the same path', () => {
    for (const file of ['rules/a.yml', 'rules/规则 one.yml', 'rules/50%#?.yml', '../outside/x.yml']) {
      const uri = toRelativeUri(file);
      expect(uri).not.toMatch(/[\s#?%](?![0-9A-F]{2})/);
      expect(uri.split('/').map(decodeURIComponent).join('/')).toBe(file);
    }
    expect(toRelativeUri('rules\\windows\\a.yml')).toBe('rules/windows/a.yml');
  });

  it('is checked by a schema that does reject broken logs', () => {
    expect(validateSarif({ version: '2.1.0', runs: [{ tool: { driver: {} } }] })).toBe(false);
    const unencoded = structuredClone(log) as unknown as { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    const location = unencoded.runs[0]?.results[1]?.locations[0]?.physicalLocation.artifactLocation;
    if (location) location.uri = 'rules/a b#c#d.yml';
    expect(validateSarif(unencoded)).toBe(false);
  });

  it('is a valid empty log without diagnostics or options', () => {
    const empty = toSarif([]);
    expect(validateSarif(empty)).toBe(true);
    expect(empty.runs[0]?.results).toEqual([]);
    expect(empty.runs[0]).not.toHaveProperty('originalUriBaseIds');
  });
});

describe('dac validate --format sarif', () => {
  let cwd: string;

  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'dac-validate-sarif-'));
    await mkdir(path.join(cwd, 'rules', '中文'), { recursive: true });
    await writeFile(path.join(cwd, 'rules', '中文', '坏规则.yml'), `title: 坏规则
id: 5e4d3c2b-1a09-4f8e-9d7c-6b5a4f3e2d1c
status: 完成
date: 2025-01-01
tags:
    - attack.discovery
logsource:
    category: process_creation
    product: windows
detection:
    selection:
        Image|endswith: '\\whoami.exe'
    unused:
        User: admin
    condition: selection
level: low
`);
  });

  afterAll(async () => {
    await rm(cwd, { recursive: true, force: true });
  });

  it('writes a schema-valid SARIF log with the results, line numbers and Unicode intact', async () => {
    const io = captureIo(cwd);
    expect(await main(['validate', '--format', 'sarif'], io)).toBe(1);
    expect(io.err()).toBe('');
    const log = JSON.parse(io.out()) as SarifLog;
    expect(validateSarif(log), JSON.stringify(validateSarif.errors)).toBe(true);
    const results = log.runs[0]?.results ?? [];
    expect(results.map((r) => [r.ruleId, r.level, r.locations[0]?.physicalLocation.region.startLine])).toEqual([
      ['schema/enum', 'error', 3],
      ['detection/unused-identifier', 'warning', 13],
    ]);
    expect(results[0]?.message.text).toContain("got '完成'");
    const uri = results[0]?.locations[0]?.physicalLocation.artifactLocation.uri ?? '';
    expect(decodeURIComponent(uri)).toBe('rules/中文/坏规则.yml');
    expect(log.runs[0]?.originalUriBaseIds?.SRCROOT?.uri).toBe(pathToFileURL(`${cwd}/`).href);
  });
});
