/**
 * Every modifier of the Sigma specification v2.1 appendix, by its identifier. The registry is closed:
 * an identifier not listed here is `modifier/unknown`.
 */
import { all } from './all.js';
import { base64 } from './base64.js';
import { base64offset } from './base64offset.js';
import { cased } from './cased.js';
import { cidr } from './cidr.js';
import { contains } from './contains.js';
import { day } from './day.js';
import { endswith } from './endswith.js';
import { exists } from './exists.js';
import { expand } from './expand.js';
import { fieldref } from './fieldref.js';
import { gt } from './gt.js';
import { gte } from './gte.js';
import { hour } from './hour.js';
import { i } from './i.js';
import { lt } from './lt.js';
import { lte } from './lte.js';
import { m } from './m.js';
import { minute } from './minute.js';
import type { ModifierDefinition } from './modifier.js';
import { month } from './month.js';
import { neq } from './neq.js';
import { re } from './re.js';
import { s } from './s.js';
import { startswith } from './startswith.js';
import { utf16 } from './utf16.js';
import { utf16be } from './utf16be.js';
import { utf16le } from './utf16le.js';
import { week } from './week.js';
import { wide } from './wide.js';
import { windash } from './windash.js';
import { year } from './year.js';

/** The modifier registry, keyed by Sigma identifier. */
export const modifierRegistry = {
  all,
  base64,
  base64offset,
  cased,
  cidr,
  contains,
  day,
  endswith,
  exists,
  expand,
  fieldref,
  gt,
  gte,
  hour,
  i,
  lt,
  lte,
  m,
  minute,
  month,
  neq,
  re,
  s,
  startswith,
  utf16,
  utf16be,
  utf16le,
  week,
  wide,
  windash,
  year,
} as const satisfies Readonly<Record<string, ModifierDefinition>>;

/** A Sigma modifier identifier. */
export type ModifierId = keyof typeof modifierRegistry;

// Each module must be registered under its own identifier: this fails to type-check otherwise.
type MisnamedModifiers = { [Id in ModifierId]: (typeof modifierRegistry)[Id]['id'] extends Id ? never : Id }[ModifierId];
const registryKeysAreIds: [MisnamedModifiers] extends [never] ? true : never = true;
void registryKeysAreIds;

/** True when `id` names a modifier of the specification. */
export function isModifierId(id: string): id is ModifierId {
  return Object.hasOwn(modifierRegistry, id);
}
