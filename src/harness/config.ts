import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { compileSchemaFile, schemaDiagnostics } from '../load/json-schema.js';
import { loadYamlFile } from '../load/yaml.js';

/** The name of the one file that configures where things live and the test policy. */
export const CONFIG_FILE = 'dac.config.yml';

/** Where the pack's parts live and the policy every rule is held to (dac.config.yml). */
export interface DacConfig {
  readonly rules: string;
  /** Sigma filters that tune the rules; validated with them. */
  readonly filters: string;
  readonly tests: string;
  readonly mappings: string;
  readonly policy: {
    readonly requireVerdictsPerLogSource: readonly string[];
    readonly requireDocumentedFalsePositives: boolean;
    readonly requireTests: boolean;
    readonly minimumCoverage: number;
    /** `dac mutate`: the least share of non-equivalent mutants a rule's tests must kill, in percent. */
    readonly minimumMutationScore: number;
  };
  readonly properties: { readonly runs: number; readonly seed: number; readonly renderings: RenderingChoice };
}

/**
 * `rotate`: each event is read back in one format, event i of a tree in format (offset + i) mod 8 with
 * the offset drawn per tree, so every tree mixes formats and every format is read thousands of times in
 * a deep run; `all`: every event in every format (8 times the reading, for a final check).
 */
export type RenderingChoice = 'rotate' | 'all';

/** The defaults: what a rule pack without a config file is held to. */
export const DEFAULT_CONFIG: DacConfig = {
  rules: 'rules',
  filters: 'filters',
  tests: 'tests/rules',
  mappings: 'mappings',
  policy: {
    requireVerdictsPerLogSource: ['test', 'stable'],
    requireDocumentedFalsePositives: true,
    requireTests: true,
    minimumCoverage: 100,
    minimumMutationScore: 100,
  },
  properties: { runs: 200, seed: 1505003, renderings: 'rotate' },
};

interface RawConfig {
  rules?: string;
  filters?: string;
  tests?: string;
  mappings?: string;
  policy?: {
    'require-verdicts-per-log-source'?: string[];
    'require-documented-false-positives'?: boolean;
    'require-tests'?: boolean;
    'minimum-coverage'?: number;
    'minimum-mutation-score'?: number;
  };
  properties?: { runs?: number; seed?: number; renderings?: RenderingChoice };
}

/** Reads dac.config.yml from the repository root (defaults when absent), schema-checked. */
export async function loadConfig(repoRoot: string): Promise<{ config: DacConfig; diagnostics: Diagnostic[] }> {
  const path = join(repoRoot, CONFIG_FILE);
  if (!existsSync(path)) return { config: DEFAULT_CONFIG, diagnostics: [] };
  const loaded = await loadYamlFile(path, CONFIG_FILE);
  const document = loaded.documents[0];
  if (!document) {
    const diagnostics = loaded.diagnostics.length
      ? [...loaded.diagnostics]
      : [createDiagnostic(CONFIG_FILE, { line: 1, column: 1 }, 'config/empty', 'error', 'the config file is empty')];
    return { config: DEFAULT_CONFIG, diagnostics };
  }
  const validate = compileSchemaFile('dac-config.schema.json');
  if (!validate(document.value)) {
    return { config: DEFAULT_CONFIG, diagnostics: [...loaded.diagnostics, ...schemaDiagnostics(validate.errors ?? [], document, CONFIG_FILE)] };
  }
  const raw = (document.value ?? {}) as RawConfig;
  const policy = raw.policy ?? {};
  const defaults = DEFAULT_CONFIG.policy;
  return {
    config: {
      rules: raw.rules ?? DEFAULT_CONFIG.rules,
      filters: raw.filters ?? DEFAULT_CONFIG.filters,
      tests: raw.tests ?? DEFAULT_CONFIG.tests,
      mappings: raw.mappings ?? DEFAULT_CONFIG.mappings,
      policy: {
        requireVerdictsPerLogSource: policy['require-verdicts-per-log-source'] ?? defaults.requireVerdictsPerLogSource,
        requireDocumentedFalsePositives: policy['require-documented-false-positives'] ?? defaults.requireDocumentedFalsePositives,
        requireTests: policy['require-tests'] ?? defaults.requireTests,
        minimumCoverage: policy['minimum-coverage'] ?? defaults.minimumCoverage,
        minimumMutationScore: policy['minimum-mutation-score'] ?? defaults.minimumMutationScore,
      },
      properties: {
        runs: raw.properties?.runs ?? DEFAULT_CONFIG.properties.runs,
        seed: raw.properties?.seed ?? DEFAULT_CONFIG.properties.seed,
        renderings: raw.properties?.renderings ?? DEFAULT_CONFIG.properties.renderings,
      },
    },
    diagnostics: [...loaded.diagnostics],
  };
}
