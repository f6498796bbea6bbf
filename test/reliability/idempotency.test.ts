// Repeated requests through v1 and v2, counted at the emulators: without an Idempotency-Key every request is a
// new push (as Sylk sends it); with one, a repeat answers the first answer byte for byte and sends nothing,
// another request under the key is 422 and not sent, and copies racing each other make one push.
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

const keyed = (key: string): RequestInit => ({
  headers: { 'content-type': 'application/json', 'idempotency-key': key },
});

const v2Push = (id: string) => ({
  event: 'message',
  'call-id': id,
  from: 'alice@example.com',
  to: ACCOUNT,
  'media-type': 'chat',
  content: 'hi',
});

describe('idempotency', () => {
  describe('v1', () => {
    it('without a key, a repeated request is delivered again, as Sylk sends it', async () => {
      const body = messagePush({ platform: 'apple', token: appleToken(7, 10), id: 'idem-v1-plain' });
      expect((await stack.post('/push', body)).status).toBe(200);
      expect((await stack.post('/push', body)).status).toBe(200);
      await settled();
      expect(arrivals('idem-v1-plain')).toEqual([appleToken(7, 10), appleToken(7, 10)]);
    });

    it('with a key, a repeat gets the first answer byte for byte and sends nothing', async () => {
      const body = messagePush({ platform: 'apple', token: appleToken(7, 11), id: 'idem-v1-key' });
      const first = await stack.post('/push', body, keyed('idem-v1-key'));
      // The same request written differently (alias, coerced value, key order) is the same request.
      const rewritten = Object.fromEntries(
        Object.entries({ ...body, platform: 'ios', silent: '1', badge: '1' }).reverse(),
      );
      const second = await stack.post('/push', rewritten, keyed('idem-v1-key'));
      expect(first.status).toBe(200);
      expect([second.status, second.text]).toEqual([first.status, first.text]);
      await settled();
      expect(arrivals('idem-v1-key')).toEqual([appleToken(7, 11)]);
    });

    it("with a key, another request under it is 422 in Sylk's envelope and is not sent", async () => {
      const body = messagePush({ platform: 'firebase', token: 'fcm-idem-422', id: 'idem-v1-422' });
      expect((await stack.post('/push', body, keyed('idem-v1-422'))).status).toBe(200);
      const other = await stack.post('/push', { ...body, badge: 5 }, keyed('idem-v1-422'));
      expect(other.status).toBe(422);
      expect(other.json).toEqual({
        code: 422,
        description: 'Idempotency-Key was already used for another request: send a new key for a new push',
        data: {},
      });
      await settled();
      expect(arrivals('idem-v1-422')).toEqual(['fcm-idem-422']);
    });

    it('with a key, copies racing each other make one push; every copy answered 200 carries the first answer', async () => {
      const body = messagePush({ platform: 'firebase', token: 'fcm-idem', id: 'idem-v1-conc' });
      const answers = await Promise.all(
        Array.from({ length: CONCURRENT_COPIES }, () => stack.post('/push', body, keyed('idem-v1-conc'))),
      );
      // A copy that arrives while the first is still being accepted is told 409 (retry later); the others wait.
      expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
      const ok = answers.filter((a) => a.status === 200);
      expect(ok.length).toBeGreaterThan(0);
      expect(new Set(ok.map((a) => a.text)).size).toBe(1);
      const retried = await stack.post('/push', body, keyed('idem-v1-conc'));
      expect(retried.text).toBe(ok[0]!.text);
      await settled();
      expect(arrivals('idem-v1-conc')).toEqual(['fcm-idem']);
    });
  });

  describe('v2', () => {
    beforeAll(async () => {
      const apple = await stack.post(`/v2/tokens/${ACCOUNT}`, {
        'app-id': SYLK_APP,
        platform: 'apple',
        token: `${VOIP}-${BACKGROUND}`,
        'device-id': 'idem-iphone',
      });
      const android = await stack.post(`/v2/tokens/${ACCOUNT}`, {
        'app-id': SYLK_APP,
        platform: 'firebase',
        token: 'fcm-idem-v2',
        'device-id': 'idem-android',
      });
      expect([apple.status, android.status]).toEqual([200, 200]);
    });

    it('without a key, a repeated push reaches every device again', async () => {
      expect((await stack.post(`/v2/tokens/${ACCOUNT}/push`, v2Push('idem-v2-plain'))).status).toBe(200);
      expect((await stack.post(`/v2/tokens/${ACCOUNT}/push`, v2Push('idem-v2-plain'))).status).toBe(200);
      await settled();
      expect(arrivals('idem-v2-plain')).toEqual([BACKGROUND, BACKGROUND, 'fcm-idem-v2', 'fcm-idem-v2']);
    });

    it('with a key, a repeat gets the first answer byte for byte and each device one push', async () => {
      const first = await stack.post(`/v2/tokens/${ACCOUNT}/push`, v2Push('idem-v2-key'), keyed('idem-v2-key'));
      const second = await stack.post(`/v2/tokens/${ACCOUNT}/push`, v2Push('idem-v2-key'), keyed('idem-v2-key'));
      expect(first.status).toBe(200);
      expect([second.status, second.text]).toEqual([first.status, first.text]);
      await settled();
      expect(arrivals('idem-v2-key')).toEqual([BACKGROUND, 'fcm-idem-v2'].sort());
    });

    it('with a key, another push under it (another body or one device) is 422 and not sent', async () => {
      expect((await stack.post(`/v2/tokens/${ACCOUNT}/push`, v2Push('idem-v2-422'), keyed('idem-v2-422'))).status).toBe(
        200,
      );
      const otherBody = await stack.post(
        `/v2/tokens/${ACCOUNT}/push`,
        { ...v2Push('idem-v2-422'), badge: 3 },
        keyed('idem-v2-422'),
      );
      const oneDevice = await stack.post(
        `/v2/tokens/${ACCOUNT}/push/idem-iphone`,
        v2Push('idem-v2-422'),
        keyed('idem-v2-422'),
      );
      expect([otherBody.status, oneDevice.status]).toEqual([422, 422]);
      expect(otherBody.json).toMatchObject({ code: 422, data: {} });
      await settled();
      expect(arrivals('idem-v2-422')).toEqual([BACKGROUND, 'fcm-idem-v2'].sort());
    });

    it('with a key, copies racing each other make one push per device', async () => {
      const answers = await Promise.all(
        Array.from({ length: CONCURRENT_COPIES }, () =>
          stack.post(`/v2/tokens/${ACCOUNT}/push`, v2Push('idem-v2-conc'), keyed('idem-v2-conc')),
        ),
      );
      expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
      expect(new Set(answers.filter((a) => a.status === 200).map((a) => a.text)).size).toBe(1);
      await settled();
      expect(arrivals('idem-v2-conc')).toEqual([BACKGROUND, 'fcm-idem-v2'].sort());
    });
  });
});
