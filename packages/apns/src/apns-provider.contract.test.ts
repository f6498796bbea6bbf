// ApnsProvider against the strict APNs emulator: what goes on the wire and how each answer is reported.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '@pushwire/core';
import { ApnsProvider } from './apns-provider.js';
import { UNTRUSTED_CERTIFICATE_REASON } from './transport-failure.js';
import {
  BUNDLE_ID,
  DEVICE_TOKEN,
  KEY_ID,
  TEAM_ID,
  VOIP_HEADERS,
  createFixtureTls,
  startApnsFixture,
  voipPush,
  type ApnsFixture,
  type FixtureTls,
} from './test-support/apns-fixture.js';
import { createTestCa } from '@pushwire/sandbox-emulators';

let tls: FixtureTls;
let fx: ApnsFixture;

beforeAll(() => {
  tls = createFixtureTls();
});

beforeEach(async () => {
  fx = await startApnsFixture(tls);
});

afterEach(async () => {
  await fx.close();
});

const MINUTE = 60_000;

function urlFor(token: string): string {
  return `https://127.0.0.1:${fx.emulator.port}/3/device/${token}`;
}

describe('ApnsProvider: token auth', () => {
  it('delivers with exactly the builder headers plus "bearer <jwt>", and the JSON payload as body', async () => {
    const push = voipPush();
    const outcome = await fx.provider().send(push);

    expect(outcome).toEqual({
      kind: 'delivered',
      response: { code: 200, reason: '', body: {}, url: urlFor(DEVICE_TOKEN) },
    });
    const [request] = fx.emulator.requests;
    expect(fx.emulator.requests).toHaveLength(1);
    expect(request).toMatchObject({ method: 'POST', path: `/3/device/${DEVICE_TOKEN}`, status: 200, delivered: true });
    expect(request!.auth).toMatchObject({ kind: 'token', teamId: TEAM_ID, keyId: KEY_ID });
    const jwt = request!.auth.kind === 'token' ? request!.auth.jwt : '';
    // No content-type (Sylk sends none), nothing else added.
    expect(request!.headers).toEqual({ ...VOIP_HEADERS, authorization: `bearer ${jwt}` });
    expect(request!.body).toBe(JSON.stringify(push.payload));
    expect(request!.json).toEqual(push.payload);
  });

  it('reports the URL as Sylk’s httpx prints it: one slash, no :443', async () => {
    // An already-aborted send never connects, but reports the URL as Sylk would.
    const provider = fx.provider({ host: 'api.push.apple.com', port: 443 });
    const outcome = await provider.send(voipPush(), { signal: AbortSignal.abort() });
    expect(outcome).toEqual({
      kind: 'retryable',
      response: { code: 500, reason: 'aborted', body: {}, url: `https://api.push.apple.com/3/device/${DEVICE_TOKEN}` },
    });
  });

  it('410 Unregistered: dead token, 410, Apple body kept', async () => {
    fx.emulator.failToken(DEVICE_TOKEN, { status: 410, reason: 'Unregistered' });
    const outcome = await fx.provider().send(voipPush());
    expect(outcome.kind).toBe('dead-token');
    expect(outcome.response).toMatchObject({
      code: 410,
      reason: 'Unregistered - The device token is inactive for the specified topic.',
      body: { reason: 'Unregistered', timestamp: fx.apnsClock.now() },
      url: urlFor(DEVICE_TOKEN),
    });
  });

  it('400 BadDeviceToken (a token APNs finds malformed): dead token reported as 410', async () => {
    const outcome = await fx.provider().send(voipPush('not-a-device-token'));
    expect(fx.emulator.requests[0]).toMatchObject({ status: 400, reason: 'BadDeviceToken' });
    expect(outcome.kind).toBe('dead-token');
    expect(outcome.response.code).toBe(410);
    expect(outcome.response.reason).toMatch(/^BadDeviceToken - The specified device token was bad/);
    expect(outcome.response.body).toEqual({ reason: 'BadDeviceToken' });
  });

  it('500: retryable with its code and described reason', async () => {
    fx.emulator.failToken(DEVICE_TOKEN, { status: 500, reason: 'InternalServerError', times: 1 });
    const provider = fx.provider();
    const outcome = await provider.send(voipPush());
    expect(outcome).toEqual({
      kind: 'retryable',
      response: {
        code: 500,
        reason: 'InternalServerError - An internal server error occurred.',
        body: { reason: 'InternalServerError' },
        url: urlFor(DEVICE_TOKEN),
      },
    });
    expect((await provider.send(voipPush())).kind).toBe('delivered');
  });

  it('429 with retry-after: retryable with retryAfterMs', async () => {
    fx.emulator.failToken(DEVICE_TOKEN, { status: 429, reason: 'TooManyRequests', retryAfterSeconds: 30 });
    const outcome = await fx.provider().send(voipPush());
    expect(outcome).toMatchObject({ kind: 'retryable', retryAfterMs: 30_000, response: { code: 429 } });
    expect(outcome.response.reason).toBe(
      'TooManyRequests - Too many requests were made consecutively to the same device token.',
    );
  });

  it('a request APNs refuses (topic not for a VoIP push): rejected with its code', async () => {
    const push = { ...voipPush(), headers: { ...VOIP_HEADERS, 'apns-topic': BUNDLE_ID } };
    const outcome = await fx.provider().send(push);
    expect(outcome.kind).toBe('rejected');
    expect(outcome.response).toMatchObject({
      code: 400,
      reason: 'DeviceTokenNotForTopic - The device token does not match the specified topic.',
    });
  });

  it('ExpiredProviderToken: invalidates, resends once with a fresh token, delivered', async () => {
    const ours = new ManualClock(fx.apnsClock.now());
    const provider = fx.provider({ tokens: fx.tokenSource(ours) });
    expect((await provider.send(voipPush())).kind).toBe('delivered');

    // Our token is 30 min old (fresh to us), but APNs's clock says 61 min: it is expired there.
    ours.advance(30 * MINUTE);
    fx.apnsClock.advance(61 * MINUTE);
    const outcome = await provider.send(voipPush());

    expect(outcome.kind).toBe('delivered');
    const [first, expired, resent] = fx.emulator.requests;
    expect(expired).toMatchObject({ status: 403, reason: 'ExpiredProviderToken' });
    expect(resent).toMatchObject({ status: 200 });
    expect(fx.emulator.requests).toHaveLength(3);
    const jwtOf = (r: typeof first) => (r?.auth.kind === 'token' ? r.auth.jwt : undefined);
    expect(jwtOf(expired)).toBe(jwtOf(first));
    expect(jwtOf(resent)).not.toBe(jwtOf(expired));
    expect(fx.emulator.providerTokens(TEAM_ID, KEY_ID)).toEqual([jwtOf(first), jwtOf(resent)]);
  });

  it('ExpiredProviderToken again after the resend: no third attempt, rejected 403', async () => {
    const ours = new ManualClock(fx.apnsClock.now());
    const provider = fx.provider({ tokens: fx.tokenSource(ours) });
    // APNs's clock runs an hour ahead of ours: every token we mint is already expired there.
    fx.apnsClock.advance(61 * MINUTE);
    const outcome = await provider.send(voipPush());
    expect(fx.emulator.requests.map((r) => r.reason)).toEqual(['ExpiredProviderToken', 'ExpiredProviderToken']);
    expect(outcome).toMatchObject({ kind: 'rejected', response: { code: 403 } });
    expect(outcome.response.reason).toBe(
      'ExpiredProviderToken - The provider token is stale and a new token should be generated.',
    );
  });

  it('3 worker processes sending at once use one provider token; past 45 min exactly one new one', async () => {
    const providers = [fx.provider(), fx.provider(), fx.provider()];
    const sendAll = () =>
      Promise.all(Array.from({ length: 30 }, (_, i) => providers[i % 3]!.send(voipPush(DEVICE_TOKEN, `c${i}`))));

    expect((await sendAll()).every((o) => o.kind === 'delivered')).toBe(true);
    expect(fx.emulator.providerTokens(TEAM_ID, KEY_ID)).toHaveLength(1);

    fx.apnsClock.advance(46 * MINUTE);
    // Any second token within 20 min of the first would be answered TooManyProviderTokenUpdates.
    expect((await sendAll()).every((o) => o.kind === 'delivered')).toBe(true);
    expect(fx.emulator.providerTokens(TEAM_ID, KEY_ID)).toHaveLength(2);
  });
});

describe('ApnsProvider: provider token store trouble', () => {
  it('the store cannot give a token: retryable 500, nothing sent', async () => {
    const tokens = { get: () => Promise.reject(new Error('Redis is down')), invalidate: () => Promise.resolve() };
    const outcome = await fx.provider({ tokens }).send(voipPush());
    expect(outcome).toEqual({
      kind: 'retryable',
      response: { code: 500, reason: 'No APNs provider token: Redis is down', body: {}, url: urlFor(DEVICE_TOKEN) },
    });
    expect(fx.emulator.requests).toHaveLength(0);
  });

  it('the store hangs: the send deadline still ends the send', async () => {
    const tokens = { get: () => new Promise<string>(() => undefined), invalidate: () => Promise.resolve() };
    const outcome = await fx.provider({ tokens, requestTimeoutMs: 200 }).send(voipPush());
    expect(outcome).toMatchObject({
      kind: 'retryable',
      response: { code: 500, reason: 'Timeout: no answer from APNs within 200 ms' },
    });
  });

  it('token auth without a token store is a configuration error', () => {
    const options = { appId: 'x', host: '127.0.0.1', port: fx.emulator.port, auth: fx.tokenAuth };
    expect(() => new ApnsProvider(options)).toThrow(/no provider-token source/);
  });
});

describe('ApnsProvider: certificate auth and TLS trust', () => {
  it('presents the client certificate; no authorization header', async () => {
    const client = fx.ca.issueClient({ commonName: `Apple Push Services: ${BUNDLE_ID}`, uid: BUNDLE_ID });
    const provider = fx.provider({
      auth: { kind: 'certificate', certFile: 'cert.pem', certPem: client.cert, keyFile: 'key.pem', keyPem: client.key },
    });
    const outcome = await provider.send(voipPush());
    expect(outcome.kind).toBe('delivered');
    const [request] = fx.emulator.requests;
    expect(request!.auth).toMatchObject({ kind: 'certificate', uid: BUNDLE_ID });
    expect(request!.headers).toEqual({ ...VOIP_HEADERS });
  });

  it('a server certificate from a CA we do not trust: retryable 500 with Sylk words, nothing sent', async () => {
    const outcome = await fx.provider({ caPem: createTestCa('Someone Else').cert }).send(voipPush());
    expect(outcome).toEqual({
      kind: 'retryable',
      response: { code: 500, reason: UNTRUSTED_CERTIFICATE_REASON, body: {}, url: urlFor(DEVICE_TOKEN) },
    });
    expect(fx.emulator.requests).toHaveLength(0);
  });

  it('no caPem: the default CA list applies, which does not hold the test CA', async () => {
    const outcome = await fx.provider({ caPem: null }).send(voipPush());
    expect(outcome.kind).toBe('retryable');
    expect(outcome.response.reason).toBe(UNTRUSTED_CERTIFICATE_REASON);
  });
});
