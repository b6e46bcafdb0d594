/**
 * Loads the rules `dac scan` runs: walks the given files and folders, parses every detection rule and
 * compiles it. Problems become diagnostics; a rule with errors is left out and counted as invalid.
 */
import { createDiagnostic, hasErrors, type Diagnostic } from '../diagnostics/diagnostic.js';
import { compileRule, type CompiledRule, type CompileOptions } from '../compile/compile-rule.js';
import { loadYamlFile } from '../load/yaml.js';
import type { Mapping } from '../mapping/mapping.js';
import { resolveLogSource } from '../mapping/resolve-log-source.js';
import { parseRule } from '../parse/parse-rule.js';
import { collectRuleFiles } from '../files/list-rule-files.js';

/** How many rule files are being read at once. */
const READ_AHEAD = 16;

/** The compiled rules and what went wrong on the way. */
export interface LoadedRules {
  readonly rules: readonly CompiledRule[];
  /** Rule documents that could not be used (parse or compile errors). */
  readonly invalid: number;
  /** Paths that do not exist or cannot be read. */
  readonly missing: number;
  readonly diagnostics: readonly Diagnostic[];
}

/**
 * Reads, parses and compiles the detection rules under `paths` (relative to `cwd`). With a `mapping`,
 * each rule is bound to the event sources of its log source (DESIGN: Windows events are gated by the
 * rule's log source and renamed by the mapping).
 */
export async function loadCompiledRules(
  paths: readonly string[],
  cwd: string,
  options: CompileOptions = {},
  mapping?: Mapping,
): Promise<LoadedRules> {
  const collected = await collectRuleFiles(paths, cwd);
  const diagnostics: Diagnostic[] = [...collected.diagnostics];
  const rules: CompiledRule[] = [];
  let invalid = 0;
  // Files are read a batch at a time (I/O overlaps) and handled in walk order (stable output).
  const files = collected.files;
  const pending = new Map<number, ReturnType<typeof loadYamlFile>>();
  const start = (index: number): void => {
    const file = files[index];
    if (file && !pending.has(index)) pending.set(index, loadYamlFile(file.absolutePath, file.displayName));
  };
  for (const [index, file] of files.entries()) {
    for (let ahead = index; ahead < index + READ_AHEAD; ahead += 1) start(ahead);
    const loaded = await (pending.get(index) as ReturnType<typeof loadYamlFile>);
    pending.delete(index);
    diagnostics.push(...loaded.diagnostics);
    if (hasErrors(loaded.diagnostics)) invalid += 1;
    for (const document of loaded.documents) {
      if (document.value === null || document.value === undefined) continue;
      let parsed;
      try {
        parsed = parseRule(document, file.displayName);
      } catch (error) {
        // A bug in parsing must cost one rule, not the scan.
        const reason = error instanceof Error ? error.message : String(error);
        diagnostics.push(createDiagnostic(file.displayName, document.locate([]), 'internal/parse-failed', 'error', `the rule could not be parsed: ${reason}`));
        invalid += 1;
        continue;
      }
      diagnostics.push(...parsed.diagnostics);
      // Correlation rules and filters are not single-event detections; scan leaves them out.
      if (parsed.metadata && parsed.metadata.kind !== 'detection') continue;
      if (!parsed.rule) {
        invalid += 1;
        continue;
      }
      const bindings = mapping ? resolveLogSource(mapping, parsed.rule.logsource) : undefined;
      const compiled = compileRule(parsed.rule, bindings ? { ...options, bindings } : options);
      diagnostics.push(...compiled.diagnostics);
      if (!compiled.compiled || hasErrors(parsed.diagnostics)) {
        invalid += 1;
        continue;
      }
      rules.push(compiled.compiled);
    }
  }
  // A path that does not exist or cannot be read is missing input; a link or a bad name in a folder is a rule that cannot be used.
  const missing = collected.diagnostics.filter((d) => d.code === 'file/not-found' || d.code === 'file/unreadable').length;
  const refused = collected.diagnostics.filter((d) => d.severity === 'error').length - missing;
  return { rules, invalid: invalid + refused, missing, diagnostics };
}
