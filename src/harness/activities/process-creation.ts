/**
 * Process creations (Sysmon 1, Security 4688): spaces select parents and children, and generate whole
 * process trees; each creation is identified by its parent's and its own identity. Rendered in 8
 * formats (Sysmon XML, Security 4688 XML versions 2, 1 and 0, evtx_dump JSON of both, Winlogbeat ECS,
 * flat JSON).
 */
import type { FieldValue } from '../../compile/event-record.js';
import { describeTaxonomyCreation } from '../../../generators/process-tree.js';
import { RENDERING_FORMATS } from '../../../generators/render/renderings.js';
import { createIdentifier } from '../identify-process.js';
import { describeCreationEvent, processScenarioTree, sampleOfTree } from '../scenario-trees.js';
import type { Activity } from './activity.js';
import { PROCESS_CATALOGUE } from './selection.js';

const text = (value: FieldValue | undefined): string | undefined => {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : typeof first === 'number' ? String(first) : undefined;
};

/** Process creations: trees of parents and children. */
export const PROCESS_CREATION: Activity = {
  name: 'process_creation',
  title: 'process creation',
  categories: ['process_creation'],
  dimensions: [
    { key: 'parents', label: 'parent', catalogue: PROCESS_CATALOGUE },
    { key: 'children', label: 'process', catalogue: PROCESS_CATALOGUE },
  ],
  backgroundDimensions: 1,
  formats: RENDERING_FORMATS,
  keyFields: ['ParentImage', 'Image', 'OriginalFileName', 'CommandLine', 'ParentCommandLine', 'User'],
  sample: (selections, shape) => processScenarioTree(selections, shape).map(sampleOfTree),
  fromTaxonomy: (fields, index) => describeCreationEvent(describeTaxonomyCreation(fields, index)),
  createIdentifier(variants) {
    const identify = createIdentifier(variants);
    // Every event of the log source is a process creation: one without an image is unknown, never dropped.
    return (record) => {
      const image = text(record.get('Image'));
      const user = text(record.get('User'));
      const process = identify({
        image,
        commandLine: text(record.get('CommandLine')),
        accounts: [user],
        originalFileName: text(record.get('OriginalFileName')),
        hashes: text(record.get('Hashes')),
      });
      // A process inherits its parent's account, so the child's User can name the parent's application pool.
      const parent = identify({ image: text(record.get('ParentImage')), commandLine: text(record.get('ParentCommandLine')), accounts: [text(record.get('ParentUser')), user] });
      return [parent, process];
    };
  },
};
