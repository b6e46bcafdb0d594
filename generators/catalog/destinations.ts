/**
 * Where processes connect (network_connection scenarios, Sysmon event 3): kinds of connection by
 * direction, address class, transport and port, so a scenario spec can say "a web server connecting out
 * to an LDAP server on the internet" without naming addresses. Entries never share a (direction,
 * address class, protocol, port): an event's destination tells its entry.
 */

/** Where an address lies: the loopback, a private network (RFC 1918, ULA), or the internet. */
export type AddressClass = 'loopback' | 'private' | 'public';

/** One kind of connection. */
export interface DestinationEntry {
  /** The unique key scenario specs select by. */
  readonly name: string;
  readonly roles: readonly string[];
  /** Outbound (the process connected: Initiated true) or inbound (it accepted: Initiated false). */
  readonly direction: 'outbound' | 'inbound';
  /** The class of the remote end (outbound: the destination; inbound: the source). */
  readonly address: AddressClass;
  readonly protocol: 'tcp' | 'udp';
  /** Outbound: the destination ports; inbound: the local ports the process listens on. */
  readonly ports: readonly number[];
  /** Host names Sysmon may resolve the remote address to; '-' when it resolves none. */
  readonly hostnames?: readonly string[];
  /** Inbound only: the host itself has a public address (no NAT), so the destination is public too. */
  readonly publicHost?: boolean;
  readonly note?: string;
}

/** The connection kinds, outbound first. */
export const DESTINATIONS: readonly DestinationEntry[] = [
  { name: 'public-http', roles: ['web-egress'], direction: 'outbound', address: 'public', protocol: 'tcp', ports: [80], hostnames: ['crl.microsoft.com', 'ocsp.digicert.com', 'api.partner.example'] },
  { name: 'public-https', roles: ['web-egress'], direction: 'outbound', address: 'public', protocol: 'tcp', ports: [443], hostnames: ['login.microsoftonline.com', 'api.stripe.com', 'api.partner.example'] },
  {
    name: 'public-smtp', roles: ['mail'], direction: 'outbound', address: 'public', protocol: 'tcp', ports: [25, 465, 587],
    hostnames: ['smtp.office365.com', 'smtp.sendgrid.net', 'mx1.partner.example'],
    note: 'Web applications sending mail through a relay on the internet.',
  },
  {
    name: 'public-ldap', roles: ['jndi', 'suspicious-egress'], direction: 'outbound', address: 'public', protocol: 'tcp', ports: [389, 636, 1389, 3268],
    note: 'An LDAP server on the internet: where a Log4Shell JNDI lookup (CVE-2021-44228) fetches its payload.',
  },
  {
    name: 'public-rmi', roles: ['jndi', 'suspicious-egress'], direction: 'outbound', address: 'public', protocol: 'tcp', ports: [1098, 1099],
    note: 'Java RMI registries on the internet: the other JNDI lookup Log4Shell exploits use.',
  },
  {
    name: 'public-shell-port', roles: ['reverse-shell', 'suspicious-egress'], direction: 'outbound', address: 'public', protocol: 'tcp', ports: [1337, 4444, 4445, 8081, 9001, 31337],
    note: 'Ports reverse shells and C2 listeners are set up on (Metasploit defaults, Tor ORPort).',
  },
  {
    name: 'public-ssh', roles: ['ssh', 'suspicious-egress'], direction: 'outbound', address: 'public', protocol: 'tcp', ports: [22],
    note: 'SSH to the internet: a tunnel (plink -R) or an exfiltration channel from a server.',
  },
  { name: 'private-database', roles: ['database'], direction: 'outbound', address: 'private', protocol: 'tcp', ports: [1433, 3306, 5432], hostnames: ['sql01.contoso.local', 'db.contoso.local'] },
  { name: 'private-web', roles: ['internal-web'], direction: 'outbound', address: 'private', protocol: 'tcp', ports: [80, 443, 8080], hostnames: ['api.contoso.local', 'intranet.contoso.local'] },
  { name: 'private-directory', roles: ['directory'], direction: 'outbound', address: 'private', protocol: 'tcp', ports: [88, 389, 636, 3268], hostnames: ['dc01.contoso.local', 'dc02.contoso.local'] },
  { name: 'private-smb', roles: ['file-share'], direction: 'outbound', address: 'private', protocol: 'tcp', ports: [445], hostnames: ['fs01.contoso.local'] },
  { name: 'private-rdp', roles: ['rdp'], direction: 'outbound', address: 'private', protocol: 'tcp', ports: [3389], hostnames: ['srv01.contoso.local', 'jump01.contoso.local'] },
  { name: 'private-dns', roles: ['dns'], direction: 'outbound', address: 'private', protocol: 'udp', ports: [53], hostnames: ['dc01.contoso.local'] },
  {
    name: 'loopback-rdp', roles: ['rdp', 'loopback'], direction: 'outbound', address: 'loopback', protocol: 'tcp', ports: [3389],
    note: 'A connection to the host\'s own Remote Desktop service: what an SSH port forward ending on the host does.',
  },
  { name: 'loopback-service', roles: ['loopback'], direction: 'outbound', address: 'loopback', protocol: 'tcp', ports: [1433, 5985, 8080, 9000, 47001] },
  {
    name: 'inbound-web', roles: ['inbound'], direction: 'inbound', address: 'public', protocol: 'tcp', ports: [80, 443],
    note: 'A client on the internet reaching the server (the server accepted: Initiated false).',
  },
  {
    name: 'inbound-web-public-host', roles: ['inbound'], direction: 'inbound', address: 'public', protocol: 'tcp', ports: [8080, 8443], publicHost: true,
    note: 'A server with its own public address (no NAT) accepting clients on an alternative port: both ends are public.',
  },
  { name: 'inbound-internal', roles: ['inbound'], direction: 'inbound', address: 'private', protocol: 'tcp', ports: [80, 443, 8080] },
  {
    name: 'inbound-loopback-rdp', roles: ['inbound', 'rdp', 'loopback'], direction: 'inbound', address: 'loopback', protocol: 'tcp', ports: [3389],
    note: 'Remote Desktop accepting a connection from the loopback: the service\'s side of a tunnel ending on the host.',
  },
  { name: 'inbound-rdp', roles: ['inbound', 'rdp'], direction: 'inbound', address: 'private', protocol: 'tcp', ports: [3389] },
];
