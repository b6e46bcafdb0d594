import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { MODULES, type ModuleEntry } from './catalog/modules.js';
import { extractFileName, pathVariant } from './paths.js';
import { ACTION_DELAY_MS, createSysmonRecord, describeActorItems, describeTaxonomyActor, type Actor } from './sysmon-events.js';
import { readText, type TaxonomyFields } from './taxonomy.js';
import type { WindowsEventRecord } from './render/windows-event.js';

/**
 * Image loads as Sysmon event 7 records them: the module's path, its version resource, hashes and
 * signature next to the process that loaded it. A renamed copy keeps its original's version resource,
 * hashes and signature.
 */

/** The module part of an image load. */
export interface LoadedModule {
  readonly imageLoaded: string;
  readonly fileVersion: string;
  readonly description: string;
  readonly product: string;
  readonly company: string;
  readonly originalFileName: string;
  readonly hashes: string;
  readonly signed: boolean;
  readonly signature: string;
  readonly signatureStatus: string;
}

/** A module loaded by a process. */
export interface ImageLoad {
  readonly actor: Actor;
  readonly module: LoadedModule;
}

const findModule = (name: string): ModuleEntry | undefined => MODULES.find((entry) => entry.name === name.toLowerCase());

/** The Hashes of a module's file: a stand-in digest of its original's first path, as for programs. */
export function describeModuleHashes(entry: ModuleEntry): string {
  const original = entry.renamedFrom === undefined ? entry : findModule(entry.renamedFrom) ?? entry;
  const file = (original.paths[0] ?? original.name).toLowerCase();
  const digest = (algorithm: string, salt: string) => createHash(algorithm).update(`${salt}${file}`).digest('hex').toUpperCase();
  return `MD5=${digest('md5', '')},SHA256=${digest('sha256', '')},IMPHASH=${digest('md5', 'imphash:')}`;
}

/** The module of an entry loaded from one of its paths (spelled in any case). */
export function moduleOf(entry: ModuleEntry): fc.Arbitrary<LoadedModule> {
  return fc
    .constantFrom(...entry.paths)
    .chain((path) => pathVariant(path, { shortNames: false, prefixes: false }))
    .map((imageLoaded) => ({
      imageLoaded,
      fileVersion: entry.pe.fileVersion ?? '-',
      description: entry.pe.description,
      product: entry.pe.product,
      company: entry.pe.company,
      originalFileName: entry.pe.originalFileName,
      hashes: describeModuleHashes(entry),
      signed: entry.signed,
      signature: entry.signed ? entry.pe.signer ?? '-' : '-',
      signatureStatus: entry.signed ? 'Valid' : 'Unavailable',
    }));
}

/** The Sysmon event 7 record (version 3) of an image load. */
export function buildImageLoadRecord({ actor, module }: ImageLoad): WindowsEventRecord {
  return createSysmonRecord(7, 3, actor, ACTION_DELAY_MS, [
    ...describeActorItems(actor),
    { name: 'ImageLoaded', type: 'string', value: module.imageLoaded },
    { name: 'FileVersion', type: 'string', value: module.fileVersion },
    { name: 'Description', type: 'string', value: module.description },
    { name: 'Product', type: 'string', value: module.product },
    { name: 'Company', type: 'string', value: module.company },
    { name: 'OriginalFileName', type: 'string', value: module.originalFileName },
    { name: 'Hashes', type: 'string', value: module.hashes },
    { name: 'Signed', type: 'string', value: String(module.signed) },
    { name: 'Signature', type: 'string', value: module.signature },
    { name: 'SignatureStatus', type: 'string', value: module.signatureStatus },
    { name: 'User', type: 'string', value: actor.user },
  ]);
}

/**
 * An image load from Sigma taxonomy fields: ImageLoaded is required; the version resource, hashes and
 * signature of a catalogue module named by ImageLoaded fill what the fields leave out.
 */
export function describeTaxonomyImageLoad(fields: TaxonomyFields, index: number): ImageLoad {
  const imageLoaded = readText(fields, 'ImageLoaded');
  if (imageLoaded === undefined) throw new Error('an image load needs an ImageLoaded');
  const entry = findModule(extractFileName(imageLoaded));
  const text = (name: string, fallback: string): string => readText(fields, name) ?? fallback;
  const signed = (readText(fields, 'Signed') ?? String(entry?.signed ?? false)).toLowerCase() === 'true';
  return {
    actor: describeTaxonomyActor(fields, index),
    module: {
      imageLoaded,
      fileVersion: text('FileVersion', entry?.pe.fileVersion ?? '-'),
      description: text('Description', entry?.pe.description ?? '-'),
      product: text('Product', entry?.pe.product ?? '-'),
      company: text('Company', entry?.pe.company ?? '-'),
      originalFileName: text('OriginalFileName', entry?.pe.originalFileName ?? '-'),
      hashes: text('Hashes', entry === undefined ? '-' : describeModuleHashes(entry)),
      signed,
      signature: text('Signature', signed ? entry?.pe.signer ?? '-' : '-'),
      signatureStatus: text('SignatureStatus', signed ? 'Valid' : 'Unavailable'),
    },
  };
}

/**
 * The catalogue entry of a loaded module (the inverse of `moduleOf`): by file name; a file the catalogue
 * does not know by name but by OriginalFileName or hashes is its original's renamed copy, when the
 * catalogue has one.
 */
export function identifyModule(module: Pick<LoadedModule, 'imageLoaded' | 'originalFileName' | 'hashes'>): ModuleEntry | undefined {
  const byName = findModule(extractFileName(module.imageLoaded.replace(/\//g, '\\')));
  if (byName !== undefined) return byName;
  const original = MODULES.find(
    (entry) => entry.renamedFrom === undefined && (describeModuleHashes(entry) === module.hashes || entry.pe.originalFileName.toLowerCase() === module.originalFileName.toLowerCase()),
  );
  return original === undefined ? undefined : MODULES.find((entry) => entry.renamedFrom === original.name);
}
