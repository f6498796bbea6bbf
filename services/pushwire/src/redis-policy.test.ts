import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalRedis, type LocalRedis } from './local-redis.js';
import { assertRedisKeepsKeys, UnsafeRedisError } from './redis-policy.js';

const dir = mkdtempSync(join(tmpdir(), 'pushwire-policy-'));
let redis: LocalRedis;
beforeAll(async () => {
  redis = await startLocalRedis({ dir });
});
afterAll(async () => {
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('assertRedisKeepsKeys (docs/decisions/0010-accepted-means-stored.md)', () => {
  it('accepts noeviction', async () => {
    await expect(assertRedisKeepsKeys(redis.url)).resolves.toBeUndefined();
  });

  it.each(['allkeys-lru', 'volatile-ttl', 'allkeys-random'])('refuses %s, saying how to fix it', async (policy) => {
    const client = new Redis(redis.url);
    try {
      await client.config('SET', 'maxmemory-policy', policy);
      await expect(assertRedisKeepsKeys(redis.url)).rejects.toThrow(UnsafeRedisError);
      await expect(assertRedisKeepsKeys(redis.url)).rejects.toThrow(/maxmemory-policy noeviction/);
    } finally {
      await client.config('SET', 'maxmemory-policy', 'noeviction');
      client.disconnect();
    }
  });

  it('reports an unreachable Redis clearly', async () => {
    await expect(assertRedisKeepsKeys('redis://127.0.0.1:1')).rejects.toThrow(/cannot reach Redis/);
  });
});
