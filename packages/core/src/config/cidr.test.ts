// Strict network parsing and Sylk's allowed_hosts, checked against Python's ipaddress.
import { describe, expect, it } from 'vitest';
import { parseAllowedHosts } from './allowed-hosts.js';
import { NetworkParseError, parseNetwork } from './cidr.js';

// Expected texts come from Python 3.11: `str(ipaddress.ip_network(x))` or the ValueError it raises.
describe('parseNetwork (strict, as ip_network)', () => {
  it.each([
    ['10.0.0.0/24', '10.0.0.0/24'],
    ['10.0.0.1/32', '10.0.0.1/32'],
    ['10.0.0.0/255.255.255.0', '10.0.0.0/24'],
    ['10.0.0.0/0.0.0.255', '10.0.0.0/24'],
    ['2001:DB8::/32', '2001:db8::/32'],
    ['fe80::1/128', 'fe80::1/128'],
    ['::ffff:1.2.3.4/128', '::ffff:102:304/128'],
    ['1:0:0:1:0:0:0:1/128', '1:0:0:1::1/128'],
    ['1:0:0:0:1:0:0:1/128', '1::1:0:0:1/128'],
    ['0:0:1:0:0:1:0:0/128', '::1:0:0:1:0:0/128'],
    ['2001:db8:0:0:1:0:0:0/128', '2001:db8:0:0:1::/128'],
    ['::/0', '::/0'],
  ])('%s → %s', (input, cidr) => {
    expect(parseNetwork(input).cidr).toBe(cidr);
  });

  it.each([
    ['10.0.0.1/24', '10.0.0.1/24 has host bits set'],
    ['fe80::1/32', 'fe80::1/32 has host bits set'],
    ['10.0.0.1,10.0.0.2/32', "'10.0.0.1,10.0.0.2/32' does not appear to be an IPv4 or IPv6 network"],
    ['[]/32', "'[]/32' does not appear to be an IPv4 or IPv6 network"],
    ['010.0.0.1/32', "'010.0.0.1/32' does not appear to be an IPv4 or IPv6 network"],
    ['10.0.0.0/33', "'10.0.0.0/33' does not appear to be an IPv4 or IPv6 network"],
    ['10.0.0.0/', "'10.0.0.0/' does not appear to be an IPv4 or IPv6 network"],
    ['/32', "'/32' does not appear to be an IPv4 or IPv6 network"],
    ['1.2.3.4 /32', "'1.2.3.4 /32' does not appear to be an IPv4 or IPv6 network"],
    ['1::2::3/128', "'1::2::3/128' does not appear to be an IPv4 or IPv6 network"],
    ['1:2:3:4:5:6:7:8:9/128', "'1:2:3:4:5:6:7:8:9/128' does not appear to be an IPv4 or IPv6 network"],
  ])('%s is refused: %s', (input, message) => {
    expect(() => parseNetwork(input)).toThrow(new NetworkParseError(message));
  });
});

describe('parseAllowedHosts', () => {
  it('splits on ", ", gives bare IPv4 /32 and bare IPv6 /128, and drops duplicates', () => {
    expect(parseAllowedHosts('10.10.10.0/24, 127.0.0.1, 192.168.1.2, ::1, 127.0.0.1')).toEqual([
      '10.10.10.0/24',
      '127.0.0.1/32',
      '192.168.1.2/32',
      '::1/128',
    ]);
  });

  it('treats an empty value as allow-all', () => {
    expect(parseAllowedHosts('')).toEqual([]);
  });

  it('refuses a comma without a space, as Sylk', () => {
    expect(() => parseAllowedHosts('10.0.0.1,10.0.0.2')).toThrow(
      "'10.0.0.1,10.0.0.2/32' does not appear to be an IPv4 or IPv6 network",
    );
  });

  it("refuses the sample's literal [] and host bits", () => {
    expect(() => parseAllowedHosts('[]')).toThrow("'[]/32' does not appear");
    expect(() => parseAllowedHosts('127.0.0.1, 10.0.0.1/24')).toThrow('10.0.0.1/24 has host bits set');
  });
});
