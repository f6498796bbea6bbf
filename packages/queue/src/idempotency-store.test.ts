// Idempotency-Key records on real Redis: the claim states, the lease, the first-answer-wins rule and the cap.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { IdempotencyStore, type IdempotencyScope } from './idempotency-store.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = `pwtest-${randomUUID()}`;

afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

const scope = (key: string, caller = 'address:10.0.0.1', route = 'push-v1'): IdempotencyScope => ({
  caller,
  route,
  key,
});

describe('IdempotencyStore', () => {
  it('accepts a new key, tells a repeat it is in flight, answers it once done, and refuses another request', async () => {
    const store = new IdempotencyStore({ redis, prefix });
    const first = await store.claim(scope('a'), 'fp-1');
    expect(first.kind).toBe('accept');
    if (first.kind !== 'accept') return;
    expect(await store.claim(scope('a'), 'fp-1')).toMatchObject({ kind: 'in-flight' });
    expect(await store.claim(scope('a'), 'fp-2')).toMatchObject({ kind: 'conflict' });
    await store.accepted(first.ticket, [{ appId: 'com.x', platform: 'apple', jobId: 'v1-j' }]);
    expect(await store.claim(scope('a'), 'fp-1')).toMatchObject({
      kind: 'accepted',
      jobs: [{ appId: 'com.x', platform: 'apple', jobId: 'v1-j' }],
      ticket: { nonce: first.ticket.nonce },
    });
    expect(await store.complete(first.ticket, { status: 200, body: '{"a":1}' })).toEqual({
      status: 200,
      body: '{"a":1}',
    });
    // The first answer stored wins: a late second answer gets the first back and stores nothing.
    expect(await store.complete(first.ticket, { status: 202, body: '{"b":2}' })).toEqual({
      status: 200,
      body: '{"a":1}',
    });
    expect(await store.claim(scope('a'), 'fp-1')).toMatchObject({
      kind: 'answered',
      answer: { status: 200, body: '{"a":1}' },
    });
    // Another caller or route with the same key is another key.
    expect((await store.claim(scope('a', 'key:sylkserver'), 'fp-2')).kind).toBe('accept');
    expect((await store.claim(scope('a', 'address:10.0.0.1', 'push-v2'), 'fp-2')).kind).toBe('accept');
  });

  it('lets a repeat take over an abandoned acceptance with the same nonce (same job ids) once the lease ends', async () => {
    const store = new IdempotencyStore({ redis, prefix, leaseMs: 1 });
    const first = await store.claim(scope('b'), 'fp');
    if (first.kind !== 'accept') throw new Error(first.kind);
    let again = await store.claim(scope('b'), 'fp');
    while (again.kind === 'in-flight') again = await store.claim(scope('b'), 'fp');
    expect(again).toMatchObject({ kind: 'accept', ticket: { nonce: first.ticket.nonce } });
  });

  it('frees a released key at once, keeping its nonce', async () => {
    const store = new IdempotencyStore({ redis, prefix });
    const first = await store.claim(scope('c'), 'fp');
    if (first.kind !== 'accept') throw new Error(first.kind);
    await store.release(first.ticket);
    expect(await store.claim(scope('c'), 'fp')).toMatchObject({
      kind: 'accept',
      ticket: { nonce: first.ticket.nonce },
    });
  });

  it('refuses new keys past maxKeys, with the time until the oldest expires, and still answers known ones', async () => {
    const capped = `${prefix}-cap`;
    const store = new IdempotencyStore({ redis, prefix: capped, maxKeys: 2, windowMs: 60_000 });
    try {
      expect((await store.claim(scope('1'), 'fp')).kind).toBe('accept');
      expect((await store.claim(scope('2'), 'fp')).kind).toBe('accept');
      const full = await store.claim(scope('3'), 'fp');
      expect(full.kind).toBe('full');
      if (full.kind === 'full') expect(full.retryAfterMs).toBeGreaterThan(50_000);
      expect((await store.claim(scope('1'), 'fp')).kind).toBe('in-flight');
      // A record gone (expired) frees its place once its time in the index has passed.
      const { record, hash } = store.recordOf(scope('1'));
      await redis.del(record);
      await redis.zadd(store.indexKey, '1', hash);
      expect((await store.claim(scope('3'), 'fp')).kind).toBe('accept');
    } finally {
      const keys = await redis.keys(`${capped}:*`);
      if (keys.length) await redis.del(...keys);
    }
  });

  it('keeps every key of the store under one Redis Cluster hash tag, with the prefix first', () => {
    const store = new IdempotencyStore({ redis, prefix: 'pw' });
    const { record } = store.recordOf(scope('k'));
    const tag = (key: string) => /\{([^}]*)\}/.exec(key)?.[1];
    expect(tag(record)).toBe('pw:idempotency');
    expect(tag(store.indexKey)).toBe('pw:idempotency');
    expect(record.startsWith('pw:')).toBe(true);
    expect(record).not.toContain('k\u0000');
  });
});
