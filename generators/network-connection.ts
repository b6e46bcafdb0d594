import fc from 'fast-check';
import { DESTINATIONS, type AddressClass, type DestinationEntry } from './catalog/destinations.js';
import { ACTION_DELAY_MS, createSysmonRecord, describeActorItems, describeTaxonomyActor, type Actor } from './sysmon-events.js';
import { readNumber, readText, type TaxonomyFields } from './taxonomy.js';
import type { WindowsEventRecord } from './render/windows-event.js';

/**
 * Network connections as Sysmon event 3 records them: which process, which transport, whether it
 * initiated the connection, and both ends with their addresses, host names and ports. Addresses are
 * drawn per class: public ones from address blocks that are public on the internet (never private,
 * shared, link-local, documentation or multicast space), private ones from RFC 1918 and ULA space.
 */

/** The connection part of a Sysmon event 3: everything but the process. */
export interface Connection {
  readonly protocol: 'tcp' | 'udp';
  readonly initiated: boolean;
  readonly sourceIp: string;
  readonly sourceHostname: string;
  readonly sourcePort: number;
  readonly destinationIp: string;
  readonly destinationHostname: string;
  readonly destinationPort: number;
}

/** A network connection made (or accepted) by a process. */
export interface NetworkConnection {
  readonly actor: Actor;
  readonly connection: Connection;
}

// First octets of blocks that are public on the internet (cloud, CDN and ISP space), so no generated
// address falls into private (10/8, 172.16/12, 192.168/16), shared (100.64/10) or reserved space.
const PUBLIC_FIRST_OCTETS = [8, 13, 20, 23, 31, 34, 40, 45, 52, 62, 77, 91, 104, 139, 142, 151, 162, 185, 193, 212, 216];
const PUBLIC_V6_PREFIXES = ['2606:4700:', '2a00:1450:', '2620:1ec:', '2a03:2880:'];

const octet = fc.integer({ min: 0, max: 255 });
const hostOctet = fc.integer({ min: 1, max: 254 });
const hextet = fc.integer({ min: 0, max: 0xffff }).map((value) => value.toString(16));

const publicIpv4 = fc.tuple(fc.constantFrom(...PUBLIC_FIRST_OCTETS), octet, octet, hostOctet).map((parts) => parts.join('.'));
const publicIpv6 = fc.tuple(fc.constantFrom(...PUBLIC_V6_PREFIXES), hextet, hextet, hextet).map(([prefix, a, b, c]) => `${prefix}${a}::${b}:${c}`);
const privateIpv4 = fc.oneof(
  fc.tuple(octet, octet, hostOctet).map(([a, b, c]) => `10.${a}.${b}.${c}`),
  fc.tuple(fc.integer({ min: 16, max: 31 }), octet, hostOctet).map(([a, b, c]) => `172.${a}.${b}.${c}`),
  fc.tuple(octet, hostOctet).map(([a, b]) => `192.168.${a}.${b}`),
);
const privateIpv6 = fc.tuple(hextet, hextet).map(([a, b]) => `fd12:3456:789a:1::${a}:${b}`);

/** An address of a class, IPv4 mostly; shrinks to IPv4. */
export function addressOf(address: AddressClass): fc.Arbitrary<string> {
  switch (address) {
    case 'loopback':
      return fc.constantFrom('127.0.0.1', '::1');
    case 'private':
      return fc.oneof({ arbitrary: privateIpv4, weight: 4 }, { arbitrary: privateIpv6, weight: 1 });
    case 'public':
      return fc.oneof({ arbitrary: publicIpv4, weight: 4 }, { arbitrary: publicIpv6, weight: 1 });
  }
}

const isIpv6 = (address: string): boolean => address.includes(':');

/** The connection of a destination entry: its ports and addresses, the host's own end, an ephemeral source port. */
export function connectionOf(entry: DestinationEntry): fc.Arbitrary<Connection> {
  const remote = addressOf(entry.address);
  const remoteName = fc.constantFrom('-', ...(entry.hostnames ?? []));
  return fc
    .record({
      remote,
      remoteName,
      port: fc.constantFrom(...entry.ports),
      ephemeral: fc.integer({ min: 49152, max: 65535 }),
      local: entry.publicHost === true ? publicIpv4 : privateIpv4,
      localName: fc.constantFrom('web01.contoso.local', 'WIN-SRV02', '-'),
    })
    .map(({ remote: remoteIp, remoteName: name, port, ephemeral, local, localName }): Connection => {
      // A connection to the loopback leaves from the loopback, in the same family.
      const ownV6 = entry.publicHost === true ? '2a01:4f8:1:2::10' : 'fd12:3456:789a:1::10';
      const here = entry.address === 'loopback' ? remoteIp : isIpv6(remoteIp) ? ownV6 : local;
      if (entry.direction === 'outbound') {
        return { protocol: entry.protocol, initiated: true, sourceIp: here, sourceHostname: localName, sourcePort: ephemeral, destinationIp: remoteIp, destinationHostname: name, destinationPort: port };
      }
      return { protocol: entry.protocol, initiated: false, sourceIp: remoteIp, sourceHostname: name, sourcePort: ephemeral, destinationIp: here, destinationHostname: localName, destinationPort: port };
    });
}

// IANA service names Sysmon prints for well-known ports ('-' for the rest).
const PORT_NAMES: Readonly<Record<number, string>> = { 22: 'ssh', 25: 'smtp', 53: 'domain', 80: 'http', 88: 'kerberos', 389: 'ldap', 443: 'https', 445: 'microsoft-ds', 465: 'urd', 587: 'submission', 636: 'ldaps', 1433: 'ms-sql-s', 3268: 'msft-gc', 3306: 'mysql', 3389: 'ms-wbt-server', 5432: 'postgresql', 5985: 'wsman' };

/** The Sysmon event 3 record (version 5) of a connection. */
export function buildNetworkRecord({ actor, connection }: NetworkConnection): WindowsEventRecord {
  return createSysmonRecord(3, 5, actor, ACTION_DELAY_MS, [
    ...describeActorItems(actor),
    { name: 'User', type: 'string', value: actor.user },
    { name: 'Protocol', type: 'string', value: connection.protocol },
    { name: 'Initiated', type: 'string', value: String(connection.initiated) },
    { name: 'SourceIsIpv6', type: 'string', value: String(isIpv6(connection.sourceIp)) },
    { name: 'SourceIp', type: 'string', value: connection.sourceIp },
    { name: 'SourceHostname', type: 'string', value: connection.sourceHostname },
    { name: 'SourcePort', type: 'uint32', value: connection.sourcePort },
    { name: 'SourcePortName', type: 'string', value: PORT_NAMES[connection.sourcePort] ?? '-' },
    { name: 'DestinationIsIpv6', type: 'string', value: String(isIpv6(connection.destinationIp)) },
    { name: 'DestinationIp', type: 'string', value: connection.destinationIp },
    { name: 'DestinationHostname', type: 'string', value: connection.destinationHostname },
    { name: 'DestinationPort', type: 'uint32', value: connection.destinationPort },
    { name: 'DestinationPortName', type: 'string', value: PORT_NAMES[connection.destinationPort] ?? '-' },
  ]);
}

/** A connection from Sigma taxonomy fields; DestinationIp and DestinationPort are required. */
export function describeTaxonomyConnection(fields: TaxonomyFields, index: number): NetworkConnection {
  const destinationIp = readText(fields, 'DestinationIp');
  const destinationPort = readNumber(fields, 'DestinationPort');
  if (destinationIp === undefined || destinationPort === undefined) throw new Error('a network connection needs DestinationIp and DestinationPort');
  const initiated = readText(fields, 'Initiated')?.toLowerCase() !== 'false';
  return {
    actor: describeTaxonomyActor(fields, index),
    connection: {
      protocol: readText(fields, 'Protocol')?.toLowerCase() === 'udp' ? 'udp' : 'tcp',
      initiated,
      sourceIp: readText(fields, 'SourceIp') ?? (destinationIp === '127.0.0.1' || destinationIp === '::1' ? destinationIp : '10.0.1.20'),
      sourceHostname: readText(fields, 'SourceHostname') ?? '-',
      sourcePort: readNumber(fields, 'SourcePort') ?? 50_000 + index,
      destinationIp,
      destinationHostname: readText(fields, 'DestinationHostname') ?? '-',
      destinationPort,
    },
  };
}

/** The class of an address as the catalogue sorts them: loopback, private (RFC 1918, ULA, link-local) or public. */
export function classifyAddress(address: string): AddressClass {
  // An IPv4 address written IPv4-mapped (::ffff:10.1.2.3) is classed as the IPv4 address.
  const text = address.trim().toLowerCase().replace(/^::ffff:(?=\d+\.)/, '');
  if (text === '::1' || /^127\./.test(text)) return 'loopback';
  if (/^10\./.test(text) || /^192\.168\./.test(text) || /^172\.(1[6-9]|2\d|3[01])\./.test(text) || /^169\.254\./.test(text)) return 'private';
  if (/^f[cd][0-9a-f]{2}:/.test(text) || /^fe[89ab][0-9a-f]:/.test(text)) return 'private';
  return 'public';
}

/**
 * The destination entry a connection is of (the inverse of `connectionOf`): by direction, the remote
 * end's class, transport and port; undefined when the catalogue has no such kind.
 */
export function identifyDestination(connection: Pick<Connection, 'initiated' | 'protocol' | 'sourceIp' | 'destinationIp' | 'destinationPort'>): DestinationEntry | undefined {
  const direction = connection.initiated ? 'outbound' : 'inbound';
  const remote = classifyAddress(connection.initiated ? connection.destinationIp : connection.sourceIp);
  const local = classifyAddress(connection.initiated ? connection.sourceIp : connection.destinationIp);
  return DESTINATIONS.find(
    (entry) =>
      entry.direction === direction &&
      entry.address === remote &&
      entry.protocol === connection.protocol &&
      entry.ports.includes(connection.destinationPort) &&
      (entry.direction === 'outbound' || (entry.publicHost === true) === (local === 'public')),
  );
}
