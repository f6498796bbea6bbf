// The per-app circuit breaker in a running stack: an app whose push service keeps failing stops being sent
// to (its pushes wait as delayed retries), while other apps, even on the same push service, deliver.
import { Redis } from 'ioredis';
import { pushQueueName } from '@pushwire/queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findJobId, startStack, type Stack } from '../harness/index.js';
import { appleToken, linphoneCallPush, messagePush, SYLK_APP } from './support/pushes.js';
import { waitUntil } from './support/wait-until.js';

const THRESHOLD = 5;
const SYLK_TOPIC = 'com.pushwire.sandbox.sylk';

let stack: Stack;
let redis: Redis;
beforeAll(async () => {
  stack = await startStack({
    server: { return_async: 'false' },
    // A cool-down far longer than the test: what happens while the circuit is open is not a race.
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

describe('circuit breaker', () => {
  it('opens for the failing app only: its pushes are held without a request, other apps deliver', async () => {
    const { apns, fcm } = stack.sandbox;
    const broken = Array.from({ length: THRESHOLD }, (_, n) => appleToken(7, n));
    for (const token of broken) apns.failToken(token, { status: 503, reason: 'ServiceUnavailable' });
    for (const [n, token] of broken.entries()) {
      expect((await stack.post('/push', messagePush({ platform: 'apple', token, id: `broken-${n}` }))).status).toBe(
        202,
      );
    }
    await stack.workers[0]!.waitFor(`circuit breaker of ${SYLK_APP} (apple): closed -> open`, 15_000);
    const sylkRequests = () => apns.requests.filter((r) => r.headers['apns-topic'] === SYLK_TOPIC).length;

    // The same push service answers again, but the open circuit keeps this app's pushes off it.
    apns.clearFaults();
    const held = appleToken(8, 1);
    expect((await stack.post('/push', messagePush({ platform: 'apple', token: held, id: 'held-1' }))).status).toBe(202);
    const heldId = async () =>
      (await findJobId(redis, 'pushwire', pushQueueName(SYLK_APP, 'apple'), { callId: 'held-1', token: held })) ??
      'none';
    await waitUntil(async () => (await heldId()) !== 'none');
    const jobKey = `pushwire:${pushQueueName(SYLK_APP, 'apple')}:${await heldId()}`;
    await waitUntil(async () => (await redis.hget(jobKey, 'failedReason')) !== null);
    expect(await redis.hget(jobKey, 'failedReason')).toBe('503 circuit open - APNs unavailable');
    expect(await redis.zscore(`pushwire:${pushQueueName(SYLK_APP, 'apple')}:delayed`, await heldId())).not.toBeNull();
    // Sends let through before the circuit opened have all landed by now.
    const whenOpened = sylkRequests();

    // Other apps are isolated: another app on the same APNs, and the same app on FCM, deliver.
    const linphone = appleToken(9, 1);
    expect(
      (await stack.post('/push', linphoneCallPush({ platform: 'apple', token: linphone, id: 'other-app' }))).status,
    ).toBe(202);
    expect(
      (await stack.post('/push', messagePush({ platform: 'firebase', token: 'fcm-isolated', id: 'other-platform' })))
        .status,
    ).toBe(202);
    await waitUntil(() => apns.requests.some((r) => r.token === linphone && r.status === 200));
    await waitUntil(() => fcm.requests.some((r) => r.token === 'fcm-isolated' && r.status === 200));

    expect(apns.requests.filter((r) => r.token === held)).toEqual([]);
    expect(sylkRequests()).toBe(whenOpened);
  });

  it("a Huawei Push Kit outage opens only the Huawei app's circuit: the same app on FCM and other apps deliver", async () => {
    const { huawei, fcm, apns } = stack.sandbox;
    huawei.failAll({ http: 503 });
    for (let n = 0; n < THRESHOLD; n++) {
      expect(
        (
          await stack.post('/push', {
            ...messagePush({ platform: 'firebase', token: `hw-down-${n}`, id: `hw-down-${n}` }),
            platform: 'huawei',
          })
        ).status,
      ).toBe(202);
    }
    await stack.workers[0]!.waitFor(`circuit breaker of ${SYLK_APP} (huawei): closed -> open`, 15_000);
    const whenOpened = huawei.sends.length;

    huawei.failAll(null);
    expect(
      (
        await stack.post('/push', {
          ...messagePush({ platform: 'firebase', token: 'hw-held', id: 'hw-held' }),
          platform: 'huawei',
        })
      ).status,
    ).toBe(202);
    const heldId = async () =>
      (await findJobId(redis, 'pushwire', pushQueueName(SYLK_APP, 'huawei'), {
        callId: 'hw-held',
        token: 'hw-held',
      })) ?? 'none';
    await waitUntil(async () => (await heldId()) !== 'none');
    const jobKey = `pushwire:${pushQueueName(SYLK_APP, 'huawei')}:${await heldId()}`;
    await waitUntil(async () => (await redis.hget(jobKey, 'failedReason')) !== null);
    expect(await redis.hget(jobKey, 'failedReason')).toBe('503 circuit open - Push Kit unavailable');

    expect(
      (
        await stack.post(
          '/push',
          messagePush({ platform: 'firebase', token: 'fcm-beside-huawei', id: 'fcm-beside-huawei' }),
        )
      ).status,
    ).toBe(202);
    const linphone = appleToken(10, 1);
    expect(
      (await stack.post('/push', linphoneCallPush({ platform: 'apple', token: linphone, id: 'apple-beside-huawei' })))
        .status,
    ).toBe(202);
    await waitUntil(() => fcm.requests.some((r) => r.token === 'fcm-beside-huawei' && r.status === 200));
    await waitUntil(() => apns.requests.some((r) => r.token === linphone && r.status === 200));
    expect(huawei.sends.filter((s) => s.token === 'hw-held')).toEqual([]);
    expect(huawei.sends.length).toBe(whenOpened);
  });
});
