// X-Forwarded-For counts only from trusted proxies, and then only up to the first untrusted hop.
import { describe, expect, it } from 'vitest';
import { resolveClientAddress } from './client-address.js';
import { NetworkSet, plainAddress } from './network-set.js';

const proxies = new NetworkSet(['127.0.0.1/32', '10.0.0.0/8', 'fd00::/8']);
const resolve = (peer: string | undefined, xff?: string, trusted = proxies) => resolveClientAddress(peer, xff, trusted);

describe('resolveClientAddress', () => {
  it('is the peer when no header is sent, or when the peer is not a trusted proxy', () => {
    expect(resolve('192.0.2.7')).toBe('192.0.2.7');
    expect(resolve('192.0.2.7', '198.51.100.1')).toBe('192.0.2.7');
    expect(resolve('2001:db8::7', '198.51.100.1')).toBe('2001:db8::7');
    expect(resolve(undefined, '198.51.100.1')).toBeUndefined();
  });

  it('ignores the header when no proxy is trusted, even from 127.0.0.1', () => {
    expect(resolve('127.0.0.1', '198.51.100.1', new NetworkSet([]))).toBe('127.0.0.1');
  });

  it('takes the right-most entry that is not a trusted proxy', () => {
    expect(resolve('127.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
    // A client's own forged entries sit left of what the proxies appended: they never count.
    expect(resolve('10.1.2.3', '6.6.6.6, 198.51.100.1, 10.9.9.9')).toBe('198.51.100.1');
    expect(resolve('fd00::1', '2001:db8::1, fd00::2')).toBe('2001:db8::1');
    // Several headers arrive joined with ", ".
    expect(resolve('127.0.0.1', '6.6.6.6, 203.0.113.9')).toBe('203.0.113.9');
  });

  it('falls back to the left-most entry when every hop is a trusted proxy, and to the peer on an empty header', () => {
    expect(resolve('127.0.0.1', '10.0.0.5, 10.0.0.6')).toBe('10.0.0.5');
    expect(resolve('127.0.0.1', ' , ')).toBe('127.0.0.1');
  });

  it('normalises addresses: IPv4-mapped peers and entries, ports, brackets, case', () => {
    expect(resolve('::ffff:127.0.0.1', '198.51.100.1')).toBe('198.51.100.1');
    expect(resolve('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(resolve('127.0.0.1', '198.51.100.1:5060')).toBe('198.51.100.1');
    expect(resolve('127.0.0.1', '[2001:DB8::1]:443')).toBe('2001:db8::1');
    expect(resolve('127.0.0.1', '[2001:db8::1]')).toBe('2001:db8::1');
    expect(resolve('127.0.0.1', '::ffff:198.51.100.1')).toBe('198.51.100.1');
  });

  it('returns an entry that is not an address as written (it matches no network), cut to 64 characters', () => {
    expect(resolve('127.0.0.1', 'unknown')).toBe('unknown');
    expect(resolve('127.0.0.1', 'x'.repeat(500))).toBe('x'.repeat(64));
  });
});

describe('NetworkSet', () => {
  it('matches IPv4 and IPv6 networks, IPv4-mapped addresses as IPv4', () => {
    expect(proxies.has('10.200.0.1')).toBe(true);
    expect(proxies.has('::ffff:10.200.0.1')).toBe(true);
    expect(proxies.has('11.0.0.1')).toBe(false);
    expect(proxies.has('fd12::1')).toBe(true);
    expect(proxies.has('fe80::1')).toBe(false);
    expect(proxies.has('not-an-ip')).toBe(false);
    expect(proxies.has(undefined)).toBe(false);
    expect(new NetworkSet([]).has('10.0.0.1')).toBe(false);
  });

  it('spells addresses one way', () => {
    expect(plainAddress('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(plainAddress('2001:DB8::A')).toBe('2001:db8::a');
    expect(plainAddress(' 192.0.2.1 ')).toBe('192.0.2.1');
  });
});
