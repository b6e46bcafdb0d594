/**
 * Security logons (events 4624 and 4625): spaces select kinds of logon (generators/catalog/logons.ts);
 * an event is identified by its event id, logon type, client address and authentication package.
 * Each logon is rendered as the current event version (4624 version 2) and as version 0 (Server 2008,
 * Windows 7), the versions a fleet still mixes.
 */
import fc from 'fast-check';
import { LOGONS } from '../../../generators/catalog/logons.js';
import { buildLogonRecord, describeTaxonomyLogon, identifyLogon, logonOf, type Logon } from '../../../generators/logon.js';
import { convertRecordFlat, renderRecord, type RecordShape } from '../../../generators/render/record-renderings.js';
import type { Activity, ActivityEvent, ScenarioEvent } from './activity.js';
import { readField } from './record-activity.js';
import { createCatalogue } from './selection.js';

const FORMATS: Readonly<Record<string, { shape: RecordShape; version: 0 | 2 }>> = {
  'security-xml': { shape: 'xml', version: 2 },
  'security-v0-xml': { shape: 'xml', version: 0 },
  'security-evtx-json': { shape: 'evtx-json', version: 2 },
  'winlogbeat-json': { shape: 'winlogbeat-json', version: 2 },
  'flat-json': { shape: 'flat-json', version: 2 },
};

function describeLogonEvent(logon: Logon): ActivityEvent {
  let fields: Readonly<Record<string, string | number>> | undefined;
  return {
    get fields() {
      return (fields ??= convertRecordFlat(buildLogonRecord(logon, 2)));
    },
    render(format) {
      const chosen = FORMATS[format];
      if (chosen === undefined) throw new Error(`no format ${format} (formats: ${Object.keys(FORMATS).join(', ')})`);
      return { format, extension: chosen.shape === 'xml' ? '.xml' : '.json', text: renderRecord(buildLogonRecord(logon, chosen.version), chosen.shape) };
    },
  };
}

const CATALOGUE = createCatalogue('logon', 'generators/catalog/logons.ts', LOGONS);

/** Security logons: the logons alone. */
export const LOGON: Activity = {
  name: 'logon',
  title: 'logon',
  categories: [],
  services: ['security'],
  dimensions: [{ key: 'logons', label: 'logon', catalogue: CATALOGUE }],
  backgroundDimensions: 1,
  formats: Object.keys(FORMATS),
  keyFields: ['EventID', 'LogonType', 'IpAddress', 'AuthenticationPackageName', 'TargetUserName', 'ProcessName'],
  sample(selections, shape) {
    const logons = selections.logons;
    if (logons === undefined) throw new Error('logon spaces need logons');
    const chosen = LOGONS.filter((entry) => logons.ids.has(entry.name));
    const event = fc.oneof({ withCrossShrink: true }, ...chosen.map((entry) => logonOf(entry).map((logon): ScenarioEvent => ({ event: describeLogonEvent(logon), identities: [entry.name] }))));
    return fc.array(event, { minLength: 1, maxLength: shape.maxEvents ?? 3 }).map((events) => ({ events }));
  },
  fromTaxonomy: (fields, index) => describeLogonEvent(describeTaxonomyLogon(fields, index)),
  createIdentifier() {
    return (record) => {
      const eventId = Number(readField(record, 'EventID') ?? record.eventId);
      const logonType = Number(readField(record, 'LogonType'));
      if ((eventId !== 4624 && eventId !== 4625) || !Number.isInteger(logonType)) return undefined;
      const ipAddress = readField(record, 'IpAddress') ?? '-';
      const authenticationPackage = readField(record, 'AuthenticationPackageName') ?? '';
      const entry = identifyLogon({ eventId, logonType, ipAddress, authenticationPackage });
      return [{ identity: entry?.name ?? `${eventId} type ${logonType} from ${ipAddress} (not in the catalogue)` }];
    };
  },
};
