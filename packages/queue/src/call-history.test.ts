// The per-call history on real Redis: what ingest and workers append, read back per push with board links.
import { randomUUID } from 'node:crypto';
import { withSylkDefaults, type PushRequest } from '@pushwire/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { CallHistory } from './call-history.js';
import { buildPushViews, callHistoryJson } from './call-history-view.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `pwtest-${randomUUID()}`;
const DAY = 86_400_000;
const history = new CallHistory(redis, { prefix, ttlMs: DAY });

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const request = (callId: string, extra: Partial<PushRequest> = {}) =>
  withSylkDefaults({
    appId: 'com.example.sylk',
    platform: 'apple',
    token: 'a'.repeat(64),
    event: 'message',
    callId,
    from: 'a@x',
    to: 'b@x',
    ...extra,
  });
const Q = 'push.apple.com.example.sylk';
const T = 1_760_000_000_000;

describe('CallHistory', () => {
  it('gives every push of a call its request, attempts, result and board link', async () => {
    const callId = 'call-1@example.com';
    await history.accepted([
      { jobId: 'v1-aaa', queue: Q, api: 'v1', request: request(callId, { content: 'hello' }), acceptedAt: T },
      {
        jobId: 'v2-bbb',
        queue: 'push.firebase.com.example.sylk',
        api: 'v2',
        request: request(callId, { platform: 'firebase', deviceId: 'd1' }),
        acceptedAt: T + 1,
        account: 'bob@x',
        deadlineAt: T + 60_000,
      },
    ]);
    await history.attempt(callId, {
      at: T + 10,
      jobId: 'v1-aaa',
      queue: Q,
      attempt: 1,
      sent: true,
      outcome: 'retryable',
      code: 500,
      reason: 'InternalServerError',
      retryAfterMs: null,
      policy: null,
    });
    await history.attempt(callId, {
      at: T + 20,
      jobId: 'v1-aaa',
      queue: Q,
      attempt: 2,
      sent: true,
      outcome: 'delivered',
      code: 200,
      reason: '',
      retryAfterMs: null,
      policy: null,
    });
    await history.result(callId, {
      at: T + 21,
      jobId: 'v1-aaa',
      queue: Q,
      attempt: 2,
      outcome: 'delivered',
      code: 200,
      reason: '',
    });

    const pushes = buildPushViews(await history.read(callId), '/admin');
    expect(pushes).toHaveLength(2);
    const [v1, v2] = pushes;
    expect(v1).toMatchObject({
      jobId: 'v1-aaa',
      api: 'v1',
      appId: 'com.example.sylk',
      platform: 'apple',
      event: 'message',
      status: 'delivered',
      board: `/admin/queue/${Q}/v1-aaa`,
      acceptedAt: T,
      timesAccepted: 1,
      request: { 'app-id': 'com.example.sylk', 'call-id': callId, content: 'hello', token: 'a'.repeat(64) },
      result: { outcome: 'delivered', code: 200, attempt: 2 },
    });
    expect(v1!.attempts.map((a) => [a.attempt, a.code, a.outcome])).toEqual([
      [1, 500, 'retryable'],
      [2, 200, 'delivered'],
    ]);
    expect(v2).toMatchObject({
      api: 'v2',
      account: 'bob@x',
      deviceId: 'd1',
      deadlineAt: T + 60_000,
      status: 'pending',
      result: null,
      attempts: [],
    });

    const json = callHistoryJson(callId, pushes);
    expect(json.pushes[0]).toMatchObject({
      job_id: 'v1-aaa',
      accepted_at: new Date(T).toISOString(),
      attempts: [{ attempt: 1, at: new Date(T + 10).toISOString(), retry_after_ms: null }, {}],
    });
  });

  it('keys call-ids safely: colons, unicode and lone surrogates never collide', async () => {
    expect(history.key('a:b@host')).toBe(`${prefix}:call:a%3Ab%40host`);
    expect(history.key('é\ud800')).toBe(`${prefix}:call:%C3%A9%uD800`);
    await history.accepted([{ jobId: 'v1-c1', queue: Q, api: 'v1', request: request('x:y'), acceptedAt: T }]);
    expect(await history.read('x')).toEqual([]);
    expect(await history.read('x%3Ay')).toEqual([]);
    expect((await history.read('x:y')).map((r) => r.jobId)).toEqual(['v1-c1']);
  });

  it('expires a call with the retention, refreshed by every record', async () => {
    await history.accepted([{ jobId: 'v1-ttl', queue: Q, api: 'v1', request: request('ttl-call'), acceptedAt: T }]);
    const ttl = await history.ttlMs('ttl-call');
    expect(ttl).toBeGreaterThan(DAY - 60_000);
    expect(ttl).toBeLessThanOrEqual(DAY);
    expect(await history.ttlMs('never-seen')).toBe(-2);
  });

  it('orders records by time even when a worker wrote before ingest', async () => {
    await history.attempt('race', {
      at: T + 5,
      jobId: 'v1-r',
      queue: Q,
      attempt: 1,
      sent: true,
      outcome: 'delivered',
      code: 200,
      reason: '',
      retryAfterMs: null,
      policy: null,
    });
    await history.accepted([{ jobId: 'v1-r', queue: Q, api: 'v1', request: request('race'), acceptedAt: T }]);
    expect((await history.read('race')).map((r) => r.kind)).toEqual(['accepted', 'attempt']);
  });

  it('shows policy outcomes: circuit holds and a final expiry', async () => {
    await history.accepted([
      { jobId: 'v1-p', queue: Q, api: 'v1', request: request('policy', { event: 'incoming_session' }), acceptedAt: T },
    ]);
    await history.attempt('policy', {
      at: T + 1,
      jobId: 'v1-p',
      queue: Q,
      attempt: 1,
      sent: false,
      outcome: 'retryable',
      code: 503,
      reason: 'circuit open - APNs unavailable',
      retryAfterMs: 100,
      policy: 'circuit-open',
    });
    await history.result('policy', {
      at: T + 2,
      jobId: 'v1-p',
      queue: Q,
      attempt: 1,
      outcome: 'expired',
      code: 408,
      reason: 'expired - not delivered before the call deadline',
    });
    const [push] = buildPushViews(await history.read('policy'), '/admin/');
    expect(push!.status).toBe('expired');
    expect(push!.policy.map((p) => p.outcome)).toEqual(['circuit-open', 'expired']);
    expect(push!.board).toBe(`/admin/queue/${Q}/v1-p`);
  });

  it('counts an idempotent retry of the same request on the same push', async () => {
    const input = { jobId: 'v1-dup', queue: Q, api: 'v1' as const, request: request('dup'), acceptedAt: T };
    await history.accepted([input]);
    await history.accepted([{ ...input, acceptedAt: T + 1000 }]);
    const [push] = buildPushViews(await history.read('dup'), '/admin');
    expect(push).toMatchObject({ timesAccepted: 2, acceptedAt: T });
  });

  it('redacts message content when configured', async () => {
    const redacting = new CallHistory(redis, { prefix, ttlMs: DAY, redactContent: true });
    await redacting.accepted([
      { jobId: 'v1-red', queue: Q, api: 'v1', request: request('redact', { content: 'secret words' }), acceptedAt: T },
    ]);
    const raw = await redis.lrange(redacting.key('redact'), 0, -1);
    expect(raw.join()).not.toContain('secret words');
    expect(buildPushViews(await redacting.read('redact'), '/admin')[0]!.request).toMatchObject({
      content: '[redacted]',
    });
  });

  it('records the last attempt and the result in one write, attempt first, trimmed and with the retention', async () => {
    const small = new CallHistory(redis, { prefix, ttlMs: DAY, maxRecords: 3 });
    await small.accepted([{ jobId: 'v1-s', queue: Q, api: 'v1', request: request('settled'), acceptedAt: T }]);
    await small.attempt('settled', {
      at: T + 1,
      jobId: 'v1-s',
      queue: Q,
      attempt: 1,
      sent: true,
      outcome: 'retryable',
      code: 500,
      reason: '',
      retryAfterMs: null,
      policy: null,
    });
    await small.settled(
      'settled',
      {
        at: T + 2,
        jobId: 'v1-s',
        queue: Q,
        attempt: 2,
        sent: true,
        outcome: 'delivered',
        code: 200,
        reason: '',
        retryAfterMs: null,
        policy: null,
      },
      { at: T + 2, jobId: 'v1-s', queue: Q, attempt: 2, outcome: 'delivered', code: 200, reason: '' },
    );
    // Four records written, the newest three kept, in the order written.
    expect((await small.read('settled')).map((r) => `${r.kind}:${'attempt' in r ? r.attempt : '-'}`)).toEqual([
      'attempt:1',
      'attempt:2',
      'result:2',
    ]);
    expect(await small.ttlMs('settled')).toBeGreaterThan(DAY - 60_000);
  });

  it('keeps at most maxRecords per call, the newest', async () => {
    const small = new CallHistory(redis, { prefix, ttlMs: DAY, maxRecords: 3 });
    for (let i = 1; i <= 5; i += 1) {
      await small.attempt('busy', {
        at: T + i,
        jobId: 'v1-b',
        queue: Q,
        attempt: i,
        sent: true,
        outcome: 'retryable',
        code: 500,
        reason: '',
        retryAfterMs: null,
        policy: null,
      });
    }
    expect((await small.read('busy')).map((r) => (r.kind === 'attempt' ? r.attempt : 0))).toEqual([3, 4, 5]);
  });

  it('past the newest recentCalls, deletes the histories none of whose jobs is kept, and shows kept requests whole', async () => {
    const bounded = new CallHistory(redis, {
      prefix: `${prefix}-bounded`,
      ttlMs: DAY,
      recentCalls: 2,
      pruneIntervalMs: 1,
    });
    const long = 'y'.repeat(1000);
    const keep = (callId: string) =>
      redis.hset(
        bounded.jobKey(Q, `v1-${callId}`),
        'data',
        JSON.stringify({ request: request(callId, { content: long }) }),
      );
    const accept = (callId: string, at: number) =>
      bounded.accepted([
        { jobId: `v1-${callId}`, queue: Q, api: 'v1', request: request(callId, { content: long }), acceptedAt: at },
      ]);
    const base = Date.now() - 10_000;
    for (const [i, callId] of ['old-gone', 'old-kept', 'new-1', 'new-2'].entries()) await accept(callId, base + i);
    // BullMQ removed old-gone's job; old-kept's is still kept (a retrying or quiet queue's job).
    for (const callId of ['old-kept', 'new-1', 'new-2']) await keep(callId);
    expect(await bounded.prune()).toBe(1);
    expect(await bounded.read('old-gone')).toEqual([]);
    expect((await redis.zrange(bounded.indexKey, '0', '-1')).sort()).toEqual(['new-1', 'new-2', 'old-kept']);
    // The record holds a trimmed copy; the job the whole request, which the history shows while it is kept.
    expect((await redis.lrange(bounded.key('new-1'), 0, -1))[0]).toContain(`${'y'.repeat(256)}… [744 more characters]`);
    expect(buildPushViews(await bounded.read('old-kept'), '/admin')[0]!.request).toMatchObject({ content: long });
    // Once its job is gone too, old-kept goes at a later pass.
    await redis.del(bounded.jobKey(Q, 'v1-old-kept'));
    await accept('new-3', Date.now() + 1);
    await accept('new-4', Date.now() + 2);
    expect(await bounded.prune()).toBe(1);
    expect(await bounded.read('old-kept')).toEqual([]);
    expect((await redis.zrange(bounded.indexKey, '0', '-1')).sort()).toEqual(['new-1', 'new-2', 'new-3', 'new-4']);
    // A history shows its trimmed copy once its job is gone.
    await redis.del(bounded.jobKey(Q, 'v1-new-1'));
    expect(buildPushViews(await bounded.read('new-1'), '/admin')[0]!.request).toMatchObject({
      content: `${'y'.repeat(256)}… [744 more characters]`,
    });
    await bounded.close();
  });

  it('never throws while recording: a Redis failure is reported to onError', async () => {
    const down = new Redis('redis://127.0.0.1:1', {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    const errors: string[] = [];
    const broken = new CallHistory(down, { prefix, ttlMs: DAY, onError: (_e, callId) => errors.push(callId) });
    await broken.accepted([{ jobId: 'v1-x', queue: Q, api: 'v1', request: request('lost'), acceptedAt: T }]);
    await broken.result('lost', {
      at: T,
      jobId: 'v1-x',
      queue: Q,
      attempt: 1,
      outcome: 'delivered',
      code: 200,
      reason: '',
    });
    expect(errors).toEqual(['lost', 'lost']);
    down.disconnect();
  });
});
