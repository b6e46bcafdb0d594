/**
 * Query target profiles: for each SIEM a query is written for, the table or sourcetype it starts from
 * and how it names the taxonomy fields (targets/*.yml, checked against schemas/target.schema.json).
 * The SQL targets need no file: they read events in the taxonomy's own field names.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listYamlFileNames } from '../files/list-yaml-names.js';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { compileSchemaFile, schemaDiagnostics } from '../load/json-schema.js';
import { loadYamlFile } from '../load/yaml.js';
import type { LogSource } from '../model/rule.js';

/** The query languages `dac convert --target` writes. */
export const TARGET_NAMES = ['sql', 'spark', 'kql', 'spl', 'esql'] as const;

/** One of TARGET_NAMES. */
export type TargetName = (typeof TARGET_NAMES)[number];

/** True when a string names a target. */
export function isTargetName(name: string): name is TargetName {
  return (TARGET_NAMES as readonly string[]).includes(name);
}

/** How a profile reaches a taxonomy field: its name there, or why the source never has it. */
export type FieldResolution = { readonly name: string } | { readonly unavailable: string } | undefined;

/** A log source a profile serves: where its query starts and how it names fields. */
export interface ProfileSource {
  readonly logsource: LogSource;
  readonly query: string;
  resolveField(field: string): FieldResolution;
}

/** A target profile: a target language and the data it is written against. */
export interface TargetProfile {
  readonly target: TargetName;
  readonly profile: string;
  readonly title: string;
  /** The file it was read from, for diagnostics (undefined for built-in profiles). */
  readonly file?: string;
  /** The source serving a rule's log source, or undefined when the profile has none. */
  findSource(logsource: LogSource): ProfileSource | undefined;
}

/** The repository's targets/ folder. */
export const DEFAULT_TARGETS_DIR = fileURLToPath(new URL('../../targets/', import.meta.url));

const normalize = (value: string | undefined): string | undefined => value?.trim().toLowerCase() || undefined;

/** True when an entry serves a rule's log source: category and service equal, a product it names the rule's. */
export function servesLogSource(entry: LogSource, rule: LogSource): boolean {
  return (
    normalize(entry.category) === normalize(rule.category) &&
    normalize(entry.service) === normalize(rule.service) &&
    (normalize(entry.product) === undefined || normalize(entry.product) === normalize(rule.product))
  );
}

/** A profile over events in taxonomy field names (the SQL targets): any log source, identity names. */
function createTaxonomyProfile(target: TargetName, profile: string, title: string): TargetProfile {
  return {
    target,
    profile,
    title,
    findSource: (logsource) => ({ logsource, query: 'events', resolveField: (field) => ({ name: field }) }),
  };
}

/** The built-in SQL profiles. */
export const SQL_PROFILES: readonly TargetProfile[] = [
  createTaxonomyProfile('sql', 'duckdb', 'DuckDB SQL over events in taxonomy field names (NDJSON or Parquet)'),
  createTaxonomyProfile('spark', 'spark', 'Spark SQL over a table of events in taxonomy field names'),
];

interface RawProfile {
  readonly target: TargetName;
  readonly profile: string;
  readonly title: string;
  readonly logsources: readonly {
    readonly logsource: LogSource;
    readonly query: string;
    readonly fields: Readonly<Record<string, string>>;
    readonly unavailable?: readonly { readonly field: string; readonly reason: string }[];
  }[];
}

function compileProfile(raw: RawProfile, file: string): TargetProfile {
  const sources: ProfileSource[] = raw.logsources.map((entry) => {
    const fields = new Map(Object.entries(entry.fields));
    const unavailable = new Map((entry.unavailable ?? []).map((u) => [u.field, u.reason]));
    return {
      logsource: { ...entry.logsource },
      query: entry.query,
      resolveField: (field) => {
        const name = fields.get(field);
        if (name !== undefined) return { name };
        const reason = unavailable.get(field);
        return reason === undefined ? undefined : { unavailable: reason };
      },
    };
  });
  return {
    target: raw.target,
    profile: raw.profile,
    title: raw.title,
    file,
    findSource: (logsource) => sources.find((source) => servesLogSource(source.logsource, logsource)),
  };
}

/** Loads the built-in SQL profiles and every profile file of a folder; bad files are diagnostics. */
export async function loadTargetProfiles(dir: string = DEFAULT_TARGETS_DIR): Promise<{ profiles: TargetProfile[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const profiles: TargetProfile[] = [...SQL_PROFILES];
  const listed = await listYamlFileNames(dir);
  if ('reason' in listed) {
    diagnostics.push(createDiagnostic(dir, { line: 1, column: 1 }, 'target/unreadable-dir', 'error', `cannot read the targets folder: ${listed.reason}`));
    return { profiles, diagnostics };
  }
  const { names } = listed;
  const validate = compileSchemaFile('target.schema.json');
  for (const name of names) {
    const path = join(dir, name);
    const loaded = await loadYamlFile(path);
    diagnostics.push(...loaded.diagnostics);
    for (const document of loaded.documents) {
      if (!validate(document.value)) {
        diagnostics.push(...schemaDiagnostics(validate.errors ?? [], document, path));
        continue;
      }
      const raw = document.value as RawProfile;
      if (profiles.some((p) => p.target === raw.target && p.profile === raw.profile)) {
        diagnostics.push(createDiagnostic(path, document.locate(['profile']), 'target/duplicate-profile', 'error', `profile '${raw.profile}' of target ${raw.target} is defined twice; this one is ignored`));
        continue;
      }
      profiles.push(compileProfile(raw, path));
    }
  }
  return { profiles, diagnostics };
}
