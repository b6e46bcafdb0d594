import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listYamlFileNames } from '../files/list-yaml-names.js';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { compileSchemaFile, schemaDiagnostics } from '../load/json-schema.js';
import { loadYamlFile, type YamlDocument } from '../load/yaml.js';
import { describeLogSource } from './resolve-log-source.js';
import { compileSourceBinding, type LogSource, type Mapping, type MappingEntry, type RawSource } from './mapping.js';

/** The repository's mappings/ folder, found from this module so it works from any working directory. */
export const DEFAULT_MAPPINGS_DIR = fileURLToPath(new URL('../../mappings/', import.meta.url));

const MAPPING_SCHEMA = 'mapping.schema.json';

interface RawMappingFile {
  readonly logsources: readonly { readonly logsource: LogSource; readonly sources: readonly RawSource[] }[];
}

/** Compiles one schema-valid mapping document; reports a source id listed twice for one log source. */
function compileDocument(raw: RawMappingFile, document: YamlDocument, file: string, diagnostics: Diagnostic[]): MappingEntry[] {
  return raw.logsources.map((entry, entryIndex) => {
    const logsource: LogSource = { ...entry.logsource };
    const seen = new Set<string>();
    const sources = entry.sources.flatMap((source, sourceIndex) => {
      if (seen.has(source.id)) {
        diagnostics.push(createDiagnostic(file, document.locate(['logsources', entryIndex, 'sources', sourceIndex, 'id']),
          'mapping/duplicate-source', 'error',
          `source '${source.id}' is listed twice for ${describeLogSource(logsource)}; the second is ignored`));
        return [];
      }
      seen.add(source.id);
      return [compileSourceBinding(source, logsource, file)];
    });
    return { logsource, sources, file };
  });
}

/**
 * Loads every mapping file in a folder, with diagnostics for bad ones (schema-checked with ajv, compiled once).
 * Reads `*.yml` and `*.yaml` in name order; a file or document that does not validate is left out and
 * the others still load. Entries of several files for the same log source add up, in file order.
 */
export async function loadMappings(dir: string): Promise<{ mappings: Mapping; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  const entries: MappingEntry[] = [];
  const listed = await listYamlFileNames(dir);
  if ('reason' in listed) {
    diagnostics.push(createDiagnostic(dir, { line: 1, column: 1 }, 'mapping/unreadable-dir', 'error', `cannot read the mappings folder: ${listed.reason}`));
    return { mappings: { entries }, diagnostics };
  }
  const { names } = listed;
  const validate = compileSchemaFile(MAPPING_SCHEMA);
  for (const name of names) {
    const path = join(dir, name);
    const loaded = await loadYamlFile(path);
    diagnostics.push(...loaded.diagnostics);
    for (const document of loaded.documents) {
      if (!validate(document.value)) {
        diagnostics.push(...schemaDiagnostics(validate.errors ?? [], document, path));
        continue;
      }
      entries.push(...compileDocument(document.value as RawMappingFile, document, path, diagnostics));
    }
  }
  return { mappings: { entries }, diagnostics };
}
