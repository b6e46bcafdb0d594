import { describe, expect, it } from 'vitest';
import { parseCidr } from '../../../src/modifiers/cidr.js';
import { parseIpAddress } from '../../../src/modifiers/ip-address.js';
import { codesOf, matches, selection } from '../compile/rule-fixture.js';

describe('cidr', () => {
  it('matches IPv4 addresses inside the network', () => {
    const rule = selection('DestinationIp|cidr', "['10.0.0.0/8', '192.168.0.0/16']");
    expect(matches(rule, { DestinationIp: '10.20.30.40' })).toBe(true);
    expect(matches(rule, { DestinationIp: '192.168.255.1' })).toBe(true);
    expect(matches(rule, { DestinationIp: '11.0.0.1' })).toBe(false);
    expect(matches(rule, { DestinationIp: '192.169.0.1' })).toBe(false);
  });

  it('handles prefixes that are not byte-aligned', () => {
    const rule = selection('DestinationIp|cidr', "'172.16.0.0/12'");
    expect(matches(rule, { DestinationIp: '172.31.255.255' })).toBe(true);
    expect(matches(rule, { DestinationIp: '172.32.0.0' })).toBe(false);
  });

  it('matches IPv6 addresses, compressed or not', () => {
    const rule = selection('DestinationIp|cidr', "'fe80::/10'");
    expect(matches(rule, { DestinationIp: 'fe80::1' })).toBe(true);
    expect(matches(rule, { DestinationIp: 'FEBF:0:0:0:0:0:0:1' })).toBe(true);
    expect(matches(rule, { DestinationIp: 'fec0::1' })).toBe(false);
    expect(matches(rule, { DestinationIp: '10.0.0.1' })).toBe(false);
  });

  it('does not match values that are not addresses', () => {
    const rule = selection('DestinationIp|cidr', "'0.0.0.0/0'");
    expect(matches(rule, { DestinationIp: 'localhost' })).toBe(false);
    expect(matches(rule, { DestinationIp: '1.2.3.4' })).toBe(true);
    expect(matches(rule, {})).toBe(false);
  });

  it('refuses non-networks, host bits and later positions in the chain', () => {
    expect(codesOf(selection('DestinationIp|cidr', "'not-an-ip'"))).toContain('modifier/incompatible');
    expect(codesOf(selection('DestinationIp|cidr', "'10.0.0.1/8'"))).toContain('modifier/incompatible');
    expect(codesOf(selection('DestinationIp|cidr', "'10.0.0.0/33'"))).toContain('modifier/incompatible');
    expect(codesOf(selection('DestinationIp|contains|cidr', "'10.0.0.0/8'"))).toContain('modifier/incompatible');
  });

  it('parses addresses strictly', () => {
    expect(parseIpAddress('010.0.0.1')).toBeUndefined();
    expect(parseIpAddress('1.2.3')).toBeUndefined();
    expect(parseIpAddress('::ffff:1.2.3.4')?.bytes).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 1, 2, 3, 4]);
    expect(parseIpAddress('1::2::3')).toBeUndefined();
    expect(parseIpAddress('fe80::1%eth0')?.version).toBe(6);
    expect(parseCidr('10.0.0.7').value?.prefix).toBe(32);
    expect(parseCidr('2001:db8::/32').value?.version).toBe(6);
  });
});
