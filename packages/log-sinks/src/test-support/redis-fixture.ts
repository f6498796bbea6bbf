// Real Redis for the sink tests: a unique key prefix per test, and its keys deleted afterwards.
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';

export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

export function uniquePrefix(label: string): string {
  return `pwtest-sinks-${label}-${randomUUID().slice(0, 8)}`;
}

/** A connection fit for BullMQ workers and queues (blocking commands allowed). */
export function testRedis(): Redis {
  return new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
}

export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  const keys: string[] = [];
  for await (const batch of redis.scanStream({ match: `${prefix}:*`, count: 500 }) as AsyncIterable<string[]>)
    keys.push(...batch);
  if (keys.length > 0) await redis.del(...keys);
}
