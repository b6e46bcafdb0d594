/**
 * PowerShell script blocks (event 4104): spaces select kinds of script (generators/catalog/script-blocks.ts);
 * an event is identified by its ScriptBlockText alone, since 4104 does not say which program hosted
 * PowerShell.
 */
import fc from 'fast-check';
import { SCRIPT_BLOCKS } from '../../../generators/catalog/script-blocks.js';
import { buildScriptBlockRecord, describeTaxonomyScriptBlock, identifyScript, scriptBlockOf } from '../../../generators/script-block.js';
import type { Activity, ScenarioEvent } from './activity.js';
import { describeRecordEvent, readField, type FormatShapes } from './record-activity.js';
import { createCatalogue } from './selection.js';

const FORMATS: FormatShapes = {
  'powershell-xml': 'xml',
  'powershell-evtx-json': 'evtx-json',
  'winlogbeat-json': 'winlogbeat-json',
  'flat-json': 'flat-json',
};

const CATALOGUE = createCatalogue('script block', 'generators/catalog/script-blocks.ts', SCRIPT_BLOCKS);

/** Script blocks: the scripts alone. */
export const SCRIPT_BLOCK: Activity = {
  name: 'ps_script',
  title: 'script block',
  categories: ['ps_script'],
  dimensions: [{ key: 'scripts', label: 'script block', catalogue: CATALOGUE }],
  backgroundDimensions: 1,
  formats: Object.keys(FORMATS),
  keyFields: ['ScriptBlockText', 'Path'],
  sample(selections, shape) {
    const scripts = selections.scripts;
    if (scripts === undefined) throw new Error('ps_script spaces need scripts');
    const chosen = SCRIPT_BLOCKS.filter((entry) => scripts.ids.has(entry.name));
    const event = fc.oneof(
      { withCrossShrink: true },
      ...chosen.map((entry) => scriptBlockOf(entry).map((block): ScenarioEvent => ({ event: describeRecordEvent(buildScriptBlockRecord(block), FORMATS), identities: [entry.name] }))),
    );
    return fc.array(event, { minLength: 1, maxLength: shape.maxEvents ?? 3 }).map((events) => ({ events }));
  },
  fromTaxonomy: (fields, index) => describeRecordEvent(buildScriptBlockRecord(describeTaxonomyScriptBlock(fields, index)), FORMATS),
  createIdentifier() {
    return (record) => {
      const text = readField(record, 'ScriptBlockText');
      if (text === undefined) return [{ unknown: 'the event has no ScriptBlockText' }];
      return [{ identity: identifyScript(text)?.name ?? 'a script the catalogue does not know' }];
    };
  },
};
