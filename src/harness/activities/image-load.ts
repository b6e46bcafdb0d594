/**
 * Image loads (Sysmon 7): spaces select the processes and the modules they load
 * (generators/catalog/modules.ts); an event is identified by its Image and by the module's file name,
 * or, for a file renamed, by its OriginalFileName and hashes.
 */
import { MODULES } from '../../../generators/catalog/modules.js';
import { buildImageLoadRecord, describeTaxonomyImageLoad, identifyModule, moduleOf } from '../../../generators/image-load.js';
import { createActorActivity, readField } from './record-activity.js';
import { createCatalogue } from './selection.js';

/** Image loads: processes and modules. */
export const IMAGE_LOAD = createActorActivity({
  name: 'image_load',
  title: 'image load',
  categories: ['image_load'],
  objectKey: 'modules',
  objectLabel: 'module',
  entries: MODULES,
  keyFields: ['ImageLoaded', 'OriginalFileName', 'Signed', 'Signature'],
  objects: {
    catalogue: createCatalogue('module', 'generators/catalog/modules.ts', MODULES),
    valueOf: moduleOf,
    identify(record) {
      const imageLoaded = readField(record, 'ImageLoaded');
      if (imageLoaded === undefined) return undefined;
      const entry = identifyModule({ imageLoaded, originalFileName: readField(record, 'OriginalFileName') ?? '-', hashes: readField(record, 'Hashes') ?? '-' });
      return { identity: entry?.name ?? `${imageLoaded} (not in the catalogue)` };
    },
  },
  buildRecord: (actor, module) => buildImageLoadRecord({ actor, module }),
  fromTaxonomy: (fields, index) => buildImageLoadRecord(describeTaxonomyImageLoad(fields, index)),
});
