// A Web Push service outage in a running stack: the browser app's circuit opens and holds its pushes without a
// request, while the same app id on APNs and FCM keeps delivering.
import { Redis } from 'ioredis';
import { pushQueueName } from '@pushwire/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findJobId, startStack, type Stack } from '../harness/index.js';
import { appleToken, messagePush, SYLK_APP } from './support/pushes.js';
import { waitUntil } from './support/wait-until.js';

const THRESHOLD = 4;

let stack: Stack;
let redis: Redis;
beforeAll(async () => {
  stack = await startStack({
    server: { return_async: 'false' },
    env: {
      PUSHWIRE_RETRY_BASE_MS: '50',
      PUSHWIRE_CIRCUIT_THRESHOLD: String(THRESHOLD),
      PUSHWIRE_CIRCUIT_COOLDOWN_MS: '60000',
    },
  });
  redis = new Redis(stack.redis.url);
});
afterAll(async () => {
  redis?.disconnect();
  await stack?.close();
});

function webToken(): string {
  const { endpoint, keys } = stack.sandbox.webpush.subscribe();
  return JSON.stringify({ endpoint, keys });
}

describe('Web Push outage', () => {
  it("opens the Web Push app's circuit only: its pushes are held without a request, APNs and FCM deliver", async () => {
    const { apns, fcm, webpush } = stack.sandbox;
    webpush.outage(503);
    for (let n = 0; n < THRESHOLD; n += 1) {
      expect(
        (await stack.post('/push', messagePush({ platform: 'webpush', token: webToken(), id: `web-down-${n}` })))
          .status,
      ).toBe(202);
    }
    await stack.workers[0]!.waitFor(`circuit breaker of ${SYLK_APP} (webpush): closed -> open`, 15_000);

    // The service answers again, but the open circuit keeps this app's pushes off it.
    webpush.outage(null);
    const whenOpened = webpush.requests.length;
    const held = webToken();
    expect((await stack.post('/push', messagePush({ platform: 'webpush', token: held, id: 'web-held' }))).status).toBe(
      202,
    );
    const queue = pushQueueName(SYLK_APP, 'webpush');
    const heldId = async () =>
      (await findJobId(redis, 'pushwire', queue, { callId: 'web-held', token: held })) ?? 'none';
    await waitUntil(async () => (await heldId()) !== 'none');
    const jobKey = `pushwire:${queue}:${await heldId()}`;
    await waitUntil(async () => (await redis.hget(jobKey, 'failedReason')) !== null);
    expect(await redis.hget(jobKey, 'failedReason')).toBe('503 circuit open - Web Push unavailable');

    // The same app on the other push services is not affected.
    const apple = appleToken(11, 1);
    expect(
      (await stack.post('/push', messagePush({ platform: 'apple', token: apple, id: 'web-outage-apple' }))).status,
    ).toBe(202);
    expect(
      (await stack.post('/push', messagePush({ platform: 'firebase', token: 'fcm-web-outage', id: 'web-outage-fcm' })))
        .status,
    ).toBe(202);
    await waitUntil(() => apns.requests.some((r) => r.token === apple && r.status === 200));
    await waitUntil(() => fcm.requests.some((r) => r.token === 'fcm-web-outage' && r.status === 200));

    expect(webpush.requests.length).toBe(whenOpened);
    expect(stack.workers[0]!.output()).not.toMatch(/circuit breaker of \S+ \((apple|firebase)\): closed -> open/);
  });
});
