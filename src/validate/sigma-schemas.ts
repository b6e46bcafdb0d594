import { readFileSync } from 'node:fs';
import Ajv2020Module, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import type { SigmaDocumentKind } from '../model/rule.js';

// ajv and ajv-formats are CommonJS modules whose default export sits on `.default` under NodeNext.
const Ajv2020 = Ajv2020Module.default;
const addFormats = addFormatsModule.default;

/** The schema file of each kind of Sigma document, under the repository's schemas/ folder. */
export const SCHEMA_FILES: Readonly<Record<SigmaDocumentKind, string>> = {
  detection: 'sigma-detection-rule.schema.json',
  correlation: 'sigma-correlation-rule.schema.json',
  filter: 'sigma-filter.schema.json',
};

/** Where the schemas live: the repository's schemas/ folder. */
export const SCHEMA_DIRECTORY = new URL('../../schemas/', import.meta.url);

/**
 * The annotation keyword our schemas use to say, in words, what a value must be ("a date written YYYY-MM-DD").
 * Messages read it from the failing schema; editors ignore it.
 */
export const MESSAGE_KEYWORD = 'x-message';

/** Reads one of the repository's JSON schemas. */
export function readSchema(kind: SigmaDocumentKind): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(SCHEMA_FILES[kind], SCHEMA_DIRECTORY), 'utf8')) as Record<string, unknown>;
}

let validators: Readonly<Record<SigmaDocumentKind, ValidateFunction>> | undefined;

/**
 * The compiled validator of each kind of document. All schemas are compiled once, on first use, by one ajv
 * instance (draft 2020-12, strict, allErrors, verbose so errors carry their schema for messages).
 */
export function getSchemaValidators(): Readonly<Record<SigmaDocumentKind, ValidateFunction>> {
  if (validators) return validators;
  const ajv = new Ajv2020({
    strict: true,
    // `anyOf: [{required: [category]}, ...]` names properties declared by the parent schema; strictRequired
    // only looks at the branch itself and would reject this standard idiom.
    strictRequired: false,
    allowUnionTypes: true,
    allErrors: true,
    verbose: true,
  });
  addFormats(ajv, ['date', 'uuid']);
  ajv.addKeyword({ keyword: MESSAGE_KEYWORD, schemaType: 'string' });
  validators = {
    detection: ajv.compile(readSchema('detection')),
    correlation: ajv.compile(readSchema('correlation')),
    filter: ajv.compile(readSchema('filter')),
  };
  return validators;
}
