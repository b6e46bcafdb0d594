import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestReport } from '../harness/test-report.js';
import { ATTACK_DATA_PATH, type AttackCatalog } from '../attack/catalog.js';
import { loadAttackData } from './attack.js';
import { renderHtmlReport } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdownSummary } from './markdown.js';
import { renderNavigatorLayer } from './navigator.js';
import { formatSarif, renderSarifReport } from './sarif-report.js';

/** Options of `writeReports`; all optional, the defaults are what `dac test` wants. */
export interface WriteReportsOptions {
  /** Repository root: where data/attack/attack-enterprise.json is read from (default: the working directory). */
  readonly repoRoot?: string;
  /** ATT&CK data to use instead of reading the repository's copy (tests inject a small one). */
  readonly attack?: AttackCatalog;
  /** When the run started (default: now), for the JUnit timestamps. */
  readonly startedAt?: Date;
  /** Host name for JUnit (default: this machine's). */
  readonly hostname?: string;
  /** The SARIF run's automation id (default `dac-test/`), so code scanning keeps another command's results apart. */
  readonly sarifAutomationId?: string;
}

/** The file names `dac test --report-dir DIR` writes, in the order they are written. */
export const REPORT_FILES = {
  junit: 'junit.xml',
  sarif: 'results.sarif',
  markdown: 'summary.md',
  html: 'report.html',
  navigator: 'navigator-layer.json',
} as const;

/** Writes every report of a run into `dir` (created if needed); returns the paths written. */
export async function writeReports(report: TestReport, dir: string, options: WriteReportsOptions = {}): Promise<string[]> {
  const repoRoot = resolve(options.repoRoot ?? process.cwd());
  let attack = options.attack;
  let extraDiagnostics: Awaited<ReturnType<typeof loadAttackData>>['diagnostics'] = [];
  if (attack === undefined) {
    const loaded = await loadAttackData(join(repoRoot, ATTACK_DATA_PATH), ATTACK_DATA_PATH);
    attack = loaded.data;
    extraDiagnostics = loaded.diagnostics;
  }
  const contents: [string, string][] = [
    [REPORT_FILES.junit, renderJunit(report, { timestamp: options.startedAt ?? new Date(), hostname: options.hostname ?? hostname() })],
    [REPORT_FILES.sarif, formatSarif(renderSarifReport(report, { repoRoot, ...(options.sarifAutomationId === undefined ? {} : { automationId: options.sarifAutomationId }) }))],
    [REPORT_FILES.markdown, renderMarkdownSummary(report)],
    [REPORT_FILES.html, renderHtmlReport(report, { ...(attack === undefined ? {} : { attack }), extraDiagnostics })],
    [REPORT_FILES.navigator, `${JSON.stringify(renderNavigatorLayer(report, attack), null, 2)}\n`],
  ];
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  for (const [name, text] of contents) {
    const path = join(dir, name);
    await writeFile(path, text, 'utf8');
    written.push(path);
  }
  return written;
}
