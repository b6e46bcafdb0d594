/**
 * Placeholder values for the `expand` modifier, read from config/placeholders.yml (a mapping of
 * placeholder names to lists of Sigma strings).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import { parseYaml } from '../load/yaml.js';
import type { PlaceholderValues } from './compile-value.js';

/** The placeholder file shipped with the repository. */
export const DEFAULT_PLACEHOLDERS_PATH = fileURLToPath(new URL('../../config/placeholders.yml', import.meta.url));

/** Reads placeholder values from YAML text; malformed entries become diagnostics and are left out. */
export function parsePlaceholders(text: string, file: string): { placeholders: PlaceholderValues; diagnostics: Diagnostic[] } {
  const parsed = parseYaml(text, file);
  const diagnostics = [...parsed.diagnostics];
  const placeholders = new Map<string, readonly string[]>();
  const document = parsed.documents[0];
  if (!document) return { placeholders, diagnostics };
  const value = document.value;
  if (value === null || value === undefined) return { placeholders, diagnostics };
  if (typeof value !== 'object' || Array.isArray(value)) {
    diagnostics.push(createDiagnostic(file, document.locate([]), 'placeholders/invalid', 'error', 'the placeholder file must map names to lists of values'));
    return { placeholders, diagnostics };
  }
  for (const [name, values] of Object.entries(value)) {
    const list = Array.isArray(values) ? values : [values];
    if (!/^\w+$/.test(name) || !list.every((item) => typeof item === 'string' || typeof item === 'number')) {
      diagnostics.push(createDiagnostic(file, document.locateKey([name]), 'placeholders/invalid', 'error',
        `placeholder '${name}' must be a word mapped to a list of strings`));
      continue;
    }
    placeholders.set(name, list.map(String));
  }
  return { placeholders, diagnostics };
}

/** Reads a placeholder file; a missing or unreadable file is a diagnostic and yields no placeholders. */
export function loadPlaceholders(path: string = DEFAULT_PLACEHOLDERS_PATH): { placeholders: PlaceholderValues; diagnostics: Diagnostic[] } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      placeholders: new Map(),
      diagnostics: [createDiagnostic(path, { line: 1, column: 1 }, 'placeholders/unreadable', 'error', `cannot read placeholders: ${reason}`)],
    };
  }
  return parsePlaceholders(text, path);
}

let defaults: PlaceholderValues | undefined;

/** The repository's placeholder values, read once. */
export function getDefaultPlaceholders(): PlaceholderValues {
  defaults ??= loadPlaceholders().placeholders;
  return defaults;
}
