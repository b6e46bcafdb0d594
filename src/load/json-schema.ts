import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { createDiagnostic, type Diagnostic } from '../diagnostics/diagnostic.js';
import type { YamlDocument } from './yaml.js';

/** The repository's schemas/ folder, found from this module so it works from any working directory. */
export const SCHEMA_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));

const compiled = new Map<string, ValidateFunction>();
let ajv: Ajv2020 | undefined;

/** Compiles a schema of schemas/ once (ajv strict mode, all errors) and returns its validator. */
export function compileSchemaFile(name: string): ValidateFunction {
  const known = compiled.get(name);
  if (known) return known;
  ajv ??= addFormats.default(new Ajv2020({ strict: true, allErrors: true }));
  const schema = JSON.parse(readFileSync(new URL(name, `file://${SCHEMA_DIR}`), 'utf8')) as object;
  const validate = ajv.compile(schema);
  compiled.set(name, validate);
  return validate;
}

/** Splits an ajv instance path (`/events/0/file`) into YAML path segments. */
export function splitInstancePath(instancePath: string): (string | number)[] {
  if (instancePath === '') return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((segment) => (/^\d+$/.test(segment) ? Number(segment) : segment));
}

function describe(error: ErrorObject): { path: (string | number)[]; message: string; atKey: boolean } {
  const path = splitInstancePath(error.instancePath);
  const where = path.length ? `'${path.join('.')}'` : 'the document';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return { path, message: `${where} needs '${String(params.missingProperty)}'`, atKey: path.length > 0 };
    case 'additionalProperties':
      return {
        path: [...path, String(params.additionalProperty)],
        message: `'${String(params.additionalProperty)}' is not allowed in ${where}`,
        atKey: true,
      };
    case 'enum':
      return { path, message: `${where} must be one of: ${(params.allowedValues as unknown[]).join(', ')}`, atKey: false };
    default:
      return { path, message: `${where} ${error.message ?? 'is invalid'}`, atKey: false };
  }
}

/**
 * Turns ajv errors into diagnostics on the offending lines, keeping one per place and keyword so a
 * single mistake does not cascade through `oneOf` branches.
 */
export function schemaDiagnostics(errors: readonly ErrorObject[], document: YamlDocument, file: string): Diagnostic[] {
  const seen = new Set<string>();
  const diagnostics: Diagnostic[] = [];
  for (const error of errors) {
    if (error.keyword === 'if' || error.keyword === 'oneOf' || error.keyword === 'anyOf') continue;
    const { path, message, atKey } = describe(error);
    const key = `${error.instancePath}\u0000${error.keyword}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const position = atKey ? document.locateKey(path) : document.locate(path);
    diagnostics.push(createDiagnostic(file, position, `schema/${error.keyword}`, 'error', message));
  }
  return diagnostics;
}
