// One app's push service hanging must not hold up another app: Linphone Apple's every stream stalls while
// all of Sylk's Apple and Firebase pushes complete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness/index.js';
import { byStatus, postAll, type PushPost } from './support/load.js';
import { appleToken, deliveredIds, linphoneCallPush, messagePush } from './support/pushes.js';
import { waitUntil } from './support/wait-until.js';

/** More stalled wake-ups than the worker's concurrency for one queue (50), so that queue is saturated. */
const STALLED_PUSHES = 120;
const SYLK_PUSHES = 1000;
const STALLED_TOKENS = [0, 1, 2, 3].map((n) => appleToken(5, n));

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ server: { return_async: 'false' } });
});
afterAll(async () => {
  // The stalled sends would hold a graceful stop for their whole deadline; this test is not about stopping.
  await Promise.all(stack?.workers.map((w) => w.stop('SIGKILL')) ?? []);
  await stack?.close();
});

describe('bulkhead between apps', () => {
  it('delivers every Sylk push while every Linphone Apple stream is stalled', async () => {
    const { apns } = stack.sandbox;
    for (const token of STALLED_TOKENS) apns.failToken(token, { stall: true });

    const stalled: PushPost[] = Array.from({ length: STALLED_PUSHES }, (_, i) => {
      const id = `linphone-${i}`;
      return {
        id,
        path: '/push',
        body: linphoneCallPush({ platform: 'apple', token: STALLED_TOKENS[i % STALLED_TOKENS.length]!, id }),
      };
    });
    expect([...byStatus(await postAll(stack.url, stalled, 20)).keys()]).toEqual([202]);
    const linphoneArrived = () => apns.requests.filter((r) => STALLED_TOKENS.includes(r.token ?? '')).length;
    // The Linphone queue is now saturated with streams APNs never answers.
    await waitUntil(() => linphoneArrived() >= 50, {
      describe: () => `${linphoneArrived()} Linphone requests at APNs`,
    });

    const sylk: PushPost[] = Array.from({ length: SYLK_PUSHES }, (_, i) => {
      const id = `sylk-${i}`;
      const platform = i % 2 === 0 ? 'apple' : 'firebase';
      return {
        id,
        path: '/push',
        body: messagePush({
          platform,
          token: platform === 'apple' ? appleToken(6, i % 8) : `fcm-bulkhead-${i % 8}`,
          id,
        }),
      };
    });
    expect([...byStatus(await postAll(stack.url, sylk, 40)).keys()]).toEqual([202]);
    const sylkDelivered = () => [...deliveredIds(stack.sandbox).keys()].filter((id) => id.startsWith('sylk-')).length;
    await waitUntil(() => sylkDelivered() === SYLK_PUSHES, {
      timeoutMs: 60_000,
      describe: () => `${sylkDelivered()} of ${SYLK_PUSHES} Sylk pushes delivered`,
    });

    // Meanwhile not one Linphone push got through: they were all still held.
    const linphone = apns.requests.filter((r) => STALLED_TOKENS.includes(r.token ?? ''));
    expect(linphone.length).toBeGreaterThanOrEqual(50);
    expect(linphone.every((r) => r.status === 0)).toBe(true);
    console.log(`bulkhead: ${JSON.stringify({ sylk_delivered: sylkDelivered(), linphone_held: linphone.length })}`);
  });
});
