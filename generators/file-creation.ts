import fc from 'fast-check';
import { FILES, type FileEntry } from './catalog/files.js';
import { pathVariant } from './paths.js';
import { formatUtcTime } from './process-tree.js';
import { ACTION_DELAY_MS, createSysmonRecord, describeActorItems, describeTaxonomyActor, type Actor } from './sysmon-events.js';
import { readText, type TaxonomyFields } from './taxonomy.js';
import type { WindowsEventRecord } from './render/windows-event.js';

/**
 * File creations as Sysmon event 11 records them: which process created (or overwrote) which file.
 * Paths keep their long names; their case varies as the writing program spelled them.
 */

/** A file created by a process, with the creation time Sysmon reports (offset from the event). */
export interface FileCreation {
  readonly actor: Actor;
  readonly targetFilename: string;
}

/** Generated paths of one file entry: a folder, optional sub-folders, a name and an extension. */
export function fileOf(entry: FileEntry): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...entry.folders), fc.constantFrom(...entry.subfolders), fc.constantFrom(...entry.baseNames), fc.constantFrom(...entry.extensions))
    .chain(([folder, subfolder, base, extension]) => {
      const path = `${folder}${subfolder === '' ? '' : `\\${subfolder}`}\\${base}${extension}`;
      return pathVariant(path, { shortNames: false, prefixes: false });
    });
}

/** The Sysmon event 11 record (version 2) of a file creation. */
export function buildFileRecord({ actor, targetFilename }: FileCreation): WindowsEventRecord {
  return createSysmonRecord(11, 2, actor, ACTION_DELAY_MS, [
    ...describeActorItems(actor),
    { name: 'TargetFilename', type: 'string', value: targetFilename },
    { name: 'CreationUtcTime', type: 'string', value: formatUtcTime(actor.startMs + ACTION_DELAY_MS) },
    { name: 'User', type: 'string', value: actor.user },
  ]);
}

/** A file creation from Sigma taxonomy fields: TargetFilename is required. */
export function describeTaxonomyFileCreation(fields: TaxonomyFields, index: number): FileCreation {
  const targetFilename = readText(fields, 'TargetFilename');
  if (targetFilename === undefined) throw new Error('a file creation needs a TargetFilename');
  return { actor: describeTaxonomyActor(fields, index), targetFilename };
}

/** The catalogue entry of a path (the inverse of `fileOf`): the first whose pattern holds, or undefined. */
export function identifyFile(targetFilename: string): FileEntry | undefined {
  const path = targetFilename.toLowerCase().replace(/^\\\\\?\\/, '');
  return FILES.find((entry) => entry.pattern.test(path));
}
