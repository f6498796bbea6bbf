import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { discoverServerIp, FALLBACK_SERVER_IP } from './server-ip.js';

describe('discoverServerIp', () => {
  it('answers one of this host’s IPv4 addresses (the one routing outwards), or 127.0.0.1 without a route', async () => {
    const local = Object.values(networkInterfaces()).flatMap((list) =>
      (list ?? []).filter((i) => i.family === 'IPv4').map((i) => i.address),
    );
    const address = await discoverServerIp();
    expect([...local, FALLBACK_SERVER_IP]).toContain(address);
  });

  it('routes to a loopback probe from the loopback address', async () => {
    expect(await discoverServerIp('127.0.0.2')).toBe('127.0.0.1');
  });
});
