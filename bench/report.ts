/**
 * `report.html` for big packs: how many bytes a rule costs, and how quickly Chromium opens, filters and
 * sorts the page. Run with `npx tsx bench/report.ts`.
 *
 * Two packs, in one run: SigmaHQ's corpus (../shared/data/sigmahq, every rule, none with golden events)
 * tested for real by `dac test` after `dac init` in a temporary copy, and the 1,000 synthetic rules of
 * the report tests (600 with 4 to 450 golden events of 300-character command lines, a tenth failing).
 * Prints bytes per rule, and, when Debian's Chromium is on PATH, the page's load, a status filter and a
 * sort by level (the first and a second time) in milliseconds, measured in the page.
 */
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { runTests } from '../src/harness/run-tests.js';
import { renderHtmlReport } from '../src/report/html.js';
import { main } from '../src/cli/main.js';
import { createManyRulesReport } from '../tests/unit/report/many-rules.js';
import { findOnPath } from '../tests/support/outside-tools.js';
import { captureIo } from '../tests/unit/cli/capture-io.js';
import type { TestReport } from '../src/harness/test-report.js';

const SIGMAHQ = fileURLToPath(new URL('../../shared/data/sigmahq/rules', import.meta.url));

declare const document: { getElementById(id: string): { value: string; dispatchEvent(event: unknown): void } ; querySelector(selector: string): { click(): void }; body: { offsetHeight: number } };
declare const performance: { now(): number };
declare const Event: new (type: string, init: { bubbles: boolean }) => unknown;

async function testSigmaHq(): Promise<TestReport | undefined> {
  if (!existsSync(SIGMAHQ)) {
    process.stdout.write(`SigmaHQ's rules are not at ${SIGMAHQ}: that pack is left out\n`);
    return undefined;
  }
  const root = mkdtempSync(join(tmpdir(), 'dac-bench-report-'));
  cpSync(SIGMAHQ, join(root, 'rules'), { recursive: true });
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'sigmahq-copy', version: '1.0.0', private: true }));
  const init = await main(['init'], captureIo(root));
  if (init !== 0) throw new Error(`dac init in ${root} ended with ${init}`);
  const started = Date.now();
  const { report } = await runTests({ repoRoot: root });
  process.stdout.write(`dac test on SigmaHQ's ${report.rules.length} rules: ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  rmSync(root, { recursive: true, force: true });
  return report;
}

async function measurePage(path: string): Promise<string> {
  const executable = findOnPath('chromium');
  if (executable === undefined) return 'Chromium not on PATH: not opened';
  const context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'dac-bench-chromium-')), {
    executablePath: executable,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  const started = Date.now();
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  const load = Date.now() - started;
  const filter = await page.evaluate(() => {
    const t = performance.now();
    const status = document.getElementById('filter-status');
    status.value = 'fail';
    status.dispatchEvent(new Event('input', { bubbles: true }));
    void document.body.offsetHeight;
    const ms = performance.now() - t;
    status.value = '';
    status.dispatchEvent(new Event('input', { bubbles: true }));
    return ms;
  });
  const sorts: number[] = [];
  for (let i = 0; i < 2; i += 1) {
    sorts.push(
      await page.evaluate(() => {
        const t = performance.now();
        document.querySelector('.rule-head [data-sort="level"] button').click();
        void document.body.offsetHeight;
        return performance.now() - t;
      }),
    );
  }
  await context.close();
  return `load ${load} ms, filter ${Math.round(filter)} ms, sort ${sorts.map(Math.round).join(' ms then ')} ms`;
}

const packs: [string, TestReport | undefined][] = [
  ['SigmaHQ', await testSigmaHq()],
  ['synthetic, 1,000 rules', createManyRulesReport(1000)],
];
const folder = mkdtempSync(join(tmpdir(), 'dac-bench-html-'));
for (const [name, report] of packs) {
  if (report === undefined) continue;
  const path = join(folder, `${name.replace(/\W+/g, '-')}.html`);
  writeFileSync(path, renderHtmlReport(report));
  const bytes = readFileSync(path).length;
  const cases = report.rules.reduce((n, rule) => n + rule.cases.length, 0);
  process.stdout.write(
    `${name}: ${report.rules.length} rules, ${cases} golden events: report.html ${(bytes / 1e6).toFixed(1)} MB, ${(bytes / report.rules.length / 1000).toFixed(1)} kB a rule; ${await measurePage(path)}\n`,
  );
}
rmSync(folder, { recursive: true, force: true });
