// The same push sent twice, one after the other or at once, through v1 and v2, reaches the device once
// (DECISIONS 9: the idempotency key is the job id).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness/index.js';
import { appleToken, messagePush, pushIdOf, SYLK_APP } from './support/pushes.js';
import { queuesIdle } from './support/queue-state.js';
import { waitUntil } from './support/wait-until.js';

const CONCURRENT_COPIES = 10;
const ACCOUNT = 'idem@example.com';
const VOIP = appleToken(7, 1);
const BACKGROUND = appleToken(7, 2);

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.close();
});

/** The device tokens each push id reached (accepted answers only), one entry per delivery. */
function arrivals(id: string): string[] {
  const { apns, fcm } = stack.sandbox;
  return [
    ...apns.requests.filter((r) => r.delivered && pushIdOf(r.json) === id).map((r) => r.token ?? ''),
    ...fcm.requests.filter((r) => r.status === 200 && pushIdOf(r.json) === id).map((r) => r.token ?? ''),
  ].sort();
}

/** Once no job is left, nothing more can arrive: the counts below are final. */
const settled = () => waitUntil(() => queuesIdle(stack.redis.url), { timeoutMs: 20_000 });

const v2Push = (id: string) => ({ event: 'message', 'call-id': id, from: 'alice@example.com', to: ACCOUNT, 'media-type': 'chat', content: 'hi' });

describe('idempotency', () => {
  it('v1, sequential: the second copy is answered with the first one’s result and sends nothing', async () => {
    const body = messagePush({ platform: 'apple', token: appleToken(7, 10), id: 'idem-v1-seq' });
    const first = await stack.post('/push', body);
    const second = await stack.post('/push', body);
    expect(first.status).toBe(200);
    expect(second).toMatchObject({ status: 200, json: first.json });
    await settled();
    expect(arrivals('idem-v1-seq')).toEqual([appleToken(7, 10)]);
  });

  it('v1, concurrent: copies racing each other make one push', async () => {
    const body = messagePush({ platform: 'firebase', token: 'fcm-idem', id: 'idem-v1-conc' });
    const answers = await Promise.all(Array.from({ length: CONCURRENT_COPIES }, () => stack.post('/push', body)));
    expect(answers.map((a) => a.status)).toEqual(Array(CONCURRENT_COPIES).fill(200));
    await settled();
    expect(arrivals('idem-v1-conc')).toEqual(['fcm-idem']);
  });

  it('v1: another event with the same call-id is another push', async () => {
    const body = messagePush({ platform: 'apple', token: appleToken(7, 11), id: 'idem-v1-event' });
    expect((await stack.post('/push', body)).status).toBe(200);
    expect((await stack.post('/push', { ...body, event: 'transfer', filename: 'a.txt', filetype: 'text/plain' })).status).toBe(200);
    await settled();
    expect(arrivals('idem-v1-event')).toEqual([appleToken(7, 11), appleToken(7, 11)]);
  });

  it('v1: a request that differs in any other field is a new push, sent as Sylk sends it (issue 7.1)', async () => {
    const token = appleToken(7, 12);
    const body = messagePush({ platform: 'apple', token, id: 'idem-v1-fields' });
    const variants = [body, { ...body, badge: 5 }, { ...body, content: 'another text' }, { ...body, silent: false }, { ...body, 'from-display-name': 'Alice B' }];
    const answers = await Promise.all(variants.map((v) => stack.post('/push', v)));
    expect(answers.map((a) => a.status)).toEqual(variants.map(() => 200));
    await settled();
    expect(arrivals('idem-v1-fields')).toEqual(variants.map(() => token));
    const badges = stack.sandbox.apns.requests
      .filter((r) => r.delivered && pushIdOf(r.json) === 'idem-v1-fields')
      .map((r) => (r.json as { aps?: { badge?: number } }).aps?.badge)
      .sort();
    expect(badges).toEqual([1, 1, 1, 1, 5]);
  });

  describe('v2', () => {
    beforeAll(async () => {
      const apple = await stack.post(`/v2/tokens/${ACCOUNT}`, { 'app-id': SYLK_APP, platform: 'apple', token: `${VOIP}-${BACKGROUND}`, 'device-id': 'idem-iphone' });
      const android = await stack.post(`/v2/tokens/${ACCOUNT}`, { 'app-id': SYLK_APP, platform: 'firebase', token: 'fcm-idem-v2', 'device-id': 'idem-android' });
      expect([apple.status, android.status]).toEqual([200, 200]);
    });

    it('sequential: one push per device', async () => {
      const first = await stack.post(`/v2/tokens/${ACCOUNT}/push`, v2Push('idem-v2-seq'));
      const second = await stack.post(`/v2/tokens/${ACCOUNT}/push`, v2Push('idem-v2-seq'));
      expect([first.status, second.status]).toEqual([200, 200]);
      await settled();
      expect(arrivals('idem-v2-seq')).toEqual([BACKGROUND, 'fcm-idem-v2'].sort());
    });

    it('concurrent: copies racing each other make one push per device', async () => {
      const answers = await Promise.all(Array.from({ length: CONCURRENT_COPIES }, () => stack.post(`/v2/tokens/${ACCOUNT}/push`, v2Push('idem-v2-conc'))));
      expect(answers.map((a) => a.status)).toEqual(Array(CONCURRENT_COPIES).fill(200));
      await settled();
      expect(arrivals('idem-v2-conc')).toEqual([BACKGROUND, 'fcm-idem-v2'].sort());
    });

    it('a push whose body differs (badge) is a new push to every device (issue 7.1)', async () => {
      expect((await stack.post(`/v2/tokens/${ACCOUNT}/push`, v2Push('idem-v2-diff'))).status).toBe(200);
      expect((await stack.post(`/v2/tokens/${ACCOUNT}/push`, { ...v2Push('idem-v2-diff'), badge: 3 })).status).toBe(200);
      await settled();
      expect(arrivals('idem-v2-diff')).toEqual([BACKGROUND, BACKGROUND, 'fcm-idem-v2', 'fcm-idem-v2']);
    });

    it('a push to one device, then to the account, still reaches that device once', async () => {
      expect((await stack.post(`/v2/tokens/${ACCOUNT}/push/idem-iphone`, v2Push('idem-v2-device'))).status).toBe(200);
      expect((await stack.post(`/v2/tokens/${ACCOUNT}/push`, v2Push('idem-v2-device'))).status).toBe(200);
      await settled();
      expect(arrivals('idem-v2-device')).toEqual([BACKGROUND, 'fcm-idem-v2'].sort());
    });
  });
});
