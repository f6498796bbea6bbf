import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { ResultChannel } from './result-channel.js';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = new Redis(url);
const prefix = `pwtest-${randomUUID()}`;
const channel = new ResultChannel<{ code: number }>(redis, () => new Redis(url), { prefix, ttlMs: 5000 });

afterAll(async () => {
  await channel.close();
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

describe('ResultChannel', () => {
  it('delivers a result published after the waiter subscribed', async () => {
    const sub = await channel.subscribe('job-a');
    const pending = sub.result(5000);
    await channel.publish('job-a', { code: 200 });
    expect(await pending).toEqual({ code: 200 });
  });

  it('returns a result that was stored before the waiter arrived', async () => {
    await channel.publish('job-b', { code: 410 });
    const sub = await channel.subscribe('job-b');
    expect(await sub.result(5000)).toEqual({ code: 410 });
  });

  it('answers null after the bounded wait and keeps the key with a TTL', async () => {
    const sub = await channel.subscribe('job-c');
    expect(await sub.result(50)).toBeNull();
    await channel.publish('job-c', { code: 200 });
    const ttl = await redis.pttl(channel.key('job-c'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(5000);
  });

  it('wakes every waiter of the same job (a caller retrying the same push)', async () => {
    const [a, b] = await Promise.all([channel.subscribe('job-d'), channel.subscribe('job-d')]);
    const both = Promise.all([a.result(5000), b.result(5000)]);
    await channel.publish('job-d', { code: 200 });
    expect(await both).toEqual([{ code: 200 }, { code: 200 }]);
  });
});
