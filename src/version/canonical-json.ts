import { createHash } from 'node:crypto';

/**
 * Writes a value as canonical JSON: object keys sorted by UTF-16 code units and no whitespace, the
 * way RFC 8785 (JSON Canonicalization Scheme) orders and prints them, so two YAML texts that differ
 * only in key order, quoting, comments or layout give the same string. List order is kept: a YAML
 * sequence is ordered, and this form records what the author wrote; whether two texts *behave* the
 * same is judged by replaying events (`dac diff`), not by normalising lists here.
 * YAML's core schema can produce `.nan` and `.inf`, which JSON cannot spell; they are written as the
 * bare tokens `NaN`, `Infinity` and `-Infinity` so they stay distinct from `null`.
 */
export function formatCanonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : String(value);
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      // Functions and symbols cannot come out of YAML; seeing one is a programmer error.
      throw new TypeError(`formatCanonicalJson: cannot encode a ${typeof value}`);
  }
  if (Array.isArray(value)) return `[${value.map((item) => formatCanonicalJson(item)).join(',')}]`;
  const record = value as Record<string, unknown>;
  // Default sort compares UTF-16 code units, which is the order RFC 8785 section 3.2.3 prescribes.
  const keys = Object.keys(record).sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${formatCanonicalJson(record[key])}`).join(',')}}`;
}

/** Hashes a text with SHA-256 and returns the `sha256:<hex>` form the lock file stores. */
export function hashText(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}
