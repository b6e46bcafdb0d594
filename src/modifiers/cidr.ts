import type { CidrValue } from '../model/detection.js';
import { parseIpAddress } from './ip-address.js';
import { reject, succeed, type ValueModifier } from './modifier.js';

/**
 * Parses `address/prefix` (or a bare address, a single-host network) the way Python's `ip_network`
 * does in strict mode, as pySigma does: host bits must be zero.
 */
export function parseCidr(text: string): { value?: CidrValue; problem?: string } {
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const address = addressText.includes('%') ? undefined : parseIpAddress(addressText);
  if (!address) return { problem: `'${text}' is not an IPv4 or IPv6 network` };
  const bits = address.version === 4 ? 32 : 128;
  let prefix = bits;
  if (slash !== -1) {
    const prefixText = text.slice(slash + 1);
    if (!/^\d{1,3}$/.test(prefixText) || Number(prefixText) > bits) {
      return { problem: `'${text}' has an invalid prefix length (0-${bits} for IPv${address.version})` };
    }
    prefix = Number(prefixText);
  }
  // The address must be the network's first address; Python raises "has host bits set" otherwise.
  if (!hasZeroHostBits(address.bytes, prefix)) return { problem: `'${text}' has host bits set` };
  return { value: { kind: 'cidr', text, version: address.version, address: address.bytes, prefix } };
}

function hasZeroHostBits(bytes: readonly number[], prefix: number): boolean {
  for (let bit = prefix; bit < bytes.length * 8; bit += 1) {
    if ((((bytes[bit >> 3] as number) >> (7 - (bit & 7))) & 1) !== 0) return false;
  }
  return true;
}

/** `cidr`: the value is an IPv4 or IPv6 network, e.g. `10.0.0.0/8` (spec appendix "IP Modifiers"). */
export const cidr = {
  id: 'cidr',
  scope: 'value',
  description: 'the field is an IP address inside the network',
  apply(_value, context) {
    if (context.applied.length > 0) return reject('cidr', `must be the first modifier, not after '${context.applied.join('|')}'`);
    if (typeof context.raw !== 'string') return reject('cidr', `expects a network such as '10.0.0.0/8', got ${context.raw === null ? 'null' : typeof context.raw}`);
    const { value, problem } = parseCidr(context.raw.trim());
    if (!value) return reject('cidr', problem ?? 'invalid network');
    return succeed(value);
  },
} as const satisfies ValueModifier;
