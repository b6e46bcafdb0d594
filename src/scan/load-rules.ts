/**
 * Loads the rules `dac scan` runs: walks the given files and folders, parses every detection rule and
 * compiles it. Problems become diagnostics; a rule with errors is left out and counted as invalid.
 *
 * What loading each rule file came to (diagnostics, log sources, requirements) is plain data: rules are
 * compiled once to find it, then again on first use (src/compile/lazy-rule.ts), so a pack costs memory
 * only for the rules a scan evaluates. With a cache folder that data is kept between runs
 * (./rule-cache.ts): a file whose text, name, mappings, placeholders and engine are unchanged is not
 * parsed again. The result is the same rules, diagnostics and counts either way.
 */
import { createDiagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { compileRule, type CompiledRule, type CompileOptions } from '../compile/compile-rule.js';
import { createLazyRule } from '../compile/lazy-rule.js';
import { getDefaultPlaceholders } from '../compile/placeholders.js';
import { parseYaml, readYamlText, type YamlDocument } from '../load/yaml.js';
import type { Mapping } from '../mapping/mapping.js';
import { resolveLogSource } from '../mapping/resolve-log-source.js';
import { parseRule } from '../parse/parse-rule.js';
import { collectRuleFiles } from '../files/list-rule-files.js';
import { fingerprintMapping, fingerprintPlaceholders, keyRuleFile, RuleCache, type CachedFile, type CachedRule } from './rule-cache.js';

/** How many rule files are being read at once. */
const READ_AHEAD = 16;

/** One loaded rule as plain data: enough to rebuild it in another thread or run (see `createRulesFromPack`). */
export interface RuleRecord extends CachedRule {
  /** The rule file's text, as an index into `RulePack.files`. */
  readonly text: number;
}

/** The loaded rules as plain data, which worker threads rebuild the same rules from. */
export interface RulePack {
  readonly files: readonly { readonly displayName: string; readonly text: string }[];
  readonly records: readonly RuleRecord[];
}

/** What the rule cache did in a load. */
export interface RuleCacheReport {
  readonly file: string;
  /** Rule files found in the cache, and files parsed. */
  readonly hits: number;
  readonly misses: number;
  /** Why the cache could not be written, when it could not. */
  readonly problem?: string;
}

/** The compiled rules and what went wrong on the way. */
export interface LoadedRules {
  readonly rules: readonly CompiledRule[];
  /** Rule documents that could not be used (parse or compile errors). */
  readonly invalid: number;
  /** Paths that do not exist or cannot be read. */
  readonly missing: number;
  readonly diagnostics: readonly Diagnostic[];
  /** The same rules as plain data, in the same order. */
  readonly pack: RulePack;
  readonly cache?: RuleCacheReport;
}

/** Options of `loadCompiledRules`. */
export interface LoadRulesOptions extends CompileOptions {
  /** A folder for the rule cache; without it, every rule is parsed and compiled. */
  readonly cacheDir?: string;
}

/** Parses and compiles one rule file's text: what it comes to, as the cache keeps it. */
function loadRuleText(displayName: string, text: string, options: CompileOptions, mapping: Mapping | undefined): CachedFile {
  const parsedYaml = parseYaml(text, displayName);
  const diagnostics: Diagnostic[] = [...parsedYaml.diagnostics];
  let invalid = hasErrors(parsedYaml.diagnostics) ? 1 : 0;
  const rules: CachedRule[] = [];
  parsedYaml.documents.forEach((document, documentIndex) => {
    if (document.value === null || document.value === undefined) return;
    let parsed;
    try {
      parsed = parseRule(document, displayName);
    } catch (error) {
      // A bug in parsing must cost one rule, not the scan.
      const reason = error instanceof Error ? error.message : String(error);
      diagnostics.push(createDiagnostic(displayName, document.locate([]), 'internal/parse-failed', 'error', `the rule could not be parsed: ${reason}`));
      invalid += 1;
      return;
    }
    diagnostics.push(...parsed.diagnostics);
    // Correlation rules and filters are not single-event detections; scan leaves them out.
    if (parsed.metadata && parsed.metadata.kind !== 'detection') return;
    if (!parsed.rule) {
      invalid += 1;
      return;
    }
    const bindings = mapping ? resolveLogSource(mapping, parsed.rule.logsource) : undefined;
    const rule = parsed.rule;
    const compiled = compileRule(rule, bindings ? { ...options, bindings } : options);
    diagnostics.push(...compiled.diagnostics);
    if (!compiled.compiled || hasErrors(parsed.diagnostics)) {
      invalid += 1;
      return;
    }
    const { requirements, needles } = compiled.compiled;
    rules.push({
      document: documentIndex,
      title: rule.title,
      logsourceAt: document.locate(['logsource']),
      logsource: rule.logsource,
      requirements,
      ...(needles !== undefined ? { needles } : {}),
    });
  });
  return { diagnostics, invalid, rules };
}

/**
 * A YAML document that parses its text again only when a position is asked for: a rule keeps its
 * source for diagnostics and explanations, which a scan seldom needs, and the positions of a parsed
 * document weigh more than the rule itself.
 */
function createLazyDocument(value: unknown, text: string, file: string, index: number): YamlDocument {
  let parsed: YamlDocument | undefined;
  const get = (): YamlDocument => (parsed ??= parseYaml(text, file).documents[index] as YamlDocument);
  return {
    value,
    text,
    index,
    locate: (path) => get().locate(path),
    locateKey: (path) => get().locateKey(path),
    locateInScalar: (path, offset) => get().locateInScalar(path, offset),
    spanOf: (path) => get().spanOf(path),
    keySpanOf: (path) => get().keySpanOf(path),
  };
}

/**
 * Rebuilds rules from their plain data: each is parsed again from its file's text and compiled on first
 * use, so a thread that never evaluates a rule never pays for it. Same rules, same order.
 */
export function createRulesFromPack(pack: RulePack, options: CompileOptions = {}, mapping?: Mapping): CompiledRule[] {
  return pack.records.map((record) => {
    const { displayName, text } = pack.files[record.text] as RulePack['files'][number];
    const loadRule = () => {
      const document = parseYaml(text, displayName).documents[record.document];
      const parsed = document ? parseRule(document, displayName) : undefined;
      if (!parsed?.rule) throw new Error(`rule ${displayName} (document ${record.document}) no longer parses, though its text did before`);
      return { ...parsed.rule, source: createLazyDocument(parsed.rule.source.value, text, displayName, record.document) };
    };
    const bindings = mapping ? resolveLogSource(mapping, record.logsource) : undefined;
    return createLazyRule(loadRule, bindings ? { ...options, bindings } : options, record);
  });
}

/**
 * Reads, parses and compiles the detection rules under `paths` (relative to `cwd`). With a `mapping`,
 * each rule is bound to the event sources of its log source (DESIGN: Windows events are gated by the
 * rule's log source and renamed by the mapping). With `options.cacheDir`, unchanged rule files come
 * from the cache and the cache is brought up to date.
 */
export async function loadCompiledRules(
  paths: readonly string[],
  cwd: string,
  options: LoadRulesOptions = {},
  mapping?: Mapping,
): Promise<LoadedRules> {
  const { cacheDir, ...compileOptions } = options;
  const collected = await collectRuleFiles(paths, cwd);
  const diagnostics: Diagnostic[] = [...collected.diagnostics];
  const rules: CompiledRule[] = [];
  const files: { displayName: string; text: string }[] = [];
  const records: RuleRecord[] = [];
  let invalid = 0;
  const cache = cacheDir === undefined
    ? undefined
    : await RuleCache.open(cacheDir, {
        mapping: fingerprintMapping(mapping),
        placeholders: fingerprintPlaceholders(compileOptions.placeholders ?? getDefaultPlaceholders()),
      });
  let hits = 0;
  // Files are read a batch at a time (I/O overlaps) and handled in walk order (stable output).
  const ruleFiles = collected.files;
  const pending = new Map<number, ReturnType<typeof readYamlText>>();
  const start = (index: number): void => {
    const file = ruleFiles[index];
    if (file && !pending.has(index)) pending.set(index, readYamlText(file.absolutePath, file.displayName));
  };
  for (const [index, file] of ruleFiles.entries()) {
    for (let ahead = index; ahead < index + READ_AHEAD; ahead += 1) start(ahead);
    const read = await (pending.get(index) as ReturnType<typeof readYamlText>);
    pending.delete(index);
    if (read.text === undefined) {
      diagnostics.push(...read.diagnostics);
      if (hasErrors(read.diagnostics)) invalid += 1;
      continue;
    }
    const textIndex = files.push({ displayName: file.displayName, text: read.text }) - 1;
    const key = cache ? keyRuleFile(file.displayName, read.text) : '';
    let entry = cache?.get(key);
    if (entry !== undefined) {
      hits += 1;
    } else {
      entry = loadRuleText(file.displayName, read.text, compileOptions, mapping);
      cache?.set(key, entry);
    }
    // Either way the rules compile again on first use: what this load compiled was for its diagnostics
    // and requirements, and a pack's closures weigh more than the few rules a scan ends up evaluating.
    const fileRecords = entry.rules.map((rule) => ({ ...rule, text: textIndex }));
    rules.push(...createRulesFromPack({ files, records: fileRecords }, compileOptions, mapping));
    records.push(...fileRecords);
    diagnostics.push(...entry.diagnostics);
    invalid += entry.invalid;
  }
  let cacheReport: RuleCacheReport | undefined;
  if (cache) {
    let problem: string | undefined;
    try {
      await cache.save();
    } catch (error) {
      problem = error instanceof Error ? error.message : String(error);
    }
    cacheReport = { file: cache.file, hits, misses: files.length - hits, ...(problem !== undefined ? { problem } : {}) };
  }
  // A path that does not exist or cannot be read is missing input; a link or a bad name in a folder is a rule that cannot be used.
  const missing = collected.diagnostics.filter((d) => d.code === 'file/not-found' || d.code === 'file/unreadable').length;
  const refused = collected.diagnostics.filter((d) => d.severity === 'error').length - missing;
  return {
    rules,
    invalid: invalid + refused,
    missing,
    diagnostics,
    pack: { files, records },
    ...(cacheReport ? { cache: cacheReport } : {}),
  };
}
