/**
 * IPv4 and IPv6 address parsing for `cidr` (rule side) and for event values (match side).
 * Strict like Python's ipaddress module, which pySigma uses: no leading zeros in IPv4 octets.
 */

const IPV4_OCTET = /^(?:0|[1-9]\d{0,2})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

/** The 4 bytes of a dotted-quad IPv4 address, or undefined. */
export function parseIpv4(text: string): number[] | undefined {
  const pieces = text.split('.');
  if (pieces.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const piece of pieces) {
    if (!IPV4_OCTET.test(piece)) return undefined;
    const value = Number(piece);
    if (value > 255) return undefined;
    bytes.push(value);
  }
  return bytes;
}

/** The 16 bytes of an IPv6 address (with `::` and an optional dotted IPv4 tail), or undefined. */
export function parseIpv6(text: string): number[] | undefined {
  if (text.length > 45 || text.length < 2) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groupsOf = (half: string): number[] | undefined => {
    if (half === '') return [];
    const words: number[] = [];
    const pieces = half.split(':');
    for (let index = 0; index < pieces.length; index += 1) {
      const piece = pieces[index] as string;
      if (index === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return undefined;
        words.push(((v4[0] as number) << 8) | (v4[1] as number), ((v4[2] as number) << 8) | (v4[3] as number));
      } else if (HEX_GROUP.test(piece)) {
        words.push(parseInt(piece, 16));
      } else {
        return undefined;
      }
    }
    return words;
  };
  const head = groupsOf(halves[0] as string);
  const tail = halves.length === 2 ? groupsOf(halves[1] as string) : [];
  if (!head || !tail) return undefined;
  // An IPv4 tail is only allowed at the very end.
  if (halves.length === 2 && (halves[0] as string).includes('.')) return undefined;
  let words: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    words = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    words = head;
  }
  return words.flatMap((word) => [word >> 8, word & 0xff]);
}

/** An address of either family: its bytes and version, or undefined. An IPv6 zone (`%eth0`) is ignored. */
export function parseIpAddress(text: string): { version: 4 | 6; bytes: number[] } | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const zone = trimmed.indexOf('%');
    const bytes = parseIpv6(zone === -1 ? trimmed : trimmed.slice(0, zone));
    return bytes ? { version: 6, bytes } : undefined;
  }
  const bytes = parseIpv4(trimmed);
  return bytes ? { version: 4, bytes } : undefined;
}

/** True when the first `prefix` bits of two byte arrays agree. */
export function prefixMatches(address: readonly number[], network: readonly number[], prefix: number): boolean {
  const whole = prefix >> 3;
  for (let index = 0; index < whole; index += 1) if (address[index] !== network[index]) return false;
  const rest = prefix & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (((address[whole] as number) ^ (network[whole] as number)) & mask) === 0;
}
