import { existsSync } from 'node:fs';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { isTemporaryFileOf, stageFile, toFileWriteError, writeFileAtomic, type StagedFile } from '../files/write-file-atomic.js';
import type { TestReport } from '../harness/test-report.js';
import { fileURLToPath } from 'node:url';
import { ATTACK_DATA_PATH, DEFAULT_ATTACK_DATA, type AttackCatalog } from '../attack/catalog.js';
import { loadAttackData } from './attack.js';
import { renderHtmlReport } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdownSummary } from './markdown.js';
import { renderNavigatorLayer } from './navigator.js';
import { formatSarif, renderSarifReport } from './sarif-report.js';

/** Options of `writeReports`; all optional, the defaults are what `dac test` wants. */
export interface WriteReportsOptions {
  /**
   * Repository root (default: the working directory): SARIF paths are relative to it, and ATT&CK data is
   * read from its data/attack/attack-enterprise.json when it has one, else from the harness's own copy.
   */
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

/** The file names `dac test` and `dac mutate` write into `--report-dir DIR`, in the order they are committed (report.json last). */
export const REPORT_FILES = {
  junit: 'junit.xml',
  sarif: 'results.sarif',
  markdown: 'summary.md',
  html: 'report.html',
  navigator: 'navigator-layer.json',
  json: 'report.json',
} as const;

/**
 * The file that stands in a report folder while a run replaces its reports. Present: the folder is
 * not one run's whole set (a run was killed while writing); absent: every report in it is from one run.
 */
export const INCOMPLETE_MARKER = 'INCOMPLETE';

const MARKER_TEXT = `The reports in this folder are being replaced by a \`dac test\` or \`dac mutate\` run.
If this file is still here, that run did not finish: the reports beside it are only part of its set.
Run it again with --report-dir.
`;

/** Renders every report of a run, in REPORT_FILES order. */
async function renderReports(report: TestReport, options: WriteReportsOptions): Promise<[string, string][]> {
  const repoRoot = resolve(options.repoRoot ?? process.cwd());
  let attack = options.attack;
  let extraDiagnostics: Awaited<ReturnType<typeof loadAttackData>>['diagnostics'] = [];
  if (attack === undefined) {
    // The repository's own copy when it keeps one, else the harness's, found next to its sources.
    const own = join(repoRoot, ATTACK_DATA_PATH);
    const loaded = existsSync(own)
      ? await loadAttackData(own, ATTACK_DATA_PATH)
      : await loadAttackData(fileURLToPath(DEFAULT_ATTACK_DATA), ATTACK_DATA_PATH);
    attack = loaded.data;
    extraDiagnostics = loaded.diagnostics;
  }
  return [
    [REPORT_FILES.junit, renderJunit(report, { timestamp: options.startedAt ?? new Date(), hostname: options.hostname ?? hostname() })],
    [REPORT_FILES.sarif, formatSarif(renderSarifReport(report, { repoRoot, ...(options.sarifAutomationId === undefined ? {} : { automationId: options.sarifAutomationId }) }))],
    [REPORT_FILES.markdown, renderMarkdownSummary(report)],
    [REPORT_FILES.html, renderHtmlReport(report, { ...(attack === undefined ? {} : { attack }), extraDiagnostics })],
    [REPORT_FILES.navigator, `${JSON.stringify(renderNavigatorLayer(report, attack), null, 2)}\n`],
    [REPORT_FILES.json, `${JSON.stringify(report, null, 2)}\n`],
  ];
}

/**
 * Writes every report of a run into `dir` (created if needed) so that the folder never mixes runs,
 * whenever the run is killed: each report is first written whole to a temporary file beside it; then
 * the INCOMPLETE marker is written, the previous run's reports are removed, the new ones are renamed
 * into place in REPORT_FILES order (report.json last), and the marker is removed. A reader sees the
 * previous run's whole set, or the marker beside part of the new set, or the new whole set; never a
 * stale report beside a new one. Returns the paths written; a failed write throws a FileWriteError
 * naming the report, and leaves the previous set or the marker.
 */
export async function writeReports(report: TestReport, dir: string, options: WriteReportsOptions = {}): Promise<string[]> {
  const contents = await renderReports(report, options);
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    throw toFileWriteError(dir, error);
  }
  await removeLeftoverTemporaryFiles(dir);
  const staged: StagedFile[] = [];
  try {
    for (const [name, text] of contents) staged.push(await stageFile(join(dir, name), text));
    const marker = join(dir, INCOMPLETE_MARKER);
    await writeFileAtomic(marker, MARKER_TEXT);
    for (const [name] of contents) {
      const path = join(dir, name);
      await rm(path, { force: true }).catch((error: unknown) => {
        throw toFileWriteError(path, error);
      });
    }
    while (staged.length > 0) await (staged.shift() as StagedFile).commit();
    await rm(marker, { force: true }).catch((error: unknown) => {
      throw toFileWriteError(marker, error);
    });
  } finally {
    for (const file of staged) await file.discard();
  }
  return contents.map(([name]) => join(dir, name));
}

/** Removes the temporary reports a killed run left behind, so they do not pile up. */
async function removeLeftoverTemporaryFiles(dir: string): Promise<void> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const targets = [...Object.values(REPORT_FILES), INCOMPLETE_MARKER];
  for (const name of names) {
    if (targets.some((target) => isTemporaryFileOf(name, target))) await rm(join(dir, name), { force: true }).catch(() => undefined);
  }
}
