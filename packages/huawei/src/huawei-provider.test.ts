import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock, type HuaweiAuth, type OutgoingPush } from '@pushwire/core';
import { createTestCa, startHuaweiEmulator, type HuaweiEmulator } from '@pushwire/sandbox-emulators';
import { HuaweiProvider, type HuaweiProviderOptions } from './huawei-provider.js';

const CLIENT_ID = '10000001';
const SECRET = 'app-secret-1';
const MINUTE = 60_000;

let ca: ReturnType<typeof createTestCa>;
let emulator: HuaweiEmulator;
let prefix: string;
const providers: HuaweiProvider[] = [];
const clients: Redis[] = [];

const auth: HuaweiAuth = {
  kind: 'client-credentials',
  file: '/etc/sylk-pushserver/credentials/huawei.json',
  clientId: CLIENT_ID,
  clientSecret: SECRET,
};

/** Sylk's Android call payload (FCM v1 shape), as the app type builds it. */
function push(token: string): OutgoingPush {
  return {
    token,
    headers: {},
    payload: {
      message: {
        token,
        data: { event: 'incoming_session', 'call-id': 'c1' },
        android: { priority: 'high', ttl: '60s' },
      },
    },
  };
}

/** A separate Redis connection per provider, as separate worker processes have. */
function provider(overrides: Partial<HuaweiProviderOptions> = {}): HuaweiProvider {
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  clients.push(redis);
  const p = new HuaweiProvider({
    appId: 'com.example.app',
    pushUrl: emulator.sendUrl(CLIENT_ID),
    tokenUrl: emulator.tokenUrl,
    auth,
    caPem: ca.cert,
    redis,
    prefix,
    ...overrides,
  });
  providers.push(p);
  return p;
}

beforeAll(async () => {
  ca = createTestCa();
  emulator = await startHuaweiEmulator({ tls: ca.issueServer() });
  emulator.addApp({ clientId: CLIENT_ID, clientSecret: SECRET });
});

beforeEach(() => {
  emulator.reset();
  prefix = `pushwire-test-${randomUUID()}`;
});

afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
  await Promise.all(clients.splice(0).map(async (c) => c.quit()));
});

afterAll(async () => {
  await emulator.close();
});

describe('HuaweiProvider', () => {
  it('grants a token with the client credentials, then sends a data message with urgency HIGH', async () => {
    const outcome = await provider().send(push('device-1'));
    expect(outcome).toMatchObject({
      kind: 'delivered',
      response: { code: 200, reason: 'Success', url: emulator.sendUrl(CLIENT_ID) },
    });
    expect(emulator.grants).toEqual([
      {
        at: expect.any(Number),
        status: 200,
        form: { grant_type: 'client_credentials', client_id: CLIENT_ID, client_secret: SECRET },
      },
    ]);
    const [sent] = emulator.sends;
    expect(sent?.headers.authorization).toMatch(/^Bearer CF/);
    expect(sent?.json).toEqual({
      validate_only: false,
      message: {
        data: '{"event":"incoming_session","call-id":"c1"}',
        android: { urgency: 'HIGH', ttl: '60s' },
        token: ['device-1'],
      },
    });
    expect(sent?.data).toEqual({ event: 'incoming_session', 'call-id': 'c1' });
  });

  it('shares one token between workers through Redis: 3 processes, 30 sends, one grant', async () => {
    const workers = [provider(), provider(), provider()];
    const outcomes = await Promise.all(Array.from({ length: 30 }, (_, i) => workers[i % 3]!.send(push(`d-${i}`))));
    expect(outcomes.every((o) => o.kind === 'delivered')).toBe(true);
    expect(emulator.grants).toHaveLength(1);
    expect(new Set(emulator.sends.map((s) => s.headers.authorization)).size).toBe(1);
  });

  it('refreshes early: a new grant 5 minutes before the token expires, not before', async () => {
    const clock = new ManualClock();
    const p = provider({ clock });
    await p.send(push('a'));
    clock.advance(54 * MINUTE);
    await p.send(push('b'));
    expect(emulator.grants).toHaveLength(1);
    clock.advance(2 * MINUTE);
    await p.send(push('c'));
    expect(emulator.grants).toHaveLength(2);
  });

  it('on 80200003 (token expired) gets a new token and resends once', async () => {
    const p = provider();
    await p.send(push('warm-up'));
    emulator.expireAccessTokens();
    expect(await p.send(push('after-expiry'))).toMatchObject({ kind: 'delivered' });
    expect(emulator.sends.map((s) => s.code)).toEqual(['80000000', '80200003', '80000000']);
    expect(emulator.grants).toHaveLength(2);
  });

  it('resends only once: a token still refused is rejected 401, never a loop', async () => {
    const outcome = await provider().send(push('code-80200001'));
    expect(outcome).toMatchObject({
      kind: 'rejected',
      response: { code: 401, reason: '80200001 Oauth authentication error' },
    });
    expect(emulator.sends).toHaveLength(2);
  });

  it.each([
    ['code-80300007', 'dead-token', 410],
    ['code-80100000', 'dead-token', 410],
    ['code-80300008', 'rejected', 400],
    ['code-81000001', 'retryable', 500],
    ['http-503', 'retryable', 503],
    ['http-429', 'retryable', 429],
  ])('maps %s to %s %i', async (token, kind, code) => {
    expect(await provider().send(push(token))).toMatchObject({ kind, response: { code } });
  });

  it("reads Retry-After of Huawei's traffic control (503)", async () => {
    emulator.failToken('busy', { http: 503, retryAfterSeconds: 7 });
    expect(await provider().send(push('busy'))).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 7000,
      response: { code: 503 },
    });
  });

  it('reports a refused client secret clearly and sends nothing', async () => {
    const outcome = await provider({ auth: { ...auth, clientSecret: 'wrong' } }).send(push('t'));
    expect(outcome).toMatchObject({ kind: 'retryable', response: { code: 500 } });
    expect(outcome.response.reason).toBe(
      `Could not get a Huawei access token from ${emulator.tokenUrl}: HTTP 400 1101: invalid client: wrong client_id or client_secret`,
    );
    expect(emulator.sends).toHaveLength(0);
  });

  it('gives up on a stalled answer at its deadline, and honours the caller abort', async () => {
    emulator.failToken('stall', { stall: true });
    const p = provider({ requestTimeoutMs: 400 });
    expect(await p.send(push('stall'))).toMatchObject({
      kind: 'retryable',
      response: { code: 500, reason: 'Huawei request timed out after 400 ms' },
    });
    const controller = new AbortController();
    const sending = provider().send(push('stall'), { signal: controller.signal });
    await emulator.waitForSends(2);
    controller.abort(new Error('shutting down'));
    expect(await sending).toMatchObject({
      kind: 'retryable',
      response: { code: 500, reason: 'Huawei request aborted: shutting down' },
    });
  });

  it('never sends the client secret or the access token in a result', async () => {
    const outcome = await provider().send(push('code-80300007'));
    expect(JSON.stringify(outcome)).not.toContain(SECRET);
    expect(JSON.stringify(outcome)).not.toContain('Bearer');
  });
});
