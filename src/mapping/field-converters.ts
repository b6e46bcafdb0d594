import type { FieldValue } from '../compile/event-record.js';

/** Turns a source field's value into the Sigma field's value; undefined when there is none. */
export type FieldConverter = (value: FieldValue) => FieldValue | undefined;

const HEX = /^0x[0-9a-f]+$/i;

/**
 * `0x2bc` → `700`: Security events write process ids in hex (NewProcessId, ProcessId), Sysmon and the
 * Sigma taxonomy in decimal. Decimal text and numbers pass as decimal text; anything else unchanged.
 */
export function convertHexToDecimal(value: FieldValue): FieldValue | undefined {
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value;
  if (typeof value !== 'string') return value;
  const text = value.trim();
  if (HEX.test(text)) return BigInt(text).toString(10);
  return value;
}

/**
 * Mandatory integrity level SIDs (S-1-16-*, Microsoft "Mandatory Integrity Control") and the names
 * Sysmon writes in IntegrityLevel.
 */
const INTEGRITY_LEVELS: ReadonlyMap<string, string> = new Map([
  ['S-1-16-4096', 'Low'],
  ['S-1-16-8192', 'Medium'],
  ['S-1-16-12288', 'High'],
  ['S-1-16-16384', 'System'],
]);

/**
 * `S-1-16-12288` → `['High', 'S-1-16-12288']`: 4688's MandatoryLabel holds a SID where Sysmon writes a
 * name. Both forms are kept as a list (a list value matches when any element does) because SigmaHQ
 * rules written for both sources list either form (`IntegrityLevel: ['High', 'S-1-16-12288']`). A SID
 * without a known name stays as it is.
 */
export function convertIntegrityLevel(value: FieldValue): FieldValue | undefined {
  if (typeof value !== 'string') return value;
  const name = INTEGRITY_LEVELS.get(value.trim().toUpperCase());
  return name === undefined ? value : [name, value];
}

/** The value conversions a mapping file may name (`convert:`), by their schema identifiers. */
export const FIELD_CONVERTERS = {
  'hex-to-decimal': convertHexToDecimal,
  'integrity-level': convertIntegrityLevel,
} as const satisfies Record<string, FieldConverter>;

/** A conversion's name as mapping files write it. */
export type FieldConverterName = keyof typeof FIELD_CONVERTERS;
