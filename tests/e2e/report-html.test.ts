import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { writeReports } from '../../src/report/write-reports.js';
import { explainMissing, findOnPath } from '../support/outside-tools.js';
import { HOSTILE_TITLE, chineseRule, sampleReport, smallAttack } from '../unit/report/fixtures.js';

// The callbacks given to evaluate() run in the page; the project compiles without the DOM library,
// so the one page global they use is declared here, for this module only.
declare const getComputedStyle: (element: unknown) => { readonly backgroundColor: string; readonly color: string; readonly borderTopColor: string };

// Debian's Chromium, found on PATH. Without it these tests say they were skipped and why; on CI, where
// .ci/run installs it, a missing browser is a failure, not a skip.
const CHROMIUM = findOnPath('chromium') ?? '/usr/bin/chromium';
const missing = explainMissing('chromium');

describe('report.html in headless Chromium', () => {
  beforeEach((context) => {
    if (missing !== undefined) context.skip(missing);
  });
  const dir = mkdtempSync(join(tmpdir(), 'dac-report-e2e-'));
  let context: BrowserContext;
  let page: Page;
  const requests: string[] = [];
  const aborted: string[] = [];
  const dialogs: string[] = [];
  const pageErrors: string[] = [];
  let htmlPath = '';

  beforeAll(async () => {
    if (missing !== undefined) return;
    const written = await writeReports(sampleReport, join(dir, 'reports'), { attack: smallAttack, repoRoot: dir });
    htmlPath = written.find((p) => p.endsWith('report.html')) ?? '';
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'dac-chromium-profile-')), {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
      viewport: { width: 1400, height: 900 },
    });
    page = await context.newPage();
    const reportUrl = pathToFileURL(htmlPath).href;
    page.on('request', (request) => {
      if (request.url() !== reportUrl) requests.push(request.url());
    });
    // Every request but the page itself is refused and counted.
    await page.route('**', async (route) => {
      if (route.request().url() === reportUrl) return route.continue();
      aborted.push(route.request().url());
      return route.abort();
    });
    page.on('dialog', async (dialog) => {
      dialogs.push(dialog.message());
      await dialog.dismiss();
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(reportUrl, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await context?.close();
  });

  it('shows one table row per rule with its verdict', async () => {
    const rows = await page.locator('#rules tbody tr').evaluateAll((trs) =>
      trs.map((tr) => [tr.getAttribute('data-status'), tr.querySelector('td.status')?.textContent, tr.querySelector('td.tp')?.textContent]),
    );
    expect(rows).toEqual([
      ['pass', '✔ pass', '7'],
      ['fail', '✘ fail', '3'],
      ['pass', '✔ pass', '2'],
      ['fail', '✘ fail', '0'],
    ]);
    expect(await page.locator('#verdict').textContent()).toBe('FAIL');
    expect(await page.locator('#rules tbody tr:nth-child(3) td.title a').textContent()).toBe(chineseRule.title);
  });

  it('draws coverage bars whose widths are the coverage', async () => {
    const ratios = await page.locator('#rules tbody tr td.coverage .bar').evaluateAll((bars) =>
      bars.map((bar) => {
        const fill = bar.querySelector('.fill');
        return fill === null ? -1 : fill.getBoundingClientRect().width / bar.getBoundingClientRect().width;
      }),
    );
    expect(ratios).toHaveLength(3);
    expect(ratios[0]).toBeCloseTo(1, 2);
    expect(ratios[1]).toBeCloseTo(0.75, 2);
    expect(ratios[2]).toBeCloseTo(0.333, 2);
  });

  it('lays out the heat map: tactic columns in order, cells coloured by rule count', async () => {
    const tactics = await page.locator('#attack-matrix .tactic h3').allTextContents();
    expect(tactics).toEqual(['Reconnaissance', 'Initial Access', 'Execution', 'Persistence', 'Privilege Escalation', 'Defense Evasion', 'Stealth']);
    const cells = await page.locator('#attack-matrix .cell').evaluateAll((els) =>
      els.map((el) => ({
        tactic: el.closest('.tactic')?.getAttribute('data-tactic'),
        technique: el.getAttribute('data-technique'),
        count: el.querySelector('.count')?.textContent,
        background: getComputedStyle(el).backgroundColor,
        left: el.getBoundingClientRect().left,
      })),
    );
    const webShell = cells.find((c) => c.technique === 'T1505.003');
    const exploit = cells.find((c) => c.technique === 'T1190');
    expect([webShell?.tactic, webShell?.count]).toEqual(['persistence', '3']);
    expect([exploit?.tactic, exploit?.count]).toEqual(['initial-access', '1']);
    // More rules, darker cell: a different colour, and a non-transparent one.
    expect(webShell?.background).not.toBe(exploit?.background);
    expect(webShell?.background).not.toBe('rgba(0, 0, 0, 0)');
    // Columns sit left to right in kill-chain order.
    expect(exploit!.left).toBeLessThan(webShell!.left);
  });

  it('marks on the map the techniques a failing rule claims, with a visible mark and border', async () => {
    const cells = await page.locator('#attack-matrix .cell').evaluateAll((els) =>
      els.map((el) => ({
        technique: el.getAttribute('data-technique'),
        failing: el.getAttribute('data-failing'),
        mark: el.querySelector('.failing-mark')?.textContent ?? null,
        border: getComputedStyle(el).borderTopColor,
      })),
    );
    // T1505.003: three rules, one of them failing (the Linux web-shell rule); T1190: the passing rule only.
    expect(cells.find((c) => c.technique === 'T1505.003')).toMatchObject({ failing: '1', mark: '✘ 1 failing', border: 'rgb(207, 34, 46)' });
    expect(cells.find((c) => c.technique === 'T1190')).toMatchObject({ failing: '0', mark: null });
  });

  it('shows a hostile title as text and runs none of it', async () => {
    expect(await page.locator('#rules tbody tr:nth-child(4) td.title a').textContent()).toBe(HOSTILE_TITLE);
    expect(await page.locator('#rules tbody tr:nth-child(4) script, #rules img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(dialogs).toEqual([]);
    expect(pageErrors).toEqual([]);
    const failure = page.locator('article.failure[data-check="validate"] pre');
    expect(await failure.textContent()).toBe('```\n<b>not bold</b> ]]> --> & \uFFFDbell');
  });

  it('runs its own filter script', async () => {
    await page.locator('#only-failing').check();
    expect(await page.locator('#rules tbody tr:visible').count()).toBe(2);
    await page.locator('#only-failing').uncheck();
    expect(await page.locator('#rules tbody tr:visible').count()).toBe(4);
  });

  it('shows failures with their location and diff', async () => {
    expect(await page.locator('article.failure').count()).toBe(4);
    expect(await page.locator('article.failure code.location').first().textContent()).toBe(
      'rules/linux/process_creation/proc_creation_lnx_webshell_spawn.yml:14:7',
    );
    const got = await page.locator('article.failure pre .got').first().evaluate((el) => getComputedStyle(el).color);
    const expected = await page.locator('article.failure pre .expected').first().evaluate((el) => getComputedStyle(el).color);
    expect([expected, got]).toEqual(['rgb(26, 127, 55)', 'rgb(207, 34, 46)']);
  });

  it('makes no network request', async () => {
    expect(requests).toEqual([]);
    expect(aborted).toEqual([]);
    // Control: the same interception does see a page that loads something.
    const control = await context.newPage();
    const seen: string[] = [];
    await control.route('**', async (route) => {
      seen.push(route.request().url());
      return route.abort();
    });
    await control.setContent('<img src="http://127.0.0.1:9/pixel.png">');
    await control.close();
    expect(seen).toEqual(['http://127.0.0.1:9/pixel.png']);
  });

  it('renders to a screenshot', async () => {
    const shot = join(process.env['DAC_SCREENSHOT_DIR'] ?? dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    const png = readFileSync(shot);
    expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
    expect(png.length).toBeGreaterThan(10_000);
  });
});
