/**
 * An IPv4 network as a regular expression over dotted-quad text, for targets whose CIDR functions read
 * addresses differently from the engine (src/modifiers/ip-address.ts: four decimal octets, no leading
 * zeros, at most 255, surrounding white space trimmed). The expression is plain RE2/PCRE syntax.
 */
import type { CidrValue } from '../model/detection.js';

/** A regular expression for the decimal numbers lo..hi (0-255) written without leading zeros. */
export function writeNumberRange(lo: number, hi: number): string {
  if (lo === 0 && hi === 255) return '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])';
  if (lo === hi) return String(lo);
  const alternatives: string[] = [];
  let start = lo;
  // Split the range where the digit count or the leading digits change, then write each run as a class.
  while (start <= hi) {
    let end = start;
    const width = String(start).length;
    while (end + 1 <= hi && String(end + 1).length === width && String(end + 1).slice(0, -1) === String(start).slice(0, -1)) end += 1;
    const prefix = String(start).slice(0, -1);
    const first = String(start).slice(-1);
    const last = String(end).slice(-1);
    alternatives.push(first === last ? `${prefix}${first}` : `${prefix}[${first}-${last}]`);
    start = end + 1;
  }
  return alternatives.length === 1 ? (alternatives[0] as string) : `(?:${alternatives.join('|')})`;
}

/** The octet patterns of an IPv4 network: fixed octets, one range, then any octet. */
export function writeIpv4Octets(cidr: CidrValue): string {
  const octets: string[] = [];
  for (let index = 0; index < 4; index += 1) {
    const bits = Math.max(0, Math.min(8, cidr.prefix - index * 8));
    const byte = cidr.address[index] ?? 0;
    const mask = bits === 0 ? 0 : (0xff << (8 - bits)) & 0xff;
    const lo = byte & mask;
    const hi = lo | (~mask & 0xff);
    octets.push(writeNumberRange(lo, hi));
  }
  return octets.join('\\.');
}

/** JavaScript's `String.prototype.trim` white space, as a character class body (RE2 and PCRE syntax). */
export const JS_WHITESPACE_CLASS = '\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';

/** A whole-text regular expression for addresses of the network, with the engine's trimming. */
export function writeIpv4Regex(cidr: CidrValue): string {
  return `^[${JS_WHITESPACE_CLASS}]*${writeIpv4Octets(cidr)}[${JS_WHITESPACE_CLASS}]*$`;
}
