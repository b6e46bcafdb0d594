/**
 * Network connections (Sysmon 3): spaces select the processes that connect and the kinds of
 * connection (generators/catalog/destinations.ts); an event is identified by its Image and by the
 * direction, remote address class, transport and port of its connection.
 */
import { DESTINATIONS } from '../../../generators/catalog/destinations.js';
import { buildNetworkRecord, connectionOf, describeTaxonomyConnection, identifyDestination } from '../../../generators/network-connection.js';
import { createActorActivity, readField } from './record-activity.js';
import { createCatalogue } from './selection.js';

/** Network connections: processes and destinations. */
export const NETWORK_CONNECTION = createActorActivity({
  name: 'network_connection',
  title: 'network connection',
  categories: ['network_connection'],
  objectKey: 'destinations',
  objectLabel: 'destination',
  entries: DESTINATIONS,
  keyFields: ['Initiated', 'Protocol', 'SourceIp', 'DestinationIp', 'DestinationHostname', 'DestinationPort'],
  objects: {
    catalogue: createCatalogue('destination', 'generators/catalog/destinations.ts', DESTINATIONS),
    valueOf: connectionOf,
    identify(record) {
      const destinationIp = readField(record, 'DestinationIp');
      const sourceIp = readField(record, 'SourceIp');
      const port = Number(readField(record, 'DestinationPort'));
      if (destinationIp === undefined || sourceIp === undefined || !Number.isInteger(port)) return undefined;
      const initiated = readField(record, 'Initiated')?.toLowerCase() !== 'false';
      const protocol = readField(record, 'Protocol')?.toLowerCase() === 'udp' ? 'udp' : 'tcp';
      const entry = identifyDestination({ initiated, protocol, sourceIp, destinationIp, destinationPort: port });
      return { identity: entry?.name ?? `${initiated ? 'outbound' : 'inbound'} ${protocol}/${port} (not in the catalogue)` };
    },
  },
  buildRecord: (actor, connection) => buildNetworkRecord({ actor, connection }),
  fromTaxonomy: (fields, index) => buildNetworkRecord(describeTaxonomyConnection(fields, index)),
});
