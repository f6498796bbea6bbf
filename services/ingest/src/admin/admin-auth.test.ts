// The audit login cannot be used to stall the server: strangers are refused before any password work, failed
// logins are throttled per address, scrypt checks are bounded, and a remembered login follows the login in force.
import { scryptSync } from 'node:crypto';
import type { AdminCredentials } from '@pushwire/core';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { NetworkSet } from '../callers/network-set.js';
import { adminAuth, type AdminAuthOptions } from './admin-auth.js';
import { AdminPasswordCheck } from './password-check.js';

const salt = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
const HASHED: AdminCredentials = {
  username: 'auditor',
  secret: { kind: 'scrypt', salt, hash: scryptSync('pw', salt, 32) },
};
const PLAIN: AdminCredentials = { username: 'auditor', secret: { kind: 'plain', password: 'pw' } };
const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

function appWith(options: Partial<AdminAuthOptions> = {}): Hono {
  const app = new Hono();
  app.use(
    '*',
    adminAuth({
      credentials: () => PLAIN,
      allowedHosts: () => new NetworkSet(['127.0.0.0/8', '10.0.0.0/8']),
      clientAddress: (c) => c.req.header('x-test-peer') ?? '127.0.0.1',
      ...options,
    }),
  );
  app.get('/admin', (c) => c.text('board'));
  return app;
}
const get = (app: Hono, peer: string, headers: Record<string, string> = {}) =>
  app.request('/admin', { headers: { 'x-test-peer': peer, ...headers } });

describe('admin allowed_hosts', () => {
  it('refuses an address outside them with 403 in the envelope, whatever the login', async () => {
    const app = appWith({ credentials: () => HASHED });
    for (const peer of ['203.0.113.9', '2001:db8::1', '::ffff:198.51.100.1']) {
      const res = await get(app, peer, basic('auditor', 'pw'));
      expect(res.status, peer).toBe(403);
      expect(await res.json()).toEqual({ code: 403, description: expect.stringMatching(/allowed_hosts/), data: {} });
    }
    expect((await get(app, '10.1.2.3', basic('auditor', 'pw'))).status).toBe(200);
  });

  it('null (`*`) lets any address try', async () => {
    expect((await get(appWith({ allowedHosts: () => null }), '203.0.113.9', basic('auditor', 'pw'))).status).toBe(200);
  });
});

describe('failed-login throttle', () => {
  it('answers 429 with Retry-After after a few failures from one address, even to the right password, until the window ends', async () => {
    let now = 1_000_000;
    const app = appWith({ throttle: { maxFailures: 3, windowMs: 60_000, now: () => now } });
    for (let i = 0; i < 3; i += 1)
      expect((await get(app, '10.0.0.1', basic('auditor', `guess-${i}`))).status).toBe(401);
    now += 10_000;
    const refused = await get(app, '10.0.0.1', basic('auditor', 'pw'));
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('50');
    expect(await refused.json()).toEqual({
      code: 429,
      description: 'too many failed logins from this address: retry after 50 s',
      data: { retry_after: 50 },
    });
    // Another address is not affected; a request without a login is not a failure.
    expect((await get(app, '10.0.0.2', basic('auditor', 'pw'))).status).toBe(200);
    for (let i = 0; i < 5; i += 1) expect((await get(app, '10.0.0.3')).status).toBe(401);
    expect((await get(app, '10.0.0.3', basic('auditor', 'pw'))).status).toBe(200);
    now += 50_000;
    expect((await get(app, '10.0.0.1', basic('auditor', 'pw'))).status).toBe(200);
  });

  it('counts an IPv6 client per /64', async () => {
    const app = appWith({ allowedHosts: () => null, throttle: { maxFailures: 2 } });
    expect((await get(app, '2001:db8:0:1::a', basic('auditor', 'x'))).status).toBe(401);
    expect((await get(app, '2001:db8:0:1::b', basic('auditor', 'y'))).status).toBe(401);
    expect((await get(app, '2001:db8:0:1::c', basic('auditor', 'pw'))).status).toBe(429);
    expect((await get(app, '2001:db8:0:2::a', basic('auditor', 'pw'))).status).toBe(200);
  });

  it('forgets the oldest addresses past its bound', async () => {
    const app = appWith({ allowedHosts: () => null, throttle: { maxFailures: 1, maxTracked: 2 } });
    for (const peer of ['192.0.2.1', '192.0.2.2', '192.0.2.3']) await get(app, peer, basic('auditor', 'x'));
    expect((await get(app, '192.0.2.1', basic('auditor', 'pw'))).status).toBe(200);
    expect((await get(app, '192.0.2.3', basic('auditor', 'pw'))).status).toBe(429);
  });
});

describe('scrypt checks at once', () => {
  it('runs at most maxConcurrentChecks; the others answer 429 at once', async () => {
    const app = appWith({ credentials: () => HASHED, maxConcurrentChecks: 2, allowedHosts: () => null });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => get(app, `192.0.2.${i + 1}`, basic('auditor', 'pw'))),
    );
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 429, 429, 429, 429, 429, 429, 429, 429]);
    const busy = answers.find((r) => r.status === 429)!;
    expect(busy.headers.get('retry-after')).toBe('1');
    expect(await busy.json()).toMatchObject({ code: 429, data: { retry_after: 1 } });
    // Once checked, the login is remembered: the board's many asset requests cost no scrypt and are never refused.
    const again = await Promise.all(Array.from({ length: 10 }, () => get(app, '192.0.2.1', basic('auditor', 'pw'))));
    expect(again.map((r) => r.status)).toEqual(Array(10).fill(200));
  });
});

describe('remembered logins', () => {
  it('are bound to the username and forgotten when the login changes', async () => {
    const check = new AdminPasswordCheck();
    expect(await check.verify(HASHED, 'auditor', 'pw')).toBe('ok');
    // A reload renames the user, same password hash: the old user's remembered login no longer passes.
    const renamed: AdminCredentials = { ...HASHED, username: 'someone-else' };
    expect(await check.verify(renamed, 'auditor', 'pw')).toBe('wrong');
    expect(await check.verify(renamed, 'someone-else', 'pw')).toBe('ok');
    expect(await check.verify(HASHED, 'someone-else', 'pw')).toBe('wrong');
  });
});
