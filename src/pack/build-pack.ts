import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createDiagnostic, hasErrors, sortDiagnostics, type Diagnostic } from '../diagnostics/diagnostic.js';
import { toFileWriteError, writeFileAtomic } from '../files/write-file-atomic.js';
import type { TestReport } from '../harness/test-report.js';
import { decodeText, MAX_YAML_BYTES, parseYaml } from '../load/yaml.js';
import { readHeadCommit, runGit } from '../version/git.js';
import { parseRule } from '../parse/parse-rule.js';
import type { SigmaRule } from '../model/rule.js';
import { convertRules, nameQueryFile } from '../convert/convert-files.js';
import { loadFilters } from '../compile/apply-filters.js';
import { DEFAULT_TARGETS_DIR, loadTargetProfiles } from '../convert/target-profiles.js';
import { DUCKDB_PRELUDE } from '../convert/targets/duckdb.js';
import { renderAttribution } from './attribution.js';
import { listRepositoryRuleFiles } from '../files/list-rule-files.js';
import { compareCodeUnits, describeRuleVersion, locateId, type RuleVersion } from '../version/rule-version.js';
import { describeManifestRule, findRuleReport, type ManifestRule, type PackManifest } from './manifest.js';
import { renderPackReadme } from './pack-readme.js';
import { createReproducibleTgz } from './tgz.js';

/** What `buildPack` packs and where it writes. */
export interface BuildPackOptions {
  readonly repoRoot: string;
  /** Output folder, relative to the repository root unless absolute. */
  readonly outDir: string;
  readonly rulesDir: string;
  /** The harness package's name and version (package.json): the pack is `<name>-rules` at that version. */
  readonly packageName: string;
  readonly packageVersion: string;
  readonly license?: string;
  /** A `dac test` report whose per-rule summaries go into the manifest. */
  readonly report?: TestReport;
  /** The commit to record; read from git when undefined, none recorded when null. */
  readonly commit?: string | null;
  /** The Sigma filters folder shipped with the rules (and applied to their queries); none when undefined. */
  readonly filtersDir?: string;
  /** The target profiles folder the queries are written for (default: the repository's targets/). */
  readonly targetsDir?: string;
}

/** A built pack: where it is, its checksum and what is in it. */
export interface BuiltPack {
  readonly name: string;
  readonly version: string;
  readonly archive: string;
  readonly checksumFile: string;
  readonly sha256: string;
  /** Paths inside the package (without the `package/` prefix), sorted. */
  readonly files: readonly string[];
  readonly manifest: PackManifest;
}

/** The pack's npm name: the harness package's name with `-rules`, so the two never collide. */
export function namePack(packageName: string): string {
  return `${packageName}-rules`;
}

/** The archive's file name, as `npm pack` names it: `<name>-<version>.tgz`, a scope folded in. */
export function nameArchive(packName: string, version: string): string {
  return `${packName.replace(/^@/, '').replace('/', '-')}-${version}.tgz`;
}

/**
 * Writes `sha256sum`-format lines (`<hex>  <path>`), sorted by path, so `sha256sum -c` verifies them.
 * A path holding a backslash, line feed or carriage return is written as GNU coreutils writes it (a
 * backslash starts the line, and those characters are escaped), so every line stays one well-formed line.
 */
export function formatSha256Sums(files: ReadonlyMap<string, Buffer>): string {
  return [...files.keys()]
    .sort(compareCodeUnits)
    .map((path) => {
      const escaped = /[\\\n\r]/.test(path);
      const name = escaped ? path.replace(/[\\\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\n' ? '\\n' : '\\r')) : path;
      return `${escaped ? '\\' : ''}${sha256(files.get(path) as Buffer)}  ${name}\n`;
    })
    .join('');
}

/** Hashes bytes with SHA-256, as lowercase hex. */
export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

const jsonText = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

/** Reads the rule files and their documents; problems become diagnostics. */
async function readPackRules(repoRoot: string, rulesDir: string, parse = true): Promise<{
  files: { path: string; bytes: Buffer; rules: RuleVersion[]; values: unknown[] }[];
  diagnostics: Diagnostic[];
}> {
  const files: { path: string; bytes: Buffer; rules: RuleVersion[]; values: unknown[] }[] = [];
  const listed = await listRepositoryRuleFiles(repoRoot, rulesDir);
  const diagnostics: Diagnostic[] = [...listed.diagnostics];
  const at = { line: 1, column: 1 };
  for (const path of listed.files) {
    let bytes: Buffer;
    try {
      bytes = await readFile(join(repoRoot, path));
    } catch (error) {
      diagnostics.push(createDiagnostic(path, at, 'file/unreadable', 'error', `cannot read the file: ${error instanceof Error ? error.message : String(error)}`));
      continue;
    }
    if (bytes.length > MAX_YAML_BYTES) {
      diagnostics.push(createDiagnostic(path, at, 'file/too-large', 'error', `the file is ${bytes.length} bytes; rule files over ${MAX_YAML_BYTES} bytes are not packed`));
      continue;
    }
    const decoded = decodeText(bytes, path);
    diagnostics.push(...decoded.diagnostics);
    if (decoded.text === undefined) continue;
    const parsed = parseYaml(decoded.text, path);
    diagnostics.push(...parsed.diagnostics);
    const rules = parse
      ? parsed.documents.flatMap((document, index) => {
          const rule = describeRuleVersion(document, path, index);
          return rule ? [rule] : [];
        })
      : [];
    if (parsed.documents.length === 0 && parsed.diagnostics.length === 0) {
      diagnostics.push(createDiagnostic(path, at, 'pack/empty-file', 'error', 'the rule file holds no YAML document'));
    }
    files.push({ path, bytes, rules, values: parsed.documents.map((document) => document.value) });
  }
  return { files, diagnostics };
}

/**
 * Builds the rule pack: an npm-installable tarball (`package/` layout) holding every rule as YAML
 * (byte for byte) and as JSON (same path, `.json`), manifest.json, SHA256SUMS over the other files,
 * a README and a package.json; then `<archive>.sha256` beside it. The same inputs give the same bytes
 * (see `createReproducibleTgz`). Rules that cannot be read, lack an id or share one are diagnostics,
 * and nothing is written.
 */
export async function buildPack(options: BuildPackOptions): Promise<{ pack?: BuiltPack; diagnostics: Diagnostic[] }> {
  const read = await readPackRules(options.repoRoot, options.rulesDir);
  const diagnostics = [...read.diagnostics];
  const contents = new Map<string, Buffer>();
  const manifestRules: ManifestRule[] = [];
  const seenIds = new Map<string, string>();
  const untested = new Map<string, string>();
  for (const file of read.files) {
    const jsonPath = file.path.replace(/\.ya?ml$/i, '.json');
    if (contents.has(jsonPath)) {
      diagnostics.push(createDiagnostic(file.path, { line: 1, column: 1 }, 'pack/path-clash', 'error', `another rule file also becomes ${jsonPath}`));
      continue;
    }
    contents.set(file.path, file.bytes);
    // One document becomes that document; a multi-document file becomes the list of its documents.
    contents.set(jsonPath, Buffer.from(jsonText(file.values.length === 1 ? file.values[0] : file.values)));
    for (const rule of file.rules) {
      if (rule.id === undefined) {
        diagnostics.push(createDiagnostic(rule.file, locateId(rule), 'version/missing-id', 'error', 'the rule has no id; a pack lists every rule by its id'));
        continue;
      }
      const other = seenIds.get(rule.id);
      if (other !== undefined) {
        diagnostics.push(createDiagnostic(rule.file, locateId(rule), 'version/duplicate-id', 'error', `the id ${rule.id} is also used by ${other}`));
        continue;
      }
      seenIds.set(rule.id, rule.file);
      // Test evidence counts only for the exact bytes packed: a rule changed since the report is untested.
      const found = findRuleReport(options.report, rule.id);
      const packedHash = sha256(file.bytes);
      const evidence = found === undefined ? undefined : found.sha256 === packedHash ? found : undefined;
      if (found !== undefined && evidence === undefined) {
        const reason = found.sha256 === undefined
          ? 'the test report records no hash of the rule it tested'
          : `the test report tested other contents of ${rule.file} (sha256 ${found.sha256.slice(0, 12)}…), not the packed ones (${packedHash.slice(0, 12)}…)`;
        untested.set(rule.id, reason);
        diagnostics.push(createDiagnostic(rule.file, locateId(rule), 'pack/stale-report', 'warning', `rule ${rule.id} is packed as untested: ${reason}; run dac test again`));
      }
      manifestRules.push(describeManifestRule({ ...rule, id: rule.id }, jsonPath, evidence, packedHash, untested.get(rule.id)));
    }
  }
  // The filters ship beside the rules they tune (YAML as written, and JSON).
  if (options.filtersDir !== undefined && existsSync(join(options.repoRoot, options.filtersDir))) {
    const filters = await readPackRules(options.repoRoot, options.filtersDir, false);
    diagnostics.push(...filters.diagnostics);
    for (const file of filters.files) {
      contents.set(file.path, file.bytes);
      contents.set(file.path.replace(/\.ya?ml$/i, '.json'), Buffer.from(jsonText(file.values.length === 1 ? file.values[0] : file.values)));
    }
  }
  // A declared license ships as its text: a package that names a license and lacks the file is refused.
  const licensePath = join(options.repoRoot, 'LICENSE');
  if (existsSync(licensePath)) contents.set('LICENSE', await readFile(licensePath));
  else if (options.license !== undefined) {
    diagnostics.push(createDiagnostic('package.json', { line: 1, column: 1 }, 'pack/no-license-file', 'error', `package.json declares the license ${options.license}, but the repository has no LICENSE file to ship with the pack`));
  }
  const queries = await convertPackQueries(options, read.files.map((file) => ({ path: file.path, bytes: file.bytes })), diagnostics);
  for (const [path, text] of queries.files) contents.set(path, Buffer.from(text));
  if (options.report) {
    for (const id of seenIds.keys()) {
      if (!findRuleReport(options.report, id)) {
        diagnostics.push(createDiagnostic(seenIds.get(id) as string, { line: 1, column: 1 }, 'pack/untested', 'warning', `the test report has no result for rule ${id}; its manifest entry has no test summary`));
      }
    }
  }
  if (hasErrors(diagnostics)) return { diagnostics: sortDiagnostics(diagnostics) };

  const name = namePack(options.packageName);
  const version = options.packageVersion;
  const commit = options.commit === undefined ? await readHeadCommit(options.repoRoot) : options.commit ?? undefined;
  const dirty = commit !== undefined && (await isTreeDirty(options.repoRoot, options.rulesDir));
  const manifest: PackManifest = {
    name,
    version,
    harness: { name: options.packageName, version, ...(commit !== undefined ? { commit } : {}), ...(dirty ? { dirty: true } : {}) },
    ...(options.report ? { testReport: { pack: options.report.pack, passed: options.report.passed } } : {}),
    rules: manifestRules
      .map((rule) => ({ ...rule, queries: queries.byRule.get(rule.id) ?? {}, ...(queries.unconverted.has(rule.id) ? { unconverted: queries.unconverted.get(rule.id) } : {}) }))
      .sort((a, b) => compareCodeUnits(a.file, b.file) || compareCodeUnits(a.id, b.id)),
  };
  contents.set('ATTRIBUTION.md', Buffer.from(renderAttribution(manifest, read.files.flatMap((file) => file.values), options.license)));
  contents.set('manifest.json', Buffer.from(jsonText(manifest)));
  contents.set('README.md', Buffer.from(renderPackReadme(manifest)));
  contents.set('package.json', Buffer.from(jsonText({
    name,
    version,
    description: `Sigma detection rules of ${options.packageName}, as YAML and JSON, with a manifest of their versions and test results.`,
    ...(options.license ? { license: options.license } : {}),
    keywords: ['sigma', 'detection-rules', 'detection-as-code'],
    files: [
      `${options.rulesDir.replace(/\/+$/, '')}/`,
      ...(options.filtersDir !== undefined && [...contents.keys()].some((path) => path.startsWith(`${options.filtersDir}/`)) ? [`${options.filtersDir.replace(/\/+$/, '')}/`] : []),
      'queries/',
      'manifest.json',
      'SHA256SUMS',
      'README.md',
      'ATTRIBUTION.md',
      ...(contents.has('LICENSE') ? ['LICENSE'] : []),
    ],
  })));
  contents.set('SHA256SUMS', Buffer.from(formatSha256Sums(contents)));

  const archiveBytes = await createArchive(contents);
  const outDir = resolve(options.repoRoot, options.outDir);
  try {
    await mkdir(outDir, { recursive: true });
  } catch (error) {
    throw toFileWriteError(outDir, error);
  }
  const archiveName = nameArchive(name, version);
  const archive = join(outDir, archiveName);
  const checksumFile = `${archive}.sha256`;
  const digest = sha256(archiveBytes);
  await writeArchiveAndChecksum(archive, archiveBytes, checksumFile, `${digest}  ${archiveName}\n`);
  return {
    pack: { name, version, archive, checksumFile, sha256: digest, files: [...contents.keys()].sort(compareCodeUnits), manifest },
    diagnostics: sortDiagnostics(diagnostics),
  };
}

/** Builds the archive from the pack's contents, staged in a temporary folder that is always removed. */
async function createArchive(contents: ReadonlyMap<string, Buffer>): Promise<Buffer> {
  let stage: string | undefined;
  let path = tmpdir();
  try {
    stage = await mkdtemp(join(tmpdir(), 'dac-pack-'));
    for (const [file, bytes] of contents) {
      path = join(stage, file);
      await mkdir(dirname(path), { recursive: true });
      await writeFile(path, bytes);
    }
    path = stage;
    return await createReproducibleTgz({ cwd: stage, files: [...contents.keys()], prefix: 'package' });
  } catch (error) {
    throw toFileWriteError(path, error);
  } finally {
    if (stage !== undefined) await rm(stage, { recursive: true, force: true }).catch(() => undefined);
  }
}

/**
 * Writes the archive and its `.sha256` so that they never disagree, even over an earlier pack of the
 * same name and a run killed at any moment: each file is written whole (temporary file and rename),
 * an old checksum that does not fit the new archive is removed before the archive is replaced, and the
 * new checksum comes last. A reader sees the old pair, an archive without checksum (the run did not
 * finish), or the new pair.
 */
export async function writeArchiveAndChecksum(archive: string, bytes: Buffer, checksumFile: string, checksumText: string): Promise<void> {
  const current = await readFile(checksumFile, 'utf8').catch(() => undefined);
  if (current !== checksumText) {
    try {
      await rm(checksumFile, { force: true });
    } catch (error) {
      throw toFileWriteError(checksumFile, error);
    }
  }
  await writeFileAtomic(archive, bytes);
  if (current !== checksumText) await writeFileAtomic(checksumFile, checksumText);
}

/** True when the rules folder has uncommitted changes, so the recorded commit does not tell the whole story. */
async function isTreeDirty(repoRoot: string, rulesDir: string): Promise<boolean> {
  const status = await runGit(['status', '--porcelain', '--', rulesDir], repoRoot);
  return status.ok && status.stdout.length > 0;
}

/**
 * The queries of every rule for every target profile (`queries/<target>/<profile>/<rule>.<ext>`, and the
 * DuckDB prelude), written from the rules' packed bytes with their filters applied. A rule a profile
 * cannot express gets no query there; the manifest says why, rule by rule.
 */
async function convertPackQueries(
  options: BuildPackOptions,
  files: readonly { path: string; bytes: Buffer }[],
  diagnostics: Diagnostic[],
): Promise<{ files: Map<string, string>; byRule: Map<string, Record<string, string>>; unconverted: Map<string, Record<string, string>> }> {
  const rules: SigmaRule[] = [];
  for (const file of files) {
    const decoded = decodeText(file.bytes, file.path);
    if (decoded.text === undefined) continue;
    for (const document of parseYaml(decoded.text, file.path).documents) {
      if (document.value === null || document.value === undefined) continue;
      const parsed = parseRule(document, file.path);
      if (parsed.rule) rules.push(parsed.rule);
    }
  }
  const ownTargets = join(options.repoRoot, 'targets');
  const profiles = await loadTargetProfiles(options.targetsDir ?? (existsSync(ownTargets) ? ownTargets : DEFAULT_TARGETS_DIR));
  diagnostics.push(...profiles.diagnostics);
  const filters = options.filtersDir !== undefined && existsSync(join(options.repoRoot, options.filtersDir))
    ? (await loadFilters(join(options.repoRoot, options.filtersDir), options.repoRoot)).filters
    : [];
  const output = new Map<string, string>([['queries/sql/duckdb/prelude.sql', `${DUCKDB_PRELUDE}\n`]]);
  const byRule = new Map<string, Record<string, string>>();
  const unconverted = new Map<string, Record<string, string>>();
  for (const rule of rules) {
    if (rule.id === undefined) continue;
    for (const profile of profiles.profiles) {
      const key = `${profile.target}/${profile.profile}`;
      const converted = convertRules([rule], [profile], filters);
      const query = converted.queries[0];
      if (query === undefined) {
        const reason = converted.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message).join('; ') || 'not converted';
        unconverted.set(rule.id, { ...(unconverted.get(rule.id) ?? {}), [key]: reason });
        diagnostics.push(createDiagnostic(rule.file, { line: 1, column: 1 }, 'pack/no-query', 'warning', `rule ${rule.id} has no ${key} query: ${reason}`));
        continue;
      }
      const path = `queries/${profile.target}/${profile.profile}/${nameQueryFile(query)}`;
      output.set(path, query.text);
      byRule.set(rule.id, { ...(byRule.get(rule.id) ?? {}), [key]: path });
    }
  }
  return { files: output, byRule, unconverted };
}
