// The shared rate limiter on real Redis: burst, sustained rate, Retry-After, recovery, names apart, key TTL.
import { randomUUID } from 'node:crypto';
import { ManualClock } from '@pushwire/core';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RateLimiter } from './rate-limiter.js';

const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
const prefix = `pwtest-${randomUUID()}`;
afterAll(async () => {
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  redis.disconnect();
});

async function takeMany(limiter: RateLimiter, name: string, n: number, limit = { perSecond: 2, burst: 3 }) {
  const verdicts = [];
  for (let i = 0; i < n; i += 1) verdicts.push(await limiter.take(name, limit));
  return verdicts;
}

describe('RateLimiter', () => {
  it('allows a burst, then refuses with the wait until the next request fits', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const limiter = new RateLimiter({ redis, prefix, clock });
    const verdicts = await takeMany(limiter, 'burst', 4);
    expect(verdicts.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    // 2 per second: the 4th request fits 500 ms after the 1st.
    expect(verdicts[3]).toEqual({ allowed: false, retryAfterMs: 500 });
    clock.advance(499);
    expect(await limiter.take('burst', { perSecond: 2, burst: 3 })).toEqual({ allowed: false, retryAfterMs: 1 });
    clock.advance(1);
    expect(await limiter.take('burst', { perSecond: 2, burst: 3 })).toEqual({ allowed: true });
    expect(await limiter.take('burst', { perSecond: 2, burst: 3 })).toEqual({ allowed: false, retryAfterMs: 500 });
  });

  it('holds the sustained rate over time, and a refused request costs nothing', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const limiter = new RateLimiter({ redis, prefix, clock });
    let allowed = 0;
    // 10 s of requests every 50 ms (20/s offered) against 2/s with a burst of 3.
    for (let t = 0; t < 10_000; t += 50) {
      if ((await limiter.take('steady', { perSecond: 2, burst: 3 })).allowed) allowed += 1;
      clock.advance(50);
    }
    expect(allowed).toBe(3 + 19);
  });

  it('recovers the full burst after a quiet spell, and lets the key expire', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const limiter = new RateLimiter({ redis, prefix, clock });
    await takeMany(limiter, 'quiet', 5);
    const ttl = await redis.pttl(limiter.key('quiet'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1_501 + 1);
    clock.advance(1_500);
    const verdicts = await takeMany(limiter, 'quiet', 4);
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, true, false]);
  });

  it('counts each name on its own, and names with ":" or braces safely', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const limiter = new RateLimiter({ redis, prefix, clock });
    await takeMany(limiter, 'a', 3, { perSecond: 1, burst: 3 });
    expect((await limiter.take('a', { perSecond: 1, burst: 3 })).allowed).toBe(false);
    expect((await limiter.take('b', { perSecond: 1, burst: 3 })).allowed).toBe(true);
    expect(limiter.key('x:{y}')).toBe(`${prefix}:ratelimit:x%3A%7By%7D`);
  });

  it('handles fractional rates (one request every 4 s)', async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const limiter = new RateLimiter({ redis, prefix, clock });
    expect(await limiter.take('slow', { perSecond: 0.25, burst: 1 })).toEqual({ allowed: true });
    expect(await limiter.take('slow', { perSecond: 0.25, burst: 1 })).toEqual({ allowed: false, retryAfterMs: 4_000 });
  });

  it("shares one bucket between instances on Redis's own clock", async () => {
    const one = new RateLimiter({ redis, prefix });
    const two = new RateLimiter({ redis, prefix });
    // 1 per 100 s: whatever time passes during the test, only the burst of 2 is allowed across both.
    const limit = { perSecond: 0.01, burst: 2 };
    const verdicts = [
      await one.take('shared', limit),
      await two.take('shared', limit),
      await one.take('shared', limit),
      await two.take('shared', limit),
    ];
    expect(verdicts.map((v) => v.allowed)).toEqual([true, true, false, false]);
    const refused = verdicts[3]!;
    expect(refused.allowed === false && refused.retryAfterMs > 90_000 && refused.retryAfterMs <= 100_000).toBe(true);
  });

  it('rejects a limit that could never allow anything', async () => {
    const limiter = new RateLimiter({ redis, prefix });
    await expect(limiter.take('bad', { perSecond: 0, burst: 1 })).rejects.toThrow(RangeError);
  });
});
