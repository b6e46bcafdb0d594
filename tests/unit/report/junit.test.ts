import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { formatClassName, renderJunit } from '../../../src/report/junit.js';
import { GOLDEN_DETAILS, HOSTILE_TITLE, passingReport, sampleReport } from './fixtures.js';
import { explainMissing } from '../../support/outside-tools.js';
import { findAll, parseXml } from './xml-tree.js';

const SCHEMAS = join(import.meta.dirname, '../../fixtures/schemas');
const options = { timestamp: new Date('2026-11-28T04:30:15.123Z'), hostname: 'ci-runner' };
const dir = mkdtempSync(join(tmpdir(), 'dac-junit-'));

/** Runs xmllint against a schema; returns its exit status and messages. */
function validate(xml: string, schema: string): { ok: boolean; output: string } {
  const file = join(dir, `doc-${Math.random().toString(36).slice(2)}.xml`);
  writeFileSync(file, xml, 'utf8');
  try {
    execFileSync('xmllint', ['--noout', '--schema', join(SCHEMAS, schema), file], { stdio: 'pipe' });
    return { ok: true, output: '' };
  } catch (error) {
    return { ok: false, output: String((error as { stderr?: Buffer }).stderr ?? error) };
  }
}

describe('renderJunit', () => {
  const xml = renderJunit(sampleReport, options);
  const root = parseXml(xml);
  const suites = findAll(root, 'testsuite');

  describe('against the JUnit schemas, with xmllint', () => {
    // Without xmllint these say they were skipped and why (tests/support/skip-reporter.ts lists them).
    const missing = explainMissing('xmllint');
    beforeEach((context) => {
      if (missing !== undefined) context.skip(missing);
    });

    it.each(['junit-jenkins.xsd', 'junit-ant.xsd'])('is valid against %s', (schema) => {
      expect(validate(xml, schema)).toEqual({ ok: true, output: '' });
      expect(validate(renderJunit(passingReport, options), schema).ok).toBe(true);
    });

    it.each(['junit-jenkins.xsd', 'junit-ant.xsd'])('is checked for real by %s (a testcase without name is refused)', (schema) => {
      const broken = xml.replace('<testcase name="validate" ', '<testcase ');
      expect(broken).not.toBe(xml);
      expect(validate(broken, schema).ok).toBe(false);
    });
  });

  it('writes a testsuite per rule plus one for the diagnostics, in order', () => {
    expect(root.name).toBe('testsuites');
    expect(suites.map((s) => s.attributes['name'])).toEqual([
      'Shell or Recon Tool Spawned by a Web Server Process',
      'Linux Web Server Spawning a Shell',
      'Web服务产生的可疑进程',
      // Attribute values keep the hostile text exactly, except that line breaks collapse to one space.
      HOSTILE_TITLE.replace(/\s+/g, ' '),
      'diagnostics',
    ]);
    expect(suites.map((s) => s.attributes['id'])).toEqual(['0', '1', '2', '3', '4']);
    expect(suites[0]?.attributes['package']).toBe('rules.windows.process_creation.proc_creation_win_webshell_spawn');
  });

  it('writes a testcase per check, in check order, counting tests, failures and skips', () => {
    const failing = suites[1];
    expect(findAll(failing!, 'testcase').map((c) => c.attributes['name'])).toEqual([
      'validate',
      'golden',
      'policy',
      'coverage',
      'properties',
      'version',
    ]);
    expect(failing?.attributes).toMatchObject({ tests: '6', failures: '2', errors: '0', skipped: '1' });
    expect(suites[0]?.attributes).toMatchObject({ tests: '6', failures: '0', skipped: '0' });
    // Every suite's failures attribute equals its <failure> elements.
    for (const suite of suites) {
      expect(findAll(suite, 'failure').length).toBe(Number(suite.attributes['failures']));
      expect(findAll(suite, 'testcase').length).toBe(Number(suite.attributes['tests']));
    }
    expect(findAll(root, 'failure')).toHaveLength(4);
  });

  it('puts the one-line message in the attribute and the diff, with file and line, in the body', () => {
    const golden = findAll(suites[1]!, 'testcase').find((c) => c.attributes['name'] === 'golden')!;
    const [failure] = findAll(golden, 'failure');
    expect(failure?.attributes['type']).toBe('dac.golden');
    expect(failure?.attributes['message']).toBe('2 failures; first: event #3 of events.ndjson: expected match, got no-match');
    expect(failure?.text).toContain('rules/linux/process_creation/proc_creation_lnx_webshell_spawn.yml:14:7: event #3');
    expect(failure?.text).toContain(GOLDEN_DETAILS);
    expect(failure?.text).toContain('proc_creation_lnx_webshell_spawn.yml:15:7: event #5');
  });

  it('writes skipped checks with their reason', () => {
    const version = findAll(suites[1]!, 'testcase').find((c) => c.attributes['name'] === 'version')!;
    expect(findAll(version, 'skipped').map((s) => s.attributes['message'])).toEqual(['no rules.lock.json yet']);
  });

  it('keeps hostile and control characters from breaking the document', () => {
    const hostile = suites[3]!;
    const [failure] = findAll(hostile, 'failure');
    expect(failure?.attributes['message']).toBe('title must not contain <markup> | or line breaks\uFFFD');
    expect(failure?.text).toContain('<b>not bold</b> ]]> --> & \uFFFDbell');
    expect(failure?.text).toContain('rules/windows/hostile.yml:0:0:');
    expect(xml).not.toContain('<script>');
  });

  it('reports diagnostics per file, failing only files with errors', () => {
    const cases = findAll(suites[4]!, 'testcase');
    expect(cases.map((c) => [c.attributes['name'], findAll(c, 'failure').length])).toEqual([
      ['rules/windows/broken.yml', 1],
      ['tests/rules/webshell_linux/events.ndjson', 0],
    ]);
    expect(findAll(suites[4]!, 'system-out')[0]?.text).toContain('tests/rules/webshell_linux/events.ndjson:2:14 warning fixture/unknown-field');
  });

  it('records rule metadata as properties and the run as timestamp and host', () => {
    const props = Object.fromEntries(findAll(suites[0]!, 'property').map((p) => [p.attributes['name'], p.attributes['value']]));
    expect(props).toMatchObject({
      'rule.id': '2a1c1239-2603-413d-89eb-93656dcf81a9',
      'golden.true-positives': '7',
      'golden.false-positives': '1',
      'coverage.percent': '100',
      'properties.seed': '1505003',
    });
    expect(suites[0]?.attributes).toMatchObject({ timestamp: '2026-11-28T04:30:15', hostname: 'ci-runner' });
    expect(parseXml(renderJunit(sampleReport, { ...options, hostname: ' ' })).children[0]?.attributes['hostname']).toBe('localhost');
  });

  it('states the totals in a comment, since the strict schema allows no attributes on testsuites', () => {
    expect(xml).toContain('<!-- sigma-dac 0.1.0: 17 tests, 4 failures -->');
    // `--` may not appear inside a comment (XML 1.0 §2.5).
    const dashed = renderJunit({ ...passingReport, pack: { name: 'a--b-', version: '1' } }, options);
    expect(() => parseXml(dashed)).not.toThrow();
    expect(dashed).toContain('<!-- a- -b- 1: 6 tests, 0 failures -->');
  });
});

describe('formatClassName', () => {
  it('turns a rule path into a dotted class name', () => {
    expect(formatClassName('rules/windows/a.b/x.yml')).toBe('rules.windows.a_b.x');
    expect(formatClassName('rules/win dows/x.yaml')).toBe('rules.win_dows.x');
    expect(formatClassName('')).toBe('rule');
  });
});
