// Who may call what, in process: IPv4/IPv6 peers in and out of allowed_hosts × no key / bad key / key out of
// scope / good key × v1 push, v2 add, delete and push, with keys optional and required; then rate limits
// (429 + Retry-After, recovery) and X-Forwarded-For from trusted and untrusted peers.
import { randomUUID } from 'node:crypto';
import { hashCallerKey, ManualClock, type CallersConfig } from '@pushwire/core';
import { RateLimiter } from '@pushwire/redis';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessList } from '../access-list.js';
import { createTestIngest, type TestIngestOverrides } from '../test-support/ingest-app.js';
import { CallerPolicy } from './caller-policy.js';

const GOOD_KEY = `pw_${randomUUID()}`;
const OTHER_APP_KEY = `pw_${randomUUID()}`;
const SLOW_KEY = `pw_${randomUUID()}`;
const ALLOWED_HOSTS = ['192.0.2.0/24', '2001:db8:1::/48'];
const PEERS = {
  'IPv4 in': '192.0.2.10',
  'IPv4 out': '198.51.100.10',
  'IPv6 in': '2001:db8:1::10',
  'IPv6 out': '2001:db8:2::10',
} as const;
const KEYS = {
  'no key': undefined,
  'bad key': 'pw_not-a-configured-key',
  'key out of scope': OTHER_APP_KEY,
  'good key': GOOD_KEY,
} as const;
const DENIED = { code: 403, description: 'access denied by access list', data: {} };

const callers = (extra: Partial<CallersConfig> = {}): CallersConfig => ({
  requireKey: false,
  trustedProxies: [],
  keys: [
    { name: 'sylkserver', keySha256: hashCallerKey(GOOD_KEY), apps: ['com.example.sylk'], rate: null },
    { name: 'linphone-only', keySha256: hashCallerKey(OTHER_APP_KEY), apps: ['com.example.linphone'], rate: null },
    { name: 'slow', keySha256: hashCallerKey(SLOW_KEY), apps: null, rate: { perSecond: 1, burst: 2 } },
  ],
  ...extra,
});

const sylkCall = (callId: string) => ({
  'app-id': 'com.example.sylk',
  platform: 'apple',
  token: 'a'.repeat(64),
  event: 'incoming_session',
  'call-id': callId,
  from: 'alice@example.com',
  to: 'bob@example.com',
  'media-type': 'audio',
  silent: true,
});
const device = (appId: string, deviceId: string) => ({
  'app-id': appId,
  platform: 'apple',
  token: `${'a'.repeat(64)}-${'b'.repeat(64)}`,
  'device-id': deviceId,
});
const v2Push = (callId: string) => ({
  event: 'incoming_session',
  'call-id': callId,
  from: 'alice@example.com',
  to: 'bob@example.com',
  'media-type': 'audio',
});

type Ingest = Awaited<ReturnType<typeof createTestIngest>>;
const opened: Ingest[] = [];
async function ingestWith(overrides: TestIngestOverrides): Promise<Ingest> {
  // The peer comes from a test header, so one app serves every address.
  const ingest = await createTestIngest({ clientAddress: (c) => c.req.header('x-test-peer'), ...overrides });
  opened.push(ingest);
  return ingest;
}
afterAll(async () => {
  for (const ingest of opened) await ingest.close();
});

interface Call {
  peer: string;
  key?: string;
  xff?: string;
}
async function send(ingest: Ingest, method: string, path: string, body: unknown, call: Call) {
  const headers: Record<string, string> = { 'content-type': 'application/json', 'x-test-peer': call.peer };
  if (call.key !== undefined) headers.authorization = `Bearer ${call.key}`;
  if (call.xff !== undefined) headers['x-forwarded-for'] = call.xff;
  const res = await ingest.app.request(path, {
    method,
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as unknown, headers: res.headers };
}

/** The four protected routes, each with the status it answers when the caller is let through. */
const ROUTES = [
  {
    name: 'v1 push',
    allowed: 202,
    run: (i: Ingest, c: Call, n: string) => send(i, 'POST', '/push', sylkCall(`v1-${n}`), c),
  },
  {
    name: 'v2 add',
    allowed: 200,
    run: (i: Ingest, c: Call, n: string) =>
      send(i, 'POST', `/v2/tokens/add-${n}@example.com`, device('com.example.sylk', 'd1'), c),
  },
  // An account nobody registered: getting its "User not found" means the ACL let the request through.
  {
    name: 'v2 delete',
    allowed: 404,
    run: (i: Ingest, c: Call, n: string) =>
      send(i, 'DELETE', `/v2/tokens/none-${n}@example.com`, { 'app-id': 'com.example.sylk', 'device-id': 'd1' }, c),
  },
  {
    name: 'v2 push',
    allowed: 202,
    run: (i: Ingest, c: Call, n: string) => send(i, 'POST', '/v2/tokens/bob@example.com/push', v2Push(`v2-${n}`), c),
  },
] as const;

function expected(requireKey: boolean, peer: keyof typeof PEERS, key: keyof typeof KEYS, allowed: number): number {
  if (key === 'bad key' || (key === 'no key' && requireKey)) return 401;
  if (peer.endsWith('out') || key === 'key out of scope') return 403;
  return allowed;
}

describe.each([false, true])('access matrix (require_key = %s)', (requireKey) => {
  let ingest: Ingest;
  beforeAll(async () => {
    ingest = await ingestWith({
      accessList: new AccessList(ALLOWED_HOSTS),
      callers: new CallerPolicy(callers({ requireKey })),
    });
    // bob has one Sylk device, registered by the Sylk key from an allowed host.
    expect(
      (
        await send(ingest, 'POST', '/v2/tokens/bob@example.com', device('com.example.sylk', 'bob-phone'), {
          peer: PEERS['IPv4 in'],
          key: GOOD_KEY,
        })
      ).status,
    ).toBe(200);
  });

  for (const route of ROUTES) {
    for (const peer of Object.keys(PEERS) as Array<keyof typeof PEERS>) {
      for (const key of Object.keys(KEYS) as Array<keyof typeof KEYS>) {
        const want = expected(requireKey, peer, key, route.allowed);
        it(`${route.name}, ${peer}, ${key} → ${want}`, async () => {
          const res = await route.run(ingest, { peer: PEERS[peer], key: KEYS[key] }, randomUUID());
          expect(res.status).toBe(want);
          if (want === 403) expect(res.json).toEqual(DENIED);
          if (want === 401) {
            expect(res.json).toMatchObject({ code: 401, data: {} });
            expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="pushwire"/);
            expect(res.headers.get('www-authenticate')?.includes('error="invalid_token"')).toBe(key === 'bad key');
          }
        });
      }
    }
  }
});

describe('keys and Sylk behaviour', () => {
  it('without any configured key, an Authorization header changes nothing (Sylk ignores it)', async () => {
    const ingest = await ingestWith({ accessList: new AccessList(ALLOWED_HOSTS) });
    expect(
      (await send(ingest, 'POST', '/push', sylkCall('sylk-1'), { peer: PEERS['IPv4 in'], key: 'anything' })).status,
    ).toBe(202);
    expect(
      await send(ingest, 'POST', '/push', sylkCall('sylk-2'), { peer: PEERS['IPv6 out'], key: 'anything' }),
    ).toMatchObject({ status: 403, json: DENIED });
  });

  it("a denied host still sees validation errors first (Sylk's order); a bad key is refused before them", async () => {
    const ingest = await ingestWith({
      accessList: new AccessList(ALLOWED_HOSTS),
      callers: new CallerPolicy(callers()),
    });
    const invalid = { ...sylkCall('x'), 'call-id': undefined };
    expect((await send(ingest, 'POST', '/push', invalid, { peer: PEERS['IPv4 out'], key: GOOD_KEY })).status).toBe(400);
    expect((await send(ingest, 'POST', '/push', invalid, { peer: PEERS['IPv4 in'], key: 'pw_wrong' })).status).toBe(
      401,
    );
  });

  it('v2 push: a key must cover every device it would push to; one device of its app is fine', async () => {
    const ingest = await ingestWith({ callers: new CallerPolicy(callers()) });
    const peer = PEERS['IPv4 in'];
    expect(
      (
        await send(ingest, 'POST', '/v2/tokens/carol@example.com', device('com.example.sylk', 'sylk-phone'), {
          peer,
          key: GOOD_KEY,
        })
      ).status,
    ).toBe(200);
    expect(
      (
        await send(ingest, 'POST', '/v2/tokens/carol@example.com', device('com.example.linphone', 'linphone-phone'), {
          peer,
          key: OTHER_APP_KEY,
        })
      ).status,
    ).toBe(200);
    // Registering or removing a device of another app is out of scope too.
    expect(
      (
        await send(ingest, 'POST', '/v2/tokens/carol@example.com', device('com.example.linphone', 'x'), {
          peer,
          key: GOOD_KEY,
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await send(
          ingest,
          'DELETE',
          '/v2/tokens/carol@example.com',
          { 'app-id': 'com.example.linphone', 'device-id': 'linphone-phone' },
          { peer, key: GOOD_KEY },
        )
      ).status,
    ).toBe(403);

    const whole = await send(ingest, 'POST', '/v2/tokens/carol@example.com/push', v2Push('carol-1'), {
      peer,
      key: GOOD_KEY,
    });
    expect(whole).toMatchObject({ status: 403, json: DENIED });
    expect(
      (
        await send(ingest, 'POST', '/v2/tokens/carol@example.com/push/sylk-phone', v2Push('carol-2'), {
          peer,
          key: GOOD_KEY,
        })
      ).status,
    ).toBe(202);
    expect(
      (
        await send(ingest, 'POST', '/v2/tokens/carol@example.com/push/linphone-phone', v2Push('carol-3'), {
          peer,
          key: GOOD_KEY,
        })
      ).status,
    ).toBe(403);
    // Without a key (keys optional), allowed_hosts alone decides, as in Sylk.
    expect((await send(ingest, 'POST', '/v2/tokens/carol@example.com/push', v2Push('carol-4'), { peer })).status).toBe(
      202,
    );
    const denial = ingest.logLines.find((l) => l.includes('does not cover com.example.linphone'));
    expect(denial && JSON.parse(denial)).toMatchObject({
      caller: 'sylkserver',
      apps: ['com.example.linphone'],
      ip: peer,
    });
  });

  it('never writes a key to the logs or to Redis; logs name the caller instead', async () => {
    const ingest = await ingestWith({ callers: new CallerPolicy(callers()), returnAsync: false });
    await send(ingest, 'POST', '/push', sylkCall('secret-1'), { peer: PEERS['IPv4 in'], key: GOOD_KEY });
    await send(ingest, 'POST', '/push', sylkCall('secret-2'), { peer: PEERS['IPv4 in'], key: `${GOOD_KEY}x` });
    await send(ingest, 'POST', '/v2/tokens/dave@example.com', device('com.example.sylk', 'd'), {
      peer: PEERS['IPv4 in'],
      key: GOOD_KEY,
    });
    const logs = ingest.logLines.join('\n');
    expect(logs).toContain('"caller":"sylkserver"');
    expect(logs).toContain('invalid API key');
    expect(logs).not.toContain(GOOD_KEY);
    expect(logs).not.toContain(hashCallerKey(GOOD_KEY));
    let stored = '';
    for (const key of await ingest.redis.keys(`${ingest.prefix}:*`)) {
      const type = await ingest.redis.type(key);
      if (type === 'hash') stored += JSON.stringify(await ingest.redis.hgetall(key));
      if (type === 'string') stored += await ingest.redis.get(key);
    }
    expect(stored).toContain('secret-1');
    expect(stored).not.toContain(GOOD_KEY);
  });
});

describe('OpenAPI document', () => {
  it('documents 401 (WWW-Authenticate) and 429 (Retry-After) and the optional bearer key on every guarded operation', async () => {
    const ingest = await ingestWith({});
    const doc = (await (await ingest.app.request('/openapi.json')).json()) as {
      paths: Record<
        string,
        Record<string, { responses: Record<string, { headers?: Record<string, unknown> }>; security?: unknown }>
      >;
      components: { securitySchemes: Record<string, unknown> };
    };
    const guarded = [
      doc.paths['/push']!.post!,
      doc.paths['/v2/tokens/{account}']!.post!,
      doc.paths['/v2/tokens/{account}']!.delete!,
      doc.paths['/v2/tokens/{account}/push']!.post!,
      doc.paths['/v2/tokens/{account}/push/{device}']!.post!,
    ];
    for (const operation of guarded) {
      expect(Object.keys(operation.responses['401']?.headers ?? {})).toEqual(['WWW-Authenticate']);
      expect(Object.keys(operation.responses['429']?.headers ?? {})).toEqual(['Retry-After']);
      expect(operation.security).toEqual([{}, { callerKey: [] }]);
    }
    expect(doc.components.securitySchemes.callerKey).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});

describe('rate limits', () => {
  const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  const prefix = `pwtest-${randomUUID()}`;
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    redis.disconnect();
  });

  it("answers 429 with Retry-After over a key's rate, on every route, and recovers", async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const ingest = await ingestWith({
      callers: new CallerPolicy(callers()),
      rateLimiter: new RateLimiter({ redis, prefix, clock }),
    });
    const slow = { peer: PEERS['IPv6 in'], key: SLOW_KEY };
    // Burst of 2, then 1 per second.
    expect((await send(ingest, 'POST', '/push', sylkCall('r1'), slow)).status).toBe(202);
    expect(
      (await send(ingest, 'POST', '/v2/tokens/erin@example.com', device('com.example.sylk', 'e'), slow)).status,
    ).toBe(200);
    for (const route of ROUTES) {
      const limited = await route.run(ingest, slow, randomUUID());
      expect({
        route: route.name,
        status: limited.status,
        retryAfter: limited.headers.get('retry-after'),
        json: limited.json,
      }).toEqual({
        route: route.name,
        status: 429,
        retryAfter: '1',
        json: {
          code: 429,
          description: 'rate limit of this API key exceeded: retry after 1 s',
          data: { retry_after: 1 },
        },
      });
    }
    // Other callers are not slowed by it.
    expect(
      (await send(ingest, 'POST', '/push', sylkCall('r2'), { peer: PEERS['IPv4 in'], key: GOOD_KEY })).status,
    ).toBe(202);
    expect((await send(ingest, 'POST', '/push', sylkCall('r3'), { peer: PEERS['IPv4 in'] })).status).toBe(202);

    clock.advance(400);
    const waiting = await send(ingest, 'POST', '/push', sylkCall('r4'), slow);
    expect([waiting.status, waiting.headers.get('retry-after')]).toEqual([429, '1']);
    clock.advance(600);
    expect((await send(ingest, 'POST', '/push', sylkCall('r5'), slow)).status).toBe(202);
    expect((await send(ingest, 'POST', '/push', sylkCall('r6'), slow)).status).toBe(429);
    clock.advance(10_000);
    expect((await send(ingest, 'POST', '/push', sylkCall('r7'), slow)).status).toBe(202);
    expect((await send(ingest, 'POST', '/push', sylkCall('r8'), slow)).status).toBe(202);
    expect(ingest.logLines.some((l) => l.includes('"caller":"slow"') && l.includes('over its rate'))).toBe(true);
  });

  it('lets requests through, and says so, when Redis cannot count them', async () => {
    const failing = { take: () => Promise.reject(new Error('Connection is closed.')) };
    const ingest = await ingestWith({ callers: new CallerPolicy(callers()), rateLimiter: failing });
    expect(
      (await send(ingest, 'POST', '/push', sylkCall('f1'), { peer: PEERS['IPv4 in'], key: SLOW_KEY })).status,
    ).toBe(202);
    expect(ingest.logLines.some((l) => l.includes('rate limit not checked'))).toBe(true);
  });
});

describe('X-Forwarded-For', () => {
  let ingest: Ingest;
  beforeAll(async () => {
    ingest = await ingestWith({
      accessList: new AccessList(ALLOWED_HOSTS),
      callers: new CallerPolicy({
        requireKey: false,
        keys: [],
        trustedProxies: ['127.0.0.1/32', '::1/128', '10.0.0.0/8'],
      }),
    });
  });
  const cases: Array<[string, Call, number]> = [
    ['a trusted proxy forwarding an allowed client', { peer: '127.0.0.1', xff: '192.0.2.44' }, 202],
    ['a trusted IPv6 proxy forwarding an allowed IPv6 client', { peer: '::1', xff: '2001:db8:1::44' }, 202],
    ["a dual-stack socket's IPv4-mapped trusted proxy", { peer: '::ffff:127.0.0.1', xff: '192.0.2.44' }, 202],
    ['a chain of trusted proxies', { peer: '127.0.0.1', xff: '192.0.2.44, 10.1.1.1, 10.2.2.2' }, 202],
    [
      'a client forging an allowed address left of its own',
      { peer: '127.0.0.1', xff: '192.0.2.44, 198.51.100.66' },
      403,
    ],
    ['a trusted proxy forwarding a client outside allowed_hosts', { peer: '127.0.0.1', xff: '198.51.100.66' }, 403],
    ['an untrusted peer claiming an allowed address', { peer: '198.51.100.66', xff: '192.0.2.44' }, 403],
    [
      'an allowed peer whose header names an outsider (ignored: not a proxy)',
      { peer: '192.0.2.44', xff: '198.51.100.66' },
      202,
    ],
    ['a trusted proxy without the header (itself not allowed)', { peer: '127.0.0.1' }, 403],
    ['a trusted proxy forwarding garbage', { peer: '127.0.0.1', xff: 'unknown' }, 403],
  ];
  for (const [name, call, status] of cases) {
    it(`${name} → ${status}`, async () => {
      expect((await send(ingest, 'POST', '/push', sylkCall(`xff-${randomUUID()}`), call)).status).toBe(status);
    });
  }

  it('logs the resolved client address', async () => {
    await send(ingest, 'POST', '/push', sylkCall('xff-log'), { peer: '127.0.0.1', xff: '192.0.2.45' });
    const line = ingest.logLines.find((l) => l.includes('xff-log') && l.includes('incoming'));
    expect(line && JSON.parse(line)).toMatchObject({ ip: '192.0.2.45' });
  });
});
