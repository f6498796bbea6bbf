// The emulator is the oracle of the Web Push tests: it must refuse what a real push service refuses.
import { createECDH } from 'node:crypto';
import { SignJWT, importJWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestCa } from '../tls.js';
import { decryptAes128gcm, uaKeysFrom } from './aes128gcm.js';
import { startWebPushEmulator } from './webpush-emulator.js';
import type { WebPushEmulator } from './types.js';

const ca = createTestCa();
let emulator: WebPushEmulator;
beforeAll(async () => {
  emulator = await startWebPushEmulator({ tls: ca.issueServer() });
});
afterAll(async () => {
  await emulator?.close();
});

function vapidPair() {
  const ecdh = createECDH('prime256v1');
  do ecdh.generateKeys();
  while (ecdh.getPrivateKey().length !== 32);
  const pub = ecdh.getPublicKey();
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    x: pub.subarray(1, 33).toString('base64url'),
    y: pub.subarray(33).toString('base64url'),
    d: ecdh.getPrivateKey().toString('base64url'),
  };
  return { k: pub.toString('base64url'), jwk };
}

async function jwt(
  pair: ReturnType<typeof vapidPair>,
  claims: Record<string, unknown>,
  alg = 'ES256',
): Promise<string> {
  const key = await importJWK(pair.jwk, 'ES256');
  return new SignJWT(claims).setProtectedHeader({ alg, typ: 'JWT' }).sign(key);
}

async function post(path: string, headers: Record<string, string>, body = ''): Promise<number> {
  const { Agent, request } = await import('undici');
  const dispatcher = new Agent({ connect: { ca: ca.cert } });
  try {
    const res = await request(`${emulator.origin}${path}`, { method: 'POST', headers, body, dispatcher });
    await res.body.dump();
    return res.statusCode;
  } finally {
    await dispatcher.close();
  }
}

describe('RFC 8291 decryption', () => {
  it('decrypts the RFC 8291 Appendix A example', () => {
    const keys = uaKeysFrom(
      Buffer.from('q1dXpw3UpT5VOmu_cf_v6ih07Aems3njxI-JWgLcM94', 'base64url'),
      Buffer.from('BTBZMqHH6r4Tts7J_aSIgg', 'base64url'),
    );
    const body = Buffer.from(
      'DGv6ra1nlYgDCS1FRnbzlwAAEABBBP4z9KsN6nGRTbVYI_c7VJSPQTBtkgcy27mlmlMoZIIgDll6e3vCYLocInmYWAmS6TlzAC8wEqKK6PBru3jl7A_yl95bQpu6cVPTpK4Mqgkf1CXztLVBSt2Ks3oZwbuwXPXLWyouBWLVWGNWQexSgSxsj_Qulcy4a-fN',
      'base64url',
    );
    expect(decryptAes128gcm(body, keys).toString('utf8')).toBe('When I grow up, I want to be a watermelon');
  });
});

describe('VAPID checks', () => {
  const pair = vapidPair();
  const now = () => Math.floor(Date.now() / 1000);
  const headers = (t: string, k = pair.k) => ({ authorization: `vapid t=${t}, k=${k}`, ttl: '60' });

  it('accepts a good JWT (then finds no such subscription: 404)', async () => {
    expect(
      await post(
        '/wpush/v2/unknown',
        headers(await jwt(pair, { aud: emulator.origin, exp: now() + 3600, sub: 'mailto:a@b.c' })),
      ),
    ).toBe(404);
  });

  it.each([
    ['no Authorization', async () => ({ ttl: '60' })],
    ['a Bearer token', async () => ({ authorization: 'Bearer x', ttl: '60' })],
    [
      'aud another origin',
      async () =>
        headers(await jwt(pair, { aud: 'https://fcm.googleapis.com', exp: now() + 3600, sub: 'mailto:a@b.c' })),
    ],
    ['exp past', async () => headers(await jwt(pair, { aud: emulator.origin, exp: now() - 10, sub: 'mailto:a@b.c' }))],
    [
      'exp over 24 h ahead',
      async () => headers(await jwt(pair, { aud: emulator.origin, exp: now() + 25 * 3600, sub: 'mailto:a@b.c' })),
    ],
    ['no sub', async () => headers(await jwt(pair, { aud: emulator.origin, exp: now() + 3600 }))],
    [
      'k of another key',
      async () =>
        headers(await jwt(pair, { aud: emulator.origin, exp: now() + 3600, sub: 'mailto:a@b.c' }), vapidPair().k),
    ],
  ])('%s → 401', async (_name, make) => {
    expect(await post('/wpush/v2/unknown', await make())).toBe(401);
  });

  it('refuses a push without TTL (400) and an unencrypted body (400) for a real subscription', async () => {
    const sub = emulator.subscribe();
    const t = await jwt(pair, { aud: emulator.origin, exp: now() + 3600, sub: 'mailto:a@b.c' });
    expect(await post(`/wpush/v2/${sub.id}`, { authorization: `vapid t=${t}, k=${pair.k}` })).toBe(400);
    expect(await post(`/wpush/v2/${sub.id}`, headers(t), 'plain text')).toBe(400);
    expect(await post(`/wpush/v2/${sub.id}`, { ...headers(t), 'content-encoding': 'aes128gcm' }, 'x'.repeat(100))).toBe(
      400,
    );
    expect(await post(`/wpush/v2/${sub.id}`, { ...headers(t), topic: 'not a topic!' })).toBe(400);
    expect(await post(`/wpush/v2/${sub.id}`, headers(t))).toBe(201);
  });

  it('answers by endpoint convention once VAPID checks out', async () => {
    const t = await jwt(pair, { aud: emulator.origin, exp: now() + 3600, sub: 'mailto:a@b.c' });
    expect(await post('/wpush/v2/status-503', headers(t))).toBe(503);
    expect(await post('/wpush/v2/status-429-slow', headers(t))).toBe(429);
    expect(await post('/wpush/v2/status-410', { ttl: '60' })).toBe(401);
  });
});
