// The provider against the strict emulator: what it sends (VAPID, aes128gcm, headers) and how it maps answers.
import { createECDH } from 'node:crypto';
import type { Server } from 'node:https';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutgoingPush, VapidAuth } from '@pushwire/core';
import { createTestCa, startWebPushEmulator, type WebPushEmulator } from '@pushwire/sandbox-emulators';
import { WebPushProvider } from './webpush-provider.js';

function vapidAuth(): VapidAuth {
  const ecdh = createECDH('prime256v1');
  do ecdh.generateKeys();
  while (ecdh.getPrivateKey().length !== 32);
  return {
    kind: 'vapid',
    subject: 'mailto:ops@example.com',
    file: 'vapid.json',
    publicKey: ecdh.getPublicKey().toString('base64url'),
    privateKey: ecdh.getPrivateKey().toString('base64url'),
  };
}

const ca = createTestCa();
const auth = vapidAuth();
let emulator: WebPushEmulator;
let provider: WebPushProvider;
beforeAll(async () => {
  emulator = await startWebPushEmulator({ tls: ca.issueServer() });
  provider = new WebPushProvider({
    appId: 'web.app',
    auth,
    allowedHosts: ['127.0.0.1'],
    caPem: ca.cert,
    requestTimeoutMs: 5000,
  });
});
afterAll(async () => {
  await provider.close();
  await emulator.close();
});

function pushTo(
  token: string,
  payload: unknown = { event: 'incoming_session', 'call-id': 'c1' },
  headers: Record<string, string> = { TTL: '42', Urgency: 'high', Topic: 'abc' },
): OutgoingPush {
  return { token, headers, payload };
}
const tokenOf = (s: { endpoint: string; keys: unknown }) => JSON.stringify({ endpoint: s.endpoint, keys: s.keys });

describe('WebPushProvider', () => {
  it('delivers: the emulator verified VAPID (aud = origin, exp ≤ 24 h, k) and decrypted the payload', async () => {
    const sub = emulator.subscribe({ applicationServerKey: auth.publicKey });
    const outcome = await provider.send(pushTo(tokenOf(sub)));
    expect(outcome).toMatchObject({
      kind: 'delivered',
      response: { code: 200, reason: '', url: sub.endpoint, body: { status_code: 201 } },
    });
    const [got] = emulator.received(sub.id);
    expect(got).toMatchObject({
      ttl: 42,
      urgency: 'high',
      topic: 'abc',
      json: { event: 'incoming_session', 'call-id': 'c1' },
      headers: { 'content-encoding': 'aes128gcm' },
    });
    const exp = got!.vapid!.exp as number;
    expect(got!.vapid).toMatchObject({ aud: emulator.origin, sub: 'mailto:ops@example.com' });
    expect(exp * 1000 - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000);
    expect(got!.headers.authorization).toContain(`k=${auth.publicKey}`);
  });

  it('signs one VAPID JWT per push service origin, not one per push', async () => {
    const sub = emulator.subscribe();
    await provider.send(pushTo(tokenOf(sub)));
    await provider.send(pushTo(tokenOf(sub)));
    const [a, b] = emulator.requests.filter((r) => r.id === sub.id);
    expect(a!.headers.authorization).toBe(b!.headers.authorization);
  });

  it("another app's VAPID key on a bound subscription → 403, rejected", async () => {
    const sub = emulator.subscribe({ applicationServerKey: vapidAuth().publicKey });
    expect(await provider.send(pushTo(tokenOf(sub)))).toMatchObject({ kind: 'rejected', response: { code: 403 } });
  });

  it('an unsubscribed browser → 410 dead token', async () => {
    const sub = emulator.subscribe();
    emulator.unsubscribe(sub.id);
    expect(await provider.send(pushTo(tokenOf(sub)))).toMatchObject({ kind: 'dead-token', response: { code: 410 } });
  });

  it('429 Retry-After → retryable with the delay', async () => {
    const sub = emulator.subscribe();
    emulator.failSubscription(sub.id, { status: 429, retryAfterSeconds: 7, times: 1 });
    expect(await provider.send(pushTo(tokenOf(sub)))).toMatchObject({
      kind: 'retryable',
      retryAfterMs: 7000,
      response: { code: 429 },
    });
  });

  it('a payload over 4096 bytes → 413 rejected', async () => {
    const sub = emulator.subscribe();
    expect(await provider.send(pushTo(tokenOf(sub), { content: 'x'.repeat(5000) }))).toMatchObject({
      kind: 'rejected',
      response: { code: 413 },
    });
  });

  it('refuses at push time an endpoint off the allow-list (stored before the list changed): nothing is sent', async () => {
    const before = emulator.requests.length;
    const sub = emulator.subscribe();
    const narrow = new WebPushProvider({
      appId: 'web.app',
      auth,
      allowedHosts: ['fcm.googleapis.com'],
      caPem: ca.cert,
    });
    try {
      const outcome = await narrow.send(pushTo(tokenOf(sub)));
      expect(outcome).toMatchObject({
        kind: 'rejected',
        response: {
          code: 400,
          reason:
            'invalid Web Push subscription: endpoint host 127.0.0.1 is not an allowed push service (webpush_allowed_hosts)',
        },
      });
    } finally {
      await narrow.close();
    }
    expect(emulator.requests.length).toBe(before);
  });

  it('a dropped connection → retryable 500 with no body', async () => {
    const sub = emulator.subscribe();
    emulator.failSubscription(sub.id, { drop: true, times: 1 });
    const outcome = await provider.send(pushTo(tokenOf(sub)));
    expect(outcome).toMatchObject({
      kind: 'retryable',
      response: { code: 500, body: {}, reason: expect.stringMatching(/^Web Push connection error/) },
    });
  });

  it('an abort (the call deadline) ends a send the push service sits on', async () => {
    const silent: Server = createServer({ ...ca.issueServer() }, () => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const sub = emulator.subscribe();
    const controller = new AbortController();
    const sending = provider.send(
      pushTo(tokenOf({ endpoint: `https://127.0.0.1:${port}/wpush/v2/x`, keys: sub.keys })),
      { signal: controller.signal },
    );
    controller.abort(new Error('call deadline'));
    expect(await sending).toMatchObject({
      kind: 'retryable',
      response: { code: 500, reason: 'Web Push request aborted: call deadline' },
    });
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });
});
