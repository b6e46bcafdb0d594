/**
 * Test helpers for the property runner: a small rule, its scenario spec and filters written to a
 * throwaway folder, compiled with the repository's real mappings.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileRule } from '../../../src/compile/compile-rule.js';
import { parseYaml } from '../../../src/load/yaml.js';
import { loadMappings } from '../../../src/mapping/load-mappings.js';
import { resolveLogSource } from '../../../src/mapping/resolve-log-source.js';
import { parseRule } from '../../../src/parse/parse-rule.js';
import type { PropertyContext } from '../../../src/harness/properties.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** The small rule's id. */
export const SMALL_RULE_ID = '7d3f9a52-1b4c-4e8d-9f60-2a5b8c7d1e03';
/** The id of the filter that suppresses the small rule's documented false positive. */
export const SMALL_FILTER_ID = 'c1f0e2d3-4b5a-4697-8a1b-2c3d4e5f6a7b';
export const SMALL_RULE_FILE = 'rules/proc_creation_win_small_shell.yml';
export const SMALL_TEST_FOLDER = 'tests/rules/proc_creation_win_small_shell';

/** A rule: w3wp.exe starting cmd.exe or whoami.exe; `child` and `parent` let a test break it on purpose. */
export function smallRule({
  child = "Image|endswith:\n      - '\\cmd.exe'\n      - '\\whoami.exe'",
  parent = "ParentImage|endswith: '\\w3wp.exe'",
} = {}): string {
  return `title: Shell from IIS
id: ${SMALL_RULE_ID}
status: experimental
date: 2026-11-28
logsource:
  category: process_creation
  product: windows
detection:
  selection:
    ${parent}
    ${child}
  condition: selection
falsepositives:
  - Health checks that run whoami
level: high
`;
}

/** The small rule's scenario spec: IIS starting cmd and whoami, a health-check pool, look-alikes and background. */
export const SMALL_SPEC = `rule: ${SMALL_RULE_ID}
variants:
  - { name: notcmd.exe, of: cmd.exe, fileName: notcmd.exe }
  - { name: cmd.exe.bak, of: cmd.exe, fileName: cmd.exe.bak }
  - { name: health-check-w3wp, of: w3wp.exe, appPool: HealthCheck }
truePositives:
  - name: iis starts cmd or whoami
    parents: { names: [w3wp.exe] }
    children: { names: [cmd.exe, whoami.exe] }
  - name: health pool starts cmd
    parents: { names: [health-check-w3wp] }
    children: { names: [cmd.exe] }
falsePositives:
  - name: health pool runs whoami
    falsepositive: 0
    filters: [${SMALL_FILTER_ID}]
    parents: { names: [health-check-w3wp] }
    children: { names: [whoami.exe] }
background:
  - name: iis look-alike and benign children
    parents: { names: [w3wp.exe] }
    children: { names: [notcmd.exe, cmd.exe.bak, csc.exe] }
  - name: explorer shells
    parents: { names: [explorer.exe] }
    children: { names: [cmd.exe, whoami.exe] }
`;

/** A filter for the small rule; `selection` replaces its selections to make it too broad or too narrow. */
export function smallFilter(
  selection = "selection:\n    User: 'IIS APPPOOL\\HealthCheck'\n    Image|endswith: '\\whoami.exe'",
): string {
  return `title: Health check pool runs whoami
id: ${SMALL_FILTER_ID}
logsource:
  category: process_creation
  product: windows
filter:
  rules:
    - ${SMALL_RULE_ID}
  ${selection}
  condition: not selection
`;
}

/** Writes files into a new temporary folder and returns its path. */
export async function writeTempFolder(files: Record<string, string>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'dac-properties-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

/** Parses and compiles a rule text with the repository's mappings, as `dac test` does. */
export async function compileWithMappings(text: string, file = SMALL_RULE_FILE) {
  const { documents } = parseYaml(text, file);
  const parsed = parseRule(documents[0]!, file);
  if (!parsed.rule) throw new Error(`rule did not parse: ${JSON.stringify(parsed.diagnostics)}`);
  const { mappings } = await loadMappings(join(repoRoot, 'mappings'));
  const bindings = resolveLogSource(mappings, parsed.rule.logsource);
  const { compiled, diagnostics } = compileRule(parsed.rule, { bindings });
  if (!compiled) throw new Error(`rule did not compile: ${JSON.stringify(diagnostics)}`);
  return { rule: parsed.rule, compiled, bindings };
}

/** A throwaway pack with the rule, its spec and a filter (none when `filter` is null), and the context to run its properties. */
export async function createPropertyPack(
  rule: string,
  { spec = SMALL_SPEC, filter = smallFilter() as string | null, runs = 40, seed = 42 } = {},
): Promise<PropertyContext> {
  const files: Record<string, string> = { [SMALL_RULE_FILE]: rule, [`${SMALL_TEST_FOLDER}/scenarios.yml`]: spec };
  if (filter !== null) files['filters/mf_small_health_check.yml'] = filter;
  const root = await writeTempFolder(files);
  return { ...(await compileWithMappings(rule)), seed, runs, repoRoot: root, testFolder: join(root, SMALL_TEST_FOLDER) };
}
