// End to end: the delivery policy (docs/decisions/0007-delivery-deadlines-and-retries.md, docs/decisions/0009-idempotency-and-cancel.md, docs/decisions/0011-rate-limits-per-token.md) between ingest, a worker process and the strict
// emulators: call deadlines, cancel superseding an invite, Retry-After per token, wire expiration from the
// deadline, and admission control. Assertions count what the emulators received, never how fast.
import { pushQueueName } from '@pushwire/queue';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findJobId, startStack, type Stack } from '../harness/index.js';

const SYLK = 'com.pushwire.sandbox.sylk.dev';
const LINPHONE = 'com.pushwire.sandbox.linphone.dev';
const hexToken = (n: number) => `d${n.toString(16).padStart(63, '0')}`;
const PREFIX = 'pushwire';

function sylkBody(event: string, platform: string, token: string, callId: string, extra: Record<string, unknown> = {}) {
  return {
    'app-id': SYLK,
    platform,
    token,
    event,
    'call-id': callId,
    from: 'alice@example.com',
    to: 'bob@example.com',
    silent: true,
    ...(event === 'cancel' ? { reason: 'hangup' } : { 'media-type': event === 'message' ? 'sms' : 'audio' }),
    ...(event === 'message' ? { content: 'hi', 'content-type': 'text/plain' } : {}),
    ...extra,
  };
}

const linphoneBody = (token: string, callId: string, platform = 'apple') => ({
  'app-id': LINPHONE,
  platform,
  token,
  'call-id': callId,
  from: 'alice@example.com',
  to: 'bob@example.com',
  'media-type': 'audio',
});

/** A job's hash as BullMQ keeps it (`<prefix>:<queue>:<job-id>`), read straight from Redis. */
async function jobHash(
  redis: Redis,
  appId: string,
  platform: 'apple' | 'firebase',
  token: string,
  event: 'incoming_session' | 'message' | 'cancel',
  callId: string,
) {
  const queue = pushQueueName(appId, platform);
  const jobId = (await findJobId(redis, PREFIX, queue, { callId, token, event })) ?? 'none';
  const hash = await redis.hgetall(`${PREFIX}:${queue}:${jobId}`);
  const failed = (await redis.zscore(`${PREFIX}:${queue}:failed`, jobId)) !== null;
  return {
    data: JSON.parse(hash.data ?? '{}') as { deadlineAt?: number },
    delay: Number(hash.delay ?? 0),
    failedReason: hash.failedReason,
    failed,
  };
}

/** The job once it failed for good (the result is published just before BullMQ records the failure). */
async function finalJob(...args: Parameters<typeof jobHash>) {
  await waitUntil(async () => (await jobHash(...args)).failed);
  return jobHash(...args);
}

describe('delivery policy', () => {
  let stack: Stack;
  let redis: Redis;
  beforeAll(async () => {
    stack = await startStack({
      env: { PUSHWIRE_RETRY_BASE_MS: '100', PUSHWIRE_SYNC_WAIT_MS: '8000' },
      appExtras: {
        // 2.5 s: with a 100 ms retry base, attempts go out near 0, 0.1, 0.3, 0.7 and 1.5 s, and the next
        // (1.6 s later) would miss it, so the policy, not a race with the clock, decides.
        'linphone-apple': { call_deadline: '2.5', expiration_from_deadline: 'true' },
        'sylk-firebase': { call_deadline: '2', expiration_from_deadline: 'true' },
      },
    });
    redis = new Redis(stack.redis.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await stack?.close();
  });

  it('drops a wake-up still failing at its call deadline: 408 expired, no request after the deadline', async () => {
    const token = hexToken(1);
    stack.sandbox.apns.failToken(token, { status: 500, reason: 'InternalServerError' });
    const res = await stack.post('/push', linphoneBody(token, 'expire-apns'));
    expect(res.status).toBe(408);
    expect(res.json).toMatchObject({
      code: 408,
      data: { code: 408, reason: 'expired - not delivered before the call deadline', call_id: 'expire-apns', token },
    });

    const job = await finalJob(redis, LINPHONE, 'apple', token, 'incoming_session', 'expire-apns');
    expect(job.failedReason).toBe('408 expired - not delivered before the call deadline');
    const deadlineAt = job.data.deadlineAt!;
    expect(deadlineAt).toBeGreaterThan(0);
    const sent = stack.sandbox.apns.requests.filter((r) => r.token === token);
    expect(sent.length).toBeGreaterThanOrEqual(2); // it did retry before giving up
    expect(sent.every((r) => r.status === 500 && r.at < deadlineAt)).toBe(true);
    // Log lines are written in batches (at most ~100 ms late).
    await stack.workers[0]!.waitFor(/"level":30[^\n]*"event":"expired"/, 5_000);
  });

  it('cuts a send that stalls past the call deadline and reports it expired (FCM)', async () => {
    const token = 'fcm-stall-expire';
    stack.sandbox.fcm.failToken(token, { stall: true });
    const res = await stack.post('/push', sylkBody('incoming_session', 'android', token, 'expire-fcm'));
    expect(res.status).toBe(408);
    expect(res.json).toMatchObject({ data: { reason: 'expired - not delivered before the call deadline' } });
    const job = await finalJob(redis, SYLK, 'firebase', token, 'incoming_session', 'expire-fcm');
    expect(job.failedReason).toBe('408 expired - not delivered before the call deadline');
    const sent = stack.sandbox.fcm.requests.filter((r) => r.token === token);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.at).toBeLessThan(job.data.deadlineAt!);
  });

  it('lets a cancel supersede an invite that is still retrying: the invite is never delivered, the cancel is', async () => {
    const voip = hexToken(2);
    const background = hexToken(3);
    const callId = 'cancel-me@example.com';
    stack.sandbox.apns.failToken(voip, { status: 500, reason: 'InternalServerError' });
    const invite = stack.post('/push', sylkBody('incoming_session', 'apple', voip, callId));
    await waitUntil(() => stack.sandbox.apns.requests.filter((r) => r.token === voip).length >= 2);

    const cancel = await stack.post('/push', sylkBody('cancel', 'apple', background, callId));
    expect(cancel.status).toBe(200);
    // From now on the invite's token would be accepted: only the cancel marker can keep it from ringing.
    stack.sandbox.apns.clearFaults();
    const answer = await invite;
    expect(answer.status).toBe(409);
    expect(answer.json).toMatchObject({
      data: { code: 409, reason: 'superseded - the call was cancelled', token: voip },
    });

    const toVoip = stack.sandbox.apns.requests.filter((r) => r.token === voip);
    expect(toVoip.every((r) => r.status === 500)).toBe(true);
    expect(
      stack.sandbox.apns.requests
        .filter((r) => r.token === background)
        .map((r) => [r.status, r.headers['apns-push-type']]),
    ).toEqual([[200, 'background']]);
    expect((await finalJob(redis, SYLK, 'apple', voip, 'incoming_session', callId)).failedReason).toBe(
      '409 superseded - the call was cancelled',
    );
  });

  it('sends a new wake-up accepted after the cancel of its call-id, as Sylk does', async () => {
    const voip = hexToken(30);
    const background = hexToken(31);
    const callId = 'ring-again@example.com';
    expect((await stack.post('/push', sylkBody('incoming_session', 'apple', voip, callId))).status).toBe(200);
    expect((await stack.post('/push', sylkBody('cancel', 'apple', background, callId))).status).toBe(200);
    // The caller tries again with the same Call-ID (a SIP retry after a 487, or OpenSIPS reusing it).
    const again = await stack.post(
      '/push',
      sylkBody('incoming_session', 'apple', voip, callId, { 'from-display-name': 'Alice again' }),
    );
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ data: { code: 200, token: voip } });
    const toVoip = stack.sandbox.apns.requests.filter((r) => r.token === voip);
    expect(toVoip.map((r) => [r.status, (r.json as { from_display_name?: string }).from_display_name ?? null])).toEqual(
      [
        [200, null],
        [200, 'Alice again'],
      ],
    );
  });

  it('waits out a 429 Retry-After for that token only: other tokens’ pushes complete meanwhile', async () => {
    const slow = hexToken(4);
    stack.sandbox.apns.failToken(slow, { status: 429, reason: 'TooManyRequests', retryAfterSeconds: 3, times: 1 });
    const slowAnswer = stack.post('/push', sylkBody('message', 'apple', slow, 'slow-1'));
    await waitUntil(() => stack.sandbox.apns.requests.some((r) => r.token === slow));
    await waitUntil(async () => (await jobHash(redis, SYLK, 'apple', slow, 'message', 'slow-1')).delay > 0);
    // Retry-After (3 s) beat Sylk's first backoff (100 ms here), for this job.
    expect((await jobHash(redis, SYLK, 'apple', slow, 'message', 'slow-1')).delay).toBe(3000);

    const others = [5, 6, 7, 8, 9].map(hexToken);
    for (const [i, token] of others.entries()) {
      const res = await stack.post('/push', sylkBody('message', 'apple', token, `fast-${i}`));
      expect(res.status).toBe(200);
    }
    expect((await slowAnswer).status).toBe(200);
    const order = stack.sandbox.apns.requests.filter((r) => r.token === slow || others.includes(r.token ?? ''));
    expect(order.map((r) => (r.token === slow ? `slow:${r.status}` : 'other:200'))).toEqual([
      'slow:429',
      'other:200',
      'other:200',
      'other:200',
      'other:200',
      'other:200',
      'slow:200',
    ]);
  });

  it('sets apns-expiration and the FCM ttl from the deadline when expiration_from_deadline is on, Sylk’s literals otherwise', async () => {
    const token = hexToken(10);
    expect((await stack.post('/push', linphoneBody(token, 'exp-apns'))).status).toBe(200);
    const { deadlineAt } = (await jobHash(redis, LINPHONE, 'apple', token, 'incoming_session', 'exp-apns')).data;
    const apns = stack.sandbox.apns.requests.find((r) => r.token === token)!;
    expect(apns.headers['apns-expiration']).toBe(String(Math.floor(deadlineAt! / 1000)));

    expect((await stack.post('/push', sylkBody('incoming_session', 'android', 'fcm-exp', 'exp-fcm'))).status).toBe(200);
    const fcm = stack.sandbox.fcm.requests.find((r) => r.token === 'fcm-exp')!;
    expect((fcm.json as { message: { android: { ttl: string } } }).message.android.ttl).toMatch(/^[0-2]s$/);

    // Apps without the option keep Sylk's literal "120" and "60s".
    const plain = hexToken(11);
    expect((await stack.post('/push', sylkBody('incoming_session', 'apple', plain, 'exp-plain'))).status).toBe(200);
    expect(stack.sandbox.apns.requests.find((r) => r.token === plain)!.headers['apns-expiration']).toBe('120');
    expect((await stack.post('/push', linphoneBody('fcm-plain', 'exp-plain-fcm', 'android'))).status).toBe(200);
    const plainFcm = stack.sandbox.fcm.requests.find((r) => r.token === 'fcm-plain')!;
    expect((plainFcm.json as { message: { android: { ttl: string } } }).message.android.ttl).toBe('60s');
  });
});

describe('admission control', () => {
  let stack: Stack;
  let redis: Redis;
  beforeAll(async () => {
    stack = await startStack({
      server: { return_async: 'false' },
      env: { PUSHWIRE_MAX_QUEUE_DEPTH: '2', PUSHWIRE_WORKER_CONCURRENCY: '1', PUSHWIRE_RETRY_BASE_MS: '100' },
    });
    redis = new Redis(stack.redis.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await stack?.close();
  });

  it('answers 503 queue full once an app’s queue holds the maximum, and other apps still accept', async () => {
    // The app's only worker slot hangs on a stalled push, so what follows waits in the queue.
    stack.sandbox.fcm.failToken('fcm-stalled', { stall: true });
    expect((await stack.post('/push', sylkBody('message', 'android', 'fcm-stalled', 'stall-1'))).status).toBe(202);
    await waitUntil(() => stack.sandbox.fcm.requests.some((r) => r.token === 'fcm-stalled'));

    const answers: { status: number; json: unknown }[] = [];
    for (let i = 0; i < 6 && !answers.some((a) => a.status === 503); i++) {
      answers.push(await stack.post('/push', sylkBody('message', 'android', `fcm-queued-${i}`, `queued-${i}`)));
    }
    const refused = answers.at(-1)!;
    expect(refused.status).toBe(503);
    expect(refused.json).toEqual({
      code: 503,
      description: expect.stringMatching(
        /^queue full: push\.firebase\.com\.pushwire\.sandbox\.sylk\.dev holds [2-9] waiting or delayed pushes \(PUSHWIRE_MAX_QUEUE_DEPTH=2\)/,
      ),
      data: {},
    });
    expect(answers.slice(0, -1).every((a) => a.status === 202)).toBe(true);
    const queue = `${PREFIX}:${pushQueueName(SYLK, 'firebase')}`;
    expect(await redis.llen(`${queue}:wait`)).toBeLessThanOrEqual(2);
    const last = answers.length - 1;
    expect(
      await findJobId(redis, PREFIX, pushQueueName(SYLK, 'firebase'), {
        callId: `queued-${last}`,
        token: `fcm-queued-${last}`,
      }),
    ).toBeNull();

    // Another app's queue is not affected.
    expect((await stack.post('/push', sylkBody('message', 'apple', hexToken(20), 'other-app'))).status).toBe(202);
  });
});

async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
