import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { resolveInsideRepository } from '../files/inside-repository.js';
import { compileSchemaFile, schemaDiagnostics } from '../load/json-schema.js';
import { loadYamlFile } from '../load/yaml.js';
import { DEFAULT_MAPPINGS_DIR } from '../mapping/load-mappings.js';

/** The name of the one file that configures where things live and the test policy. */
export const CONFIG_FILE = 'dac.config.yml';

/** Where the pack's parts live and the policy every rule is held to (dac.config.yml). */
export interface DacConfig {
  readonly rules: string;
  /** Sigma filters that tune the rules; validated with them. */
  readonly filters: string;
  readonly tests: string;
  /**
   * The log-source mapping folder. As loaded by `loadConfig` it is absolute: the folder dac.config.yml
   * names, else the repository's own mappings/, else the harness's (see {@link locateMappings}).
   */
  readonly mappings: string;
  /** Who writes the pack's rules: `dac new` puts it in new rules. */
  readonly author?: string;
  readonly policy: {
    readonly requireVerdictsPerLogSource: readonly string[];
    readonly requireDocumentedFalsePositives: boolean;
    readonly requireTests: boolean;
    /** Whether a rule without a scenario spec (no property checks) fails, or only shows the gap. */
    readonly requireScenarios: boolean;
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
    // Scenario specs drive the property checks. The generators cover the activities of
    // src/harness/activities (process creation, network, registry, file, image load, script block,
    // logon), not every Sigma category, and a team adopting dac has no spec yet: by default the gap is
    // shown, not failed.
    requireScenarios: false,
    minimumCoverage: 100,
    minimumMutationScore: 100,
  },
  properties: { runs: 200, seed: 1505003, renderings: 'rotate' },
};

type FolderKey = 'rules' | 'filters' | 'tests' | 'mappings';

interface RawConfig {
  rules?: string;
  filters?: string;
  tests?: string;
  mappings?: string;
  author?: string;
  policy?: {
    'require-verdicts-per-log-source'?: string[];
    'require-documented-false-positives'?: boolean;
    'require-tests'?: boolean;
    'require-scenarios'?: boolean;
    'minimum-coverage'?: number;
    'minimum-mutation-score'?: number;
  };
  properties?: { runs?: number; seed?: number; renderings?: RenderingChoice };
}

/**
 * The mapping folder a repository uses, absolute: the one dac.config.yml names (relative to the
 * repository, and used even if missing, so a wrong name is reported), else the repository's own
 * `mappings/` when it has one, else the harness's own mappings, found next to its sources: a team's
 * repository uses those until it writes its own.
 */
export function locateMappings(repoRoot: string, named: string | undefined): string {
  if (named !== undefined) return resolve(repoRoot, named);
  const own = resolve(repoRoot, DEFAULT_CONFIG.mappings);
  return existsSync(own) ? own : DEFAULT_MAPPINGS_DIR;
}

/** Reads dac.config.yml from the repository root (defaults when absent), schema-checked. */
export async function loadConfig(repoRoot: string): Promise<{ config: DacConfig; diagnostics: Diagnostic[] }> {
  const loaded = await readConfigFile(repoRoot);
  return { ...loaded, config: { ...loaded.config, mappings: locateMappings(repoRoot, loaded.named) } };
}

async function readConfigFile(repoRoot: string): Promise<{ config: DacConfig; diagnostics: Diagnostic[]; named?: string }> {
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
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  // The folders the config names must be inside the repository, links followed; one that is not is an
  // error at its line, and the default folder is used so the run still reports everything else.
  const folder = async (key: FolderKey): Promise<string> => {
    const given = raw[key];
    if (given === undefined) return DEFAULT_CONFIG[key];
    const place = await resolveInsideRepository(repoRoot, repoRoot, given);
    if (place.inside) return given;
    diagnostics.push(createDiagnostic(CONFIG_FILE, document.locate([key]), 'config/outside-repository', 'error',
      `${key}: '${given}' resolves to ${place.realPath}, outside the repository; the default '${DEFAULT_CONFIG[key]}' is used`));
    return DEFAULT_CONFIG[key];
  };
  const [rules, filters, tests, mappings] = [await folder('rules'), await folder('filters'), await folder('tests'), await folder('mappings')];
  return {
    config: {
      rules,
      filters,
      tests,
      mappings,
      ...(raw.author === undefined ? {} : { author: raw.author }),
      policy: {
        requireVerdictsPerLogSource: policy['require-verdicts-per-log-source'] ?? defaults.requireVerdictsPerLogSource,
        requireDocumentedFalsePositives: policy['require-documented-false-positives'] ?? defaults.requireDocumentedFalsePositives,
        requireTests: policy['require-tests'] ?? defaults.requireTests,
        requireScenarios: policy['require-scenarios'] ?? defaults.requireScenarios,
        minimumCoverage: policy['minimum-coverage'] ?? defaults.minimumCoverage,
        minimumMutationScore: policy['minimum-mutation-score'] ?? defaults.minimumMutationScore,
      },
      properties: {
        runs: raw.properties?.runs ?? DEFAULT_CONFIG.properties.runs,
        seed: raw.properties?.seed ?? DEFAULT_CONFIG.properties.seed,
        renderings: raw.properties?.renderings ?? DEFAULT_CONFIG.properties.renderings,
      },
    },
    diagnostics,
    // A folder the config names is used even if missing (so a wrong name is reported), unless refused above.
    ...(raw.mappings !== undefined && mappings === raw.mappings ? { named: mappings } : {}),
  };
}
