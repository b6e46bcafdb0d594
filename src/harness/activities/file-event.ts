/**
 * File creations (Sysmon 11): spaces select the processes that write and the kinds of file
 * (generators/catalog/files.ts); an event is identified by its Image and by where its file lands.
 */
import { FILES } from '../../../generators/catalog/files.js';
import { buildFileRecord, describeTaxonomyFileCreation, fileOf, identifyFile } from '../../../generators/file-creation.js';
import { createActorActivity, readField } from './record-activity.js';
import { createCatalogue } from './selection.js';

/** File creations: processes and files. */
export const FILE_EVENT = createActorActivity({
  name: 'file_event',
  title: 'file creation',
  categories: ['file_event'],
  objectKey: 'files',
  objectLabel: 'file',
  entries: FILES,
  keyFields: ['TargetFilename'],
  objects: {
    catalogue: createCatalogue('file', 'generators/catalog/files.ts', FILES),
    valueOf: fileOf,
    identify(record) {
      const target = readField(record, 'TargetFilename');
      if (target === undefined) return undefined;
      return { identity: identifyFile(target)?.name ?? `${target} (not in the catalogue)` };
    },
  },
  buildRecord: (actor, targetFilename) => buildFileRecord({ actor, targetFilename }),
  fromTaxonomy: (fields, index) => buildFileRecord(describeTaxonomyFileCreation(fields, index)),
});
