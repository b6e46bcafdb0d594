/**
 * The commands the kill tests kill, each in a small repository where it has something to replace:
 * `dac test --update` (a wrong verdict in rule-test.yml, and an old report folder), `dac lock` (an old
 * lock) and `dac pack` (an old pack of the same version).
 */
import { createHash } from 'node:crypto';
import { cp, mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPack } from '../../../src/pack/build-pack.js';
import { INCOMPLETE_MARKER, REPORT_FILES } from '../../../src/report/write-reports.js';
import { CMD, EXPLORER, RULE_FILE, RULE_ID, ruleText, sysmonEvent, TEST_DIR, W3WP, WHOAMI } from '../harness/temp-pack.js';
import { checkEachFileOldOrNew, type KillScenario, type Snapshot } from './kill-harness.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const SIGMAHQ = join(repoRoot, 'tests/fixtures/sigmahq/rules/windows/process_creation');

async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
}

/** Copies `count` real SigmaHQ rules into `rules/` (enough that the files written take a while). */
async function copySigmaRules(root: string, from: number, count: number): Promise<void> {
  const names = (await readdir(SIGMAHQ)).filter((name) => name.endsWith('.yml')).sort().slice(from, from + count);
  await mkdir(join(root, 'rules'), { recursive: true });
  for (const name of names) await cp(join(SIGMAHQ, name), join(root, 'rules', name));
}

const SPEC = (tnVerdict: string): string => `rule: ${RULE_ID}
events:
  - file: tp.xml
    verdict: match
    provenance: synthesized by hand for the kill tests
  - file: tn.xml
    verdict: ${tnVerdict}   # wrong on purpose: --update rewrites this word
    provenance: synthesized by hand for the kill tests
  - file: fp.xml
    verdict: false-positive
    falsepositive: 0
    provenance: synthesized by hand for the kill tests
`;

const REPORTS = Object.values(REPORT_FILES).map((name) => `reports/${name}`);
const MARKER = `reports/${INCOMPLETE_MARKER}`;
const OLD_REPORT = 'report of an old run (old-run)\n';

/**
 * JUnit carries the run's start time and SARIF the repository's absolute path (each kill runs in its
 * own copy: `kill-N`, the whole run in `whole`); everything else of a report is a function of the run.
 */
const normalizeReport = (file: string, bytes: Buffer): string => {
  const text = bytes.toString('utf8').replace(/\b(whole|kill-\d+)\b/g, 'ROOT');
  return file.endsWith('junit.xml') ? text.replace(/timestamp="[^"]*"/g, 'timestamp=""') : text;
};

/**
 * The report folder's promise: a stale report never sits beside a new one, and without the INCOMPLETE
 * marker the folder holds one run's whole set. Each new report present is whole.
 */
function checkReportFolder(after: Snapshot, _before: Snapshot, whole: Snapshot): string[] {
  const problems: string[] = [];
  const present = REPORTS.filter((file) => after.get(file) !== undefined);
  const old = present.filter((file) => after.get(file)?.toString('utf8') === OLD_REPORT);
  const fresh = present.filter((file) => !old.includes(file));
  for (const file of fresh) {
    if (normalizeReport(file, after.get(file) as Buffer) !== normalizeReport(file, whole.get(file) as Buffer)) problems.push(`${file} is not whole`);
  }
  if (old.length > 0 && fresh.length > 0) problems.push(`old reports (${old.join(', ')}) beside new ones (${fresh.join(', ')})`);
  if (after.get(MARKER) === undefined && present.length !== REPORTS.length) {
    problems.push(`no ${INCOMPLETE_MARKER} marker, but only ${present.length} of ${REPORTS.length} reports`);
  }
  return problems;
}

/** `dac test --update --report-dir reports`: rewrites one verdict and replaces an old report folder. */
export const testUpdateScenario: KillScenario = {
  name: 'dac test --update',
  args: ['test', '--update', '--runs', '2', '--report-dir', 'reports'],
  async create(root) {
    await cp(join(repoRoot, 'mappings'), join(root, 'mappings'), { recursive: true });
    await cp(join(repoRoot, 'data'), join(root, 'data'), { recursive: true });
    await writeFiles(root, {
      'package.json': '{ "name": "kill-pack", "version": "1.0.0" }\n',
      'dac.config.yml': 'properties: { runs: 2, seed: 1 }\n',
      '.changeset/add.md': `---\n"kill-pack": minor\n---\n\nadded: ${RULE_ID} Shell from IIS\n`,
      [RULE_FILE]: ruleText(),
      [`${TEST_DIR}/rule-test.yml`]: SPEC('match'),
      [`${TEST_DIR}/tp.xml`]: sysmonEvent(W3WP, CMD),
      [`${TEST_DIR}/tn.xml`]: sysmonEvent(EXPLORER, CMD),
      [`${TEST_DIR}/fp.xml`]: sysmonEvent(W3WP, WHOAMI),
      ...Object.fromEntries(REPORTS.map((file) => [file, OLD_REPORT])),
    });
  },
  files: [`${TEST_DIR}/rule-test.yml`, ...REPORTS, MARKER],
  folders: [TEST_DIR, 'reports'],
  check: (after, before, whole) => [
    ...checkEachFileOldOrNew([`${TEST_DIR}/rule-test.yml`])(after, before, whole),
    ...checkReportFolder(after, before, whole),
  ],
};

/** `dac lock` over an old lock of fewer rules. */
export const lockScenario: KillScenario = {
  name: 'dac lock',
  args: ['lock'],
  async create(root) {
    await copySigmaRules(root, 0, 40);
    const hash = `sha256:${createHash('sha256').update('old').digest('hex')}`;
    await writeFiles(root, {
      'package.json': '{ "name": "kill-pack", "version": "1.0.0" }\n',
      'rules.lock.json': `${JSON.stringify({ lockfileVersion: 1, rules: { 'old-rule': { file: 'rules/old.yml', title: 'Old', logicHash: hash, modified: null, locked: '2020-01-01' } } }, null, 2)}\n`,
    });
  },
  files: ['rules.lock.json'],
  folders: ['.'],
  check: checkEachFileOldOrNew(['rules.lock.json']),
};

const ARCHIVE = 'dist/kill-pack-rules-1.0.0.tgz';
const CHECKSUM = `${ARCHIVE}.sha256`;

/** `dac pack` over an earlier pack of the same version (fewer rules): archive and checksum must agree. */
export const packScenario: KillScenario = {
  name: 'dac pack',
  args: ['pack', '--out', 'dist'],
  async create(root) {
    await writeFiles(root, { 'package.json': '{ "name": "kill-pack", "version": "1.0.0", "license": "MIT" }\n', LICENSE: 'MIT License\n\nCopyright (c) the kill-pack authors\n' });
    await copySigmaRules(root, 0, 15);
    const built = await buildPack({ repoRoot: root, outDir: 'dist', rulesDir: 'rules', packageName: 'kill-pack', packageVersion: '1.0.0', commit: null });
    if (!built.pack) throw new Error(`the old pack could not be built: ${JSON.stringify(built.diagnostics.slice(0, 3))}`);
    await copySigmaRules(root, 15, 15);
  },
  files: [ARCHIVE, CHECKSUM],
  folders: ['dist'],
  check(after, before, whole) {
    // The old checksum is removed before the archive is replaced: absent is the run that did not finish.
    const problems = checkEachFileOldOrNew([ARCHIVE])(after, before, whole);
    if (after.get(CHECKSUM) !== undefined) problems.push(...checkEachFileOldOrNew([CHECKSUM])(after, before, whole));
    const archive = after.get(ARCHIVE);
    const checksum = after.get(CHECKSUM)?.toString('utf8');
    if (checksum !== undefined) {
      const digest = archive ? createHash('sha256').update(archive).digest('hex') : 'no archive';
      if (!checksum.startsWith(`${digest}  `)) problems.push(`${CHECKSUM} does not fit ${ARCHIVE}`);
    }
    return problems;
  },
};

/** Every scenario, in the order the suite and the benchmark run them. */
export const KILL_SCENARIOS: readonly KillScenario[] = [testUpdateScenario, lockScenario, packScenario];
