import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../src/report/html.js';
import { writeReports } from '../../src/report/write-reports.js';
import { explainMissing, findOnPath } from '../support/outside-tools.js';
import { HOSTILE_TITLE, chineseRule, sampleReport, smallAttack } from '../unit/report/fixtures.js';
import { createManyRulesReport } from '../unit/report/many-rules.js';

// The callbacks given to evaluate() run in the page; the project compiles without the DOM library,
// so the page globals they use are declared here, for this module only.
declare const getComputedStyle: (element: unknown) => { readonly backgroundColor: string; readonly color: string; readonly borderTopColor: string; readonly overflowX: string };
declare const document: {
  readonly documentElement: { readonly scrollWidth: number; readonly clientWidth: number };
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  readonly activeElement: PageElement | null;
};
declare const window: { scrollTo(x: number, y: number): void };
interface PageElement {
  readonly scrollWidth: number;
  readonly clientWidth: number;
  readonly textContent: string | null;
  readonly hidden: boolean;
  open: boolean;
  getBoundingClientRect(): { readonly left: number; readonly right: number; readonly width: number };
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement>;
  closest(selector: string): PageElement | null;
}

// Debian's Chromium, found on PATH. Without it these tests say they were skipped and why; on CI, where
// .ci/run installs it, a missing browser is a failure, not a skip.
const CHROMIUM = findOnPath('chromium') ?? '/usr/bin/chromium';
const missing = explainMissing('chromium');
const dir = mkdtempSync(join(tmpdir(), 'dac-report-e2e-'));
// Screenshots go here; set DAC_SCREENSHOT_DIR to keep them where you can look at them.
const shots = process.env['DAC_SCREENSHOT_DIR'] ?? join(dir, 'screenshots');
let context: BrowserContext;

beforeAll(async () => {
  if (missing !== undefined) return;
  mkdirSync(shots, { recursive: true });
  context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'dac-chromium-profile-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1400, height: 900 },
  });
});

afterAll(async () => {
  await context?.close();
});

/** Opens a report in a new page that refuses (and records) every request but the report itself. */
async function openReport(path: string, options: { withoutScript?: boolean } = {}) {
  const page = await context.newPage();
  const url = pathToFileURL(path).href;
  const requests: string[] = [];
  const dialogs: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => {
    if (request.url() !== url) requests.push(request.url());
  });
  await page.route('**', async (route) => {
    if (route.request().url() !== url) {
      requests.push(route.request().url());
      return route.abort();
    }
    if (!options.withoutScript) return route.continue();
    // The page as a browser without JavaScript sees it: the same file, its one script left out.
    const html = readFileSync(path, 'utf8').replace(/<script>[\s\S]*?<\/script>/, '');
    return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
  });
  page.on('dialog', async (dialog) => {
    dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url, { waitUntil: 'load' });
  return { page, requests, dialogs, errors };
}

/** Takes a screenshot of what the window shows and checks it is a real picture. */
async function screenshot(page: Page, name: string): Promise<string> {
  const path = join(shots, name);
  await page.screenshot({ path });
  const png = readFileSync(path);
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  expect(png.length).toBeGreaterThan(10_000);
  return path;
}

describe('report.html in headless Chromium', () => {
  beforeEach((test) => {
    if (missing !== undefined) test.skip(missing);
  });
  let page: Page;
  let opened: Awaited<ReturnType<typeof openReport>>;

  beforeAll(async () => {
    if (missing !== undefined) return;
    const written = await writeReports(sampleReport, join(dir, 'reports'), { attack: smallAttack, repoRoot: dir });
    opened = await openReport(written.find((p) => p.endsWith('report.html')) ?? '');
    page = opened.page;
  });

  it('shows one row per rule with its verdict, failing rules first', async () => {
    const rows = await page.locator('#rule-rows > details.rule').evaluateAll((rules) =>
      rules.map((rule) => [rule.getAttribute('data-states'), rule.querySelector('[data-col="status"]')?.textContent, rule.querySelector('[data-col="tp"]')?.textContent]),
    );
    expect(rows).toEqual([
      ['fail', '✘ fail', '3'],
      ['fail', '✘ fail', '0'],
      ['pass', '✔ pass', '7'],
      ['pass', '✔ pass', '2'],
    ]);
    expect(await page.locator('#verdict').textContent()).toBe('FAIL');
    expect(await page.locator('#rule-rows > details:nth-child(4) summary .title').textContent()).toBe(chineseRule.title);
  });

  it('draws coverage bars whose widths are the coverage', async () => {
    const ratios = await page.locator('#rule-rows [data-col="coverage"] .bar').evaluateAll((bars) =>
      bars.map((bar) => {
        const fill = bar.querySelector('.fill');
        return fill === null ? -1 : fill.getBoundingClientRect().width / bar.getBoundingClientRect().width;
      }),
    );
    expect(ratios).toHaveLength(3);
    expect(ratios[0]).toBeCloseTo(0.75, 2);
    expect(ratios[1]).toBeCloseTo(1, 2);
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
    expect(await page.locator('#rule-rows > details:nth-child(2) summary .title').textContent()).toBe(HOSTILE_TITLE);
    expect(await page.locator('#rule-rows script, #rule-rows img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(opened.dialogs).toEqual([]);
    expect(opened.errors).toEqual([]);
    const failure = page.locator('article.failure[data-check="validate"] pre');
    expect(await failure.textContent()).toBe('```\n<b>not bold</b> ]]> --> & \uFFFDbell');
  });

  it('runs its own filter script', async () => {
    await page.locator('#filter-status').selectOption('fail');
    expect(await page.locator('#rule-rows > details:visible').count()).toBe(2);
    expect(await page.locator('#filter-count').textContent()).toBe('2 of 4 shown');
    await page.locator('#rule-filters button[type=reset]').click();
    await expect.poll(() => page.locator('#rule-rows > details:visible').count()).toBe(4);
  });

  it('shows failures with their location and diff, open in the failing rules', async () => {
    expect(await page.locator('article.failure').count()).toBe(4);
    expect(await page.locator('article.failure:visible').count()).toBe(4);
    expect(await page.locator('article.failure code.location').first().textContent()).toBe('rules/linux/process_creation/proc_creation_lnx_webshell_spawn.yml:14:7');
    const got = await page.locator('article.failure pre .got').first().evaluate((el) => getComputedStyle(el).color);
    const expected = await page.locator('article.failure pre .expected').first().evaluate((el) => getComputedStyle(el).color);
    expect([expected, got]).toEqual(['rgb(26, 127, 55)', 'rgb(207, 34, 46)']);
  });

  it('makes no network request', async () => {
    expect(opened.requests).toEqual([]);
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
    await screenshot(page, 'sample-1400.png');
  });
});

describe('report.html of a pack of 500 rules, on a laptop screen', () => {
  beforeEach((test) => {
    if (missing !== undefined) test.skip(missing);
  });
  const report = createManyRulesReport(500);
  const failing = report.rules.filter((rule) => !rule.passed).length;
  const path = join(dir, 'many', 'report.html');
  let page: Page;
  let opened: Awaited<ReturnType<typeof openReport>>;

  beforeAll(async () => {
    if (missing !== undefined) return;
    mkdirSync(join(dir, 'many'), { recursive: true });
    writeFileSync(path, renderHtmlReport(report, { attack: smallAttack }));
    opened = await openReport(path);
    page = opened.page;
  });

  /** Widths of the page and of every table and table box, as laid out now. */
  const measure = () =>
    page.evaluate(() => {
      const boxes = Array.prototype.map.call(document.querySelectorAll('.table-box'), (box: PageElement) => {
        const table = box.querySelector('table');
        return {
          right: box.getBoundingClientRect().right,
          tableWidth: table === null ? 0 : table.scrollWidth,
          boxWidth: box.clientWidth,
          overflowX: getComputedStyle(box).overflowX,
        };
      }) as { right: number; tableWidth: number; boxWidth: number; overflowX: string }[];
      const rows = Array.prototype.map.call(document.querySelectorAll('#rule-rows > details > summary'), (row: PageElement) => row.scrollWidth - row.clientWidth) as number[];
      return { page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth, boxes, rowsWider: rows.filter((extra) => extra > 0).length };
    });

  for (const [width, height] of [
    [1400, 900],
    [1280, 800],
  ] as const) {
    it(`fits a ${width}×${height} window: the page never scrolls sideways, every table fits or scrolls in its own box`, async () => {
      await page.setViewportSize({ width, height });
      await screenshot(page, `many-${width}x${height}-top.png`);
      const closed = await measure();
      expect(closed.page).toBe(closed.window);
      expect(closed.rowsWider).toBe(0);
      // Every rule opened and laid out (rows off screen are normally skipped by content-visibility).
      await page.addStyleTag({ content: '.rule { content-visibility: visible !important; }' });
      await page.locator('#rule-rows > details').evaluateAll((rules) => rules.forEach((rule) => (rule.open = true)));
      const open = await measure();
      expect(open.page).toBe(open.window);
      expect(open.boxes.length).toBeGreaterThan(report.rules.length / 2);
      for (const box of open.boxes) {
        expect(box.right).toBeLessThanOrEqual(width);
        if (box.tableWidth > box.boxWidth) expect(['auto', 'scroll']).toContain(box.overflowX);
      }
      // At a laptop's width no table even needs its scroll bar: long paths and command lines wrap, no column is hidden.
      expect(open.boxes.filter((box) => box.tableWidth > box.boxWidth)).toEqual([]);
      await page.locator('#rule-rows > details.failed table.cases').first().scrollIntoViewIfNeeded();
      await screenshot(page, `many-${width}x${height}-golden-events.png`);
      await page.locator('#close-all').click();
      await page.evaluate(() => window.scrollTo(0, 0));
    });
  }

  it('scrolls the rule list inside its own box on a narrow window, not the page', async () => {
    await page.setViewportSize({ width: 700, height: 800 });
    const narrow = await page.evaluate(() => {
      const list = document.querySelectorAll('#rule-list')[0]!;
      return { page: document.documentElement.scrollWidth, window: document.documentElement.clientWidth, list: list.scrollWidth, box: list.clientWidth, overflowX: getComputedStyle(list).overflowX };
    });
    expect(narrow.page).toBe(narrow.window);
    expect(narrow.list).toBeGreaterThan(narrow.box);
    expect(narrow.overflowX).toBe('auto');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows each check once per rule, one mark per check column', async () => {
    const header = await page.locator('.rule-head [data-sort^="check-"]').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-sort')!.slice('check-'.length)));
    expect(header).toEqual(['validate', 'golden', 'policy', 'coverage', 'properties', 'sql', 'version']);
    const perRule = await page.locator('#rule-rows > details > summary').evaluateAll((rows) =>
      rows.map((row) => Array.prototype.map.call(row.querySelectorAll('[data-check]'), (mark: PageElement) => mark.getAttribute('data-check')) as string[]),
    );
    expect(perRule).toHaveLength(500);
    for (const checks of perRule) expect(checks).toEqual(header);
  });

  it('finds the failing rules at a glance: first in the list, counted on a tile that filters them', async () => {
    const states = await page.locator('#rule-rows > details').evaluateAll((rules) => rules.map((rule) => rule.getAttribute('data-states')!.split(' ')[0]));
    expect(states.slice(0, failing).every((state) => state === 'fail')).toBe(true);
    expect(states.slice(failing).every((state) => state === 'pass')).toBe(true);
    expect(await page.locator('#tile-fail strong').textContent()).toBe(String(failing));
    await page.locator('#tile-fail').click();
    expect(await page.locator('#filter-status').inputValue()).toBe('fail');
    expect(await page.locator('#filter-count').textContent()).toBe(`${failing} of 500 shown`);
    await screenshot(page, 'many-1280x800-failing.png');
  });

  it('filters by text, status, log source, level and failing check, and says how many are shown', async () => {
    const visible = () => page.locator('#rule-rows > details:visible');
    const form = page.locator('#rule-filters');
    await form.locator('button[type=reset]').click();
    const target = report.rules[123]!;
    // Typing filters after a short pause; Enter filters at once.
    await page.locator('#filter-text').fill(target.title.toUpperCase());
    await expect.poll(() => page.locator('#filter-count').textContent()).toBe('1 of 500 shown');
    expect(await visible().evaluateAll((rules) => rules.map((rule) => rule.getAttribute('data-rule-id')))).toEqual([target.id]);
    await page.locator('#filter-text').fill('no match for this anywhere');
    await page.locator('#filter-text').press('Enter');
    expect(await visible().count()).toBe(0);
    expect(await page.locator('#no-match').isVisible()).toBe(true);

    await page.locator('#filter-text').fill('');
    await page.locator('#filter-text').press('Enter');
    await page.locator('#filter-source').selectOption('linux/process_creation');
    await page.locator('#filter-level').selectOption('high');
    const expected = report.rules.filter((rule) => rule.logsource === 'linux/process_creation' && rule.level === 'high').map((rule) => rule.id);
    expect(expected.length).toBeGreaterThan(0);
    expect((await visible().evaluateAll((rules) => rules.map((rule) => rule.getAttribute('data-rule-id')))).sort()).toEqual(expected.sort());

    await form.locator('button[type=reset]').click();
    await expect.poll(() => visible().count()).toBe(500);
    await page.locator('#filter-check').selectOption('properties');
    const failedProperties = report.rules.filter((rule) => rule.failures.some((f) => f.check === 'properties')).length;
    expect(failedProperties).toBeGreaterThan(0);
    expect(await visible().count()).toBe(failedProperties);
    expect(await page.locator('#rule-rows > details:visible [data-col="check-properties"].fail').count()).toBe(failedProperties);
    await form.locator('button[type=reset]').click();
    await expect.poll(() => visible().count()).toBe(500);
  });

  it('sorts by a column with the keyboard, and reverses on a second press', async () => {
    await page.locator('#close-all').focus();
    await page.keyboard.press('Tab');
    const focused = () => page.evaluate(() => document.activeElement?.closest('[data-sort]')?.getAttribute('data-sort') ?? null);
    expect(await focused()).toBe('status');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('level');
    await page.keyboard.press('Enter');
    const levels = () => page.locator('#rule-rows > details').evaluateAll((rules) => rules.map((rule) => rule.getAttribute('data-level')));
    const ascending = await levels();
    expect(ascending[0]).toBe('critical');
    expect(ascending.at(-1)).toBe('(none)');
    expect(await page.locator('.rule-head [data-sort="level"]').getAttribute('data-sorted')).toBe('ascending');
    await page.keyboard.press('Enter');
    const descending = await levels();
    expect(descending[0]).toBe('(none)');
    expect(descending.at(-1)).toBe('critical');

    await page.locator('.rule-head [data-sort="coverage"] button').click();
    const coverage = await page.locator('#rule-rows > details [data-col="coverage"]').evaluateAll((cells) => cells.map((cell) => Number(cell.getAttribute('data-value'))));
    expect(coverage).toEqual([...coverage].sort((a, b) => a - b));
    await page.locator('.rule-head [data-sort="check-golden"] button').click();
    const golden = await page.locator('#rule-rows > details [data-col="check-golden"]').evaluateAll((cells) => cells.map((cell) => cell.getAttribute('data-value')));
    const failedGolden = report.rules.filter((rule) => rule.failures.some((f) => f.check === 'golden')).length;
    expect(golden.slice(0, failedGolden).every((value) => value === '0')).toBe(true);
    expect(golden[failedGolden]).not.toBe('0');
    await screenshot(page, 'many-1280x800-sorted-by-golden.png');
  });

  it('opens a rule from the keyboard', async () => {
    const first = page.locator('#rule-rows > details').first();
    await first.locator('summary').focus();
    await page.keyboard.press('Enter');
    expect(await first.evaluate((rule) => rule.open)).toBe(true);
    await page.keyboard.press('Enter');
    expect(await first.evaluate((rule) => rule.open)).toBe(false);
  });

  it('stays whole without JavaScript: no filter bar, the failing rules first, rows that open', async () => {
    const plain = await openReport(path, { withoutScript: true });
    await plain.page.setViewportSize({ width: 1280, height: 800 });
    expect(await plain.page.locator('script').count()).toBe(0);
    expect(await plain.page.locator('#rule-filters').isVisible()).toBe(false);
    expect(await plain.page.locator('.rule-head button').count()).toBe(0);
    const states = await plain.page.locator('#rule-rows > details').evaluateAll((rules) => rules.map((rule) => rule.getAttribute('data-states')!.split(' ')[0]));
    expect(states.indexOf('pass')).toBe(failing);
    const first = plain.page.locator('#rule-rows > details').first();
    await first.locator('summary').click();
    expect(await first.locator('.rule-body').isVisible()).toBe(true);
    const widths = await plain.page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
    expect(widths[0]).toBe(widths[1]);
    await screenshot(plain.page, 'many-1280x800-without-script.png');
    expect(plain.requests).toEqual([]);
    await plain.page.close();
  });

  it('runs no error and makes no request', () => {
    expect(opened.errors).toEqual([]);
    expect(opened.requests).toEqual([]);
  });
});
