import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FirebaseAuth, OutgoingPush } from '@pushwire/core';
import {
  createServiceAccount,
  createTestCa,
  startFcmEmulator,
  type CreatedServiceAccount,
  type FcmEmulator,
} from '@pushwire/sandbox-emulators';
import { GOOGLE_TOKEN_URL } from './access-token-source.js';
import { FcmProvider, type FcmProviderOptions } from './fcm-provider.js';

const PROJECT = 'provider-test';
let ca: ReturnType<typeof createTestCa>;
let emulator: FcmEmulator;
let sa: CreatedServiceAccount;
const providers: FcmProvider[] = [];

/** Sylk's call payload for FCM (sylk-behaviour.md §4.3), data as strings. */
function push(
  token: string,
  data: Record<string, unknown> = { event: 'incoming_session', 'call-id': 'c1' },
): OutgoingPush {
  return { token, headers: {}, payload: { message: { token, data, android: { priority: 'high', ttl: '60s' } } } };
}

function serviceAccountAuth(account: CreatedServiceAccount = sa): FirebaseAuth {
  return { kind: 'service-account', file: '/etc/sylk-pushserver/credentials/sa.json', serviceAccount: account.json };
}

function provider(overrides: Partial<FcmProviderOptions> = {}): FcmProvider {
  const p = new FcmProvider({
    appId: 'com.example.app',
    pushUrl: emulator.sendUrl(PROJECT),
    auth: serviceAccountAuth(),
    caPem: ca.cert,
    ...overrides,
  });
  providers.push(p);
  return p;
}

beforeAll(async () => {
  ca = createTestCa();
  emulator = await startFcmEmulator({ tls: ca.issueServer() });
  sa = createServiceAccount({ projectId: PROJECT, tokenUri: emulator.tokenUri });
  emulator.addServiceAccount({ client_email: sa.json.client_email, publicKeyPem: sa.publicKeyPem, projectId: PROJECT });
});

beforeEach(() => emulator.reset());

afterEach(async () => {
  await Promise.all(providers.splice(0).map((p) => p.close()));
});

afterAll(async () => {
  await emulator.close();
});

describe('FcmProvider with a service account', () => {
  it("sends Sylk's headers and the payload as JSON, and reports Sylk's result", async () => {
    const p = provider();
    const sent = push('tok-1');
    const outcome = await p.send(sent);
    const [request] = emulator.requests;
    expect(request?.headers.authorization).toMatch(/^Bearer ya29\./);
    expect(request?.headers['content-type']).toBe('application/json; UTF-8');
    expect(request?.json).toEqual(sent.payload);
    expect(request?.body).toBe(JSON.stringify(sent.payload));
    const url = emulator.sendUrl(PROJECT);
    expect(outcome).toEqual({
      kind: 'delivered',
      response: {
        code: 200,
        reason: 'OK',
        url,
        body: {
          _content: { name: expect.stringMatching(/^projects\/provider-test\/messages\//) },
          _content_consumed: true,
          status_code: 200,
          url,
          encoding: 'UTF-8',
          reason: 'OK',
        },
      },
    });
  });

  it("asks the key file's token_uri for the token, with a grant signed for Google's URL", async () => {
    await provider().send(push('tok-2'));
    expect(emulator.tokenRequests).toHaveLength(1);
    const [grant] = emulator.tokenRequests;
    expect(grant?.status).toBe(200);
    expect(grant?.claims).toMatchObject({
      iss: sa.json.client_email,
      aud: GOOGLE_TOKEN_URL,
      scope: 'https://www.googleapis.com/auth/firebase.messaging',
    });
  });

  it('caches the access token: 50 sends, one token request', async () => {
    const p = provider();
    // A cold burst first: concurrent sends share the one grant in flight.
    const burst = await Promise.all(Array.from({ length: 25 }, (_, i) => p.send(push(`par-${i}`))));
    expect(burst.every((o) => o.kind === 'delivered')).toBe(true);
    for (let i = 0; i < 25; i += 1) expect((await p.send(push(`seq-${i}`))).kind).toBe('delivered');
    expect(emulator.requests).toHaveLength(50);
    expect(emulator.tokenRequests).toHaveLength(1);
  });

  it('after a 401 fetches a new token and retries once', async () => {
    const p = provider();
    await p.send(push('warm-up'));
    emulator.revokeAccessTokens();
    const outcome = await p.send(push('after-revoke'));
    expect(outcome.kind).toBe('delivered');
    expect(emulator.requests.map((r) => r.status)).toEqual([200, 401, 200]);
    expect(emulator.tokenRequests).toHaveLength(2);
    expect(emulator.requests[1]?.headers.authorization).not.toBe(emulator.requests[2]?.headers.authorization);
  });

  it('maps each FCM error', async () => {
    const p = provider();
    emulator.failToken('dead', { status: 404, errorStatus: 'UNREGISTERED' });
    emulator.failToken('invalid', { status: 400, errorStatus: 'INVALID_ARGUMENT' });
    emulator.failToken('quota', { status: 429, errorStatus: 'QUOTA_EXCEEDED', retryAfterSeconds: 7 });
    emulator.failToken('unavailable', { status: 503, errorStatus: 'UNAVAILABLE' });
    emulator.failToken('internal', { status: 500, errorStatus: 'INTERNAL' });
    expect(await p.send(push('dead'))).toMatchObject({
      kind: 'dead-token',
      response: { code: 410, reason: 'Not Found Requested entity was not found.' },
    });
    expect(await p.send(push('invalid'))).toMatchObject({
      kind: 'dead-token',
      response: { code: 410, reason: 'Bad Request The registration token is not a valid FCM registration token' },
    });
    expect(await p.send(push('quota'))).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 7000,
      response: { code: 429 },
    });
    expect(await p.send(push('unavailable'))).toMatchObject({
      kind: 'retryable',
      response: { code: 503, reason: 'Service Unavailable The service is currently unavailable.' },
    });
    expect(await p.send(push('internal'))).toMatchObject({
      kind: 'retryable',
      response: { code: 500, reason: 'Internal Server Error Internal error encountered.' },
    });
    const nested = await p.send(push('tok', { metadata: { filename: 'a' } }));
    expect(nested).toMatchObject({ kind: 'rejected', response: { code: 400 } });
    expect(nested.response.body).toMatchObject({ _content: { error: { status: 'INVALID_ARGUMENT' } } });
  });

  it('refuses (403) a project the service account may not send for', async () => {
    const outcome = await provider({ pushUrl: emulator.sendUrl('another-project') }).send(push('t'));
    expect(outcome).toMatchObject({ kind: 'rejected', response: { code: 403 } });
  });

  it('reports a dropped connection as retryable 500', async () => {
    emulator.failToken('drop', { drop: true, times: 1 });
    const outcome = await provider().send(push('drop'));
    expect(outcome.kind).toBe('retryable');
    expect(outcome.response.code).toBe(500);
    expect(outcome.response.reason).toMatch(/^FCM connection error: /);
  });

  it('gives up on a stalled answer at its deadline', async () => {
    emulator.failToken('stall', { stall: true });
    const p = provider({ requestTimeoutMs: 400 });
    await p.send(push('warm-up'));
    const outcome = await p.send(push('stall'));
    expect(outcome).toMatchObject({
      kind: 'retryable',
      response: { code: 500, reason: 'FCM request timed out after 400 ms' },
    });
    expect(emulator.requests.at(-1)).toMatchObject({ token: 'stall', fault: 'stall' });
  });

  it("honours the caller's abort signal", async () => {
    emulator.failToken('stall-2', { stall: true });
    const p = provider();
    const controller = new AbortController();
    const sending = p.send(push('stall-2'), { signal: controller.signal });
    await emulator.waitForRequests(1);
    controller.abort(new Error('shutting down'));
    expect(await sending).toMatchObject({
      kind: 'retryable',
      response: { code: 500, reason: 'FCM request aborted: shutting down' },
    });
  });

  it('reports a failed token request clearly and never sends "Bearer " alone', async () => {
    const stranger = createServiceAccount({ projectId: PROJECT, tokenUri: emulator.tokenUri });
    const outcome = await provider({ auth: serviceAccountAuth(stranger) }).send(push('t'));
    expect(outcome.kind).toBe('retryable');
    expect(outcome.response.code).toBe(500);
    expect(outcome.response.reason).toBe(
      `Could not get a Firebase access token from ${emulator.tokenUri}: invalid_grant: Invalid grant: account not found`,
    );
    expect(emulator.requests).toHaveLength(0);
  });

  it('trusts only the default CAs without caPem (the test CA is not among them)', async () => {
    const outcome = await provider({ caPem: null }).send(push('t'));
    expect(outcome).toMatchObject({ kind: 'retryable', response: { code: 500 } });
    expect(outcome.response.reason).toContain('The connection failed because the SSL certificate is not trusted.');
    expect(emulator.tokenRequests).toHaveLength(0);
  });
});

describe('FcmProvider with a legacy server key', () => {
  it("sends key= and maps the retired API's 401 INVALID_KEY page cleanly", async () => {
    const p = provider({ pushUrl: emulator.legacyUrl, auth: { kind: 'legacy-key', key: 'AAAA-legacy' } });
    const payload = { to: 'legacy-token', time_to_live: 2419199, priority: 'high', data: { 'call-id': 'c1' } };
    const outcome = await p.send({ token: 'legacy-token', headers: {}, payload });
    const [request] = emulator.requests;
    expect(request?.headers.authorization).toBe('key=AAAA-legacy');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.json).toEqual(payload);
    expect(emulator.tokenRequests).toHaveLength(0);
    expect(outcome).toMatchObject({
      kind: 'rejected',
      response: { code: 401, reason: 'INVALID_KEY', url: emulator.legacyUrl },
    });
    expect(outcome.response.body).toMatchObject({
      _content: expect.stringContaining('<TITLE>INVALID_KEY</TITLE>'),
      encoding: 'UTF-8',
      reason: 'INVALID_KEY',
    });
  });
});
