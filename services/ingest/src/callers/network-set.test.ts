// IPv4 and IPv6 networks are matched as Sylk's ipaddress check matches them: each family against its own.
import { describe, expect, it } from 'vitest';
import { AccessList } from '../access-list.js';
import { resolveClientAddress } from './client-address.js';
import { NetworkSet, plainAddress } from './network-set.js';

describe('NetworkSet', () => {
  it('never admits an IPv4 client through an IPv6 network (::/0, ::ffff:0:0/96)', () => {
    for (const cidr of ['::/0', '::ffff:0:0/96', '::ffff:10.0.0.0/104']) {
      const set = new NetworkSet([cidr]);
      expect(set.has('10.0.0.1'), cidr).toBe(false);
      expect(set.has('203.0.113.9'), cidr).toBe(false);
      // A dual-stack socket's spelling of an IPv4 client is that IPv4 client.
      expect(set.has('::ffff:10.0.0.1'), cidr).toBe(false);
      expect(set.has('::ffff:a00:1'), cidr).toBe(false);
    }
    expect(new NetworkSet(['::/0']).has('2001:db8::1')).toBe(true);
  });

  it('never admits an IPv6 client through an IPv4 network', () => {
    expect(new NetworkSet(['0.0.0.0/0']).has('2001:db8::1')).toBe(false);
    expect(new NetworkSet(['0.0.0.0/0']).has('::1')).toBe(false);
  });

  it('matches IPv4-mapped IPv6 peers, in any spelling, as their IPv4 address', () => {
    const set = new NetworkSet(['10.0.0.0/8']);
    expect(set.has('::ffff:10.1.2.3')).toBe(true);
    expect(set.has('::FFFF:a01:203')).toBe(true);
    expect(set.has('0:0:0:0:0:ffff:0a01:0203')).toBe(true);
    expect(set.has('::ffff:11.1.2.3')).toBe(false);
    expect(plainAddress('::ffff:a01:203')).toBe('10.1.2.3');
    expect(plainAddress('2001:db8::ffff:1')).toBe('2001:db8::ffff:1');
  });
});

describe('allowed_hosts and trusted_proxies with IPv6 networks', () => {
  it('an IPv6 allowed_hosts does not open the API to IPv4 clients', () => {
    const list = new AccessList(['::/0']);
    expect(list.allows('198.51.100.1')).toBe(false);
    expect(list.allows('::ffff:198.51.100.1')).toBe(false);
    expect(list.allows('2001:db8::5')).toBe(true);
  });

  it('an IPv6 trusted_proxies entry does not make IPv4 peers trusted proxies', () => {
    for (const cidr of ['::/0', '::ffff:0:0/96']) {
      const trusted = new NetworkSet([cidr]);
      expect(resolveClientAddress('198.51.100.1', '10.0.0.1', trusted), cidr).toBe('198.51.100.1');
      expect(resolveClientAddress('::ffff:198.51.100.1', '10.0.0.1', trusted), cidr).toBe('198.51.100.1');
    }
  });
});
