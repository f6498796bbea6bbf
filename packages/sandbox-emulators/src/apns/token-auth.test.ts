// Token-based auth: JWT validity, age on the injected clock, and the 20-minute token-update limit.
import { generateKeyPairSync } from 'node:crypto';
import type { ClientHttp2Session } from 'node:http2';
import { SignJWT } from 'jose';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '@pushwire/core';
import { createTestCa } from '../tls.js';
import { startApnsEmulator } from './apns-emulator.js';
import { closeSession, createSigningKey, mintToken, openSession, post } from '../test-support/h2-client.js';
import type { ApnsEmulator } from './types.js';

const MINUTE = 60_000;
const TOPIC = 'com.example.phone';

describe('APNs emulator token auth', () => {
  const ca = createTestCa();
  const key = createSigningKey('TEAM000001', 'KEY0000001');
  const clock = new ManualClock(Date.UTC(2025, 0, 1, 12));
  const nowSeconds = (): number => Math.floor(clock.now() / 1000);
  let emulator: ApnsEmulator;
  let session: ClientHttp2Session;

  beforeAll(async () => {
    emulator = await startApnsEmulator({ tls: ca.issueServer(), clock, keys: [key] });
    session = await openSession(emulator.origin, { ca: ca.cert });
  });
  afterEach(() => emulator.reset());
  afterAll(async () => {
    await closeSession(session);
    await emulator.close();
  });

  const push = (jwt: string | null) =>
    post(session, {
      ...(jwt === null ? {} : { authorization: `bearer ${jwt}` }),
      'apns-topic': TOPIC,
      'apns-push-type': 'alert',
    });

  it('accepts a fresh ES256 token of a known key, with a case-insensitive "bearer"', async () => {
    const jwt = await mintToken(key, nowSeconds());
    const response = await post(session, { authorization: `Bearer ${jwt}`, 'apns-topic': TOPIC });
    expect(response.status).toBe(200);
    expect(emulator.providerTokens(key.teamId, key.keyId)).toEqual([jwt]);
  });

  it('answers 403 MissingProviderToken without a bearer token or a client certificate', async () => {
    const response = await push(null);
    expect([response.status, response.json]).toEqual([403, { reason: 'MissingProviderToken' }]);
    expect(emulator.requests[0]?.auth).toEqual({ kind: 'none' });
  });

  it.each([
    ['an unknown kid', { kid: 'KEYUNKNOWN' }],
    ['an iss that is not the key’s team', { iss: 'OTHERTEAM1' }],
    ['no iat', { omitIat: true }],
  ])('answers 403 InvalidProviderToken for %s', async (_name, overrides) => {
    const response = await push(await mintToken(key, nowSeconds(), overrides));
    expect([response.status, response.json]).toEqual([403, { reason: 'InvalidProviderToken' }]);
  });

  it('answers 403 InvalidProviderToken for a signature by another key and for garbage', async () => {
    const impostor = createSigningKey(key.teamId, key.keyId);
    expect((await push(await mintToken(impostor, nowSeconds()))).json).toEqual({ reason: 'InvalidProviderToken' });
    expect((await push('not.a.jwt')).json).toEqual({ reason: 'InvalidProviderToken' });
    expect(emulator.providerTokens(key.teamId, key.keyId)).toEqual([]);
  });

  it('answers 403 InvalidProviderToken for a token not signed with ES256', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs256 = await new SignJWT({ iss: key.teamId, iat: nowSeconds() })
      .setProtectedHeader({ alg: 'RS256', kid: key.keyId })
      .sign(privateKey);
    expect((await push(rs256)).json).toEqual({ reason: 'InvalidProviderToken' });
  });

  it('answers 403 ExpiredProviderToken once iat is more than an hour old on the clock', async () => {
    const jwt = await mintToken(key, nowSeconds());
    expect((await push(jwt)).status).toBe(200);
    clock.advance(60 * MINUTE);
    expect((await push(jwt)).status).toBe(200);
    clock.advance(1000);
    const response = await push(jwt);
    expect([response.status, response.json]).toEqual([403, { reason: 'ExpiredProviderToken' }]);
  });

  it('tolerates a minute of clock skew on iat, then answers InvalidProviderToken', async () => {
    expect((await push(await mintToken(key, nowSeconds() + 60))).status).toBe(200);
    emulator.reset();
    const response = await push(await mintToken(key, nowSeconds() + 61));
    expect([response.status, response.json]).toEqual([403, { reason: 'InvalidProviderToken' }]);
  });

  it('answers 429 TooManyProviderTokenUpdates to a second token within 20 minutes, accepts it after', async () => {
    const first = await mintToken(key, nowSeconds());
    const second = await mintToken(key, nowSeconds()); // same iat, other signature: another token
    expect((await push(first)).status).toBe(200);
    const refused = await push(second);
    expect([refused.status, refused.json]).toEqual([429, { reason: 'TooManyProviderTokenUpdates' }]);
    expect((await push(first)).status).toBe(200);

    clock.advance(20 * MINUTE - 1000);
    expect((await push(second)).status).toBe(429);
    clock.advance(1000);
    expect((await push(second)).status).toBe(200);
    // The second token is now the current one: the first has become the stale one.
    expect((await push(first)).status).toBe(429);
    expect(emulator.providerTokens(key.teamId, key.keyId)).toEqual([first, second]);
  });

  it('keeps the token-update limit per key', async () => {
    const other = createSigningKey('TEAM000002', 'KEY0000002');
    emulator.addKey(other);
    expect((await push(await mintToken(key, nowSeconds()))).status).toBe(200);
    expect((await push(await mintToken(other, nowSeconds()))).status).toBe(200);
    expect(emulator.providerTokens(other.teamId, other.keyId)).toHaveLength(1);
  });

  it('counts the distinct tokens N workers mint, the "one token for N workers" check', async () => {
    const minted = await Promise.all([1, 2, 3].map(() => mintToken(key, nowSeconds())));
    const statuses = [];
    for (const jwt of minted) statuses.push((await push(jwt)).status);
    expect(statuses).toEqual([200, 429, 429]);
    expect(emulator.providerTokens(key.teamId, key.keyId)).toEqual(minted);
  });

  it('rejects a signing key that is not P-256', () => {
    const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    expect(() => emulator.addKey({ teamId: 'T', keyId: 'K', publicKeyPem })).toThrow(/P-256/);
  });
});
