import { describe, expect, it } from 'vitest';
import { describeRedisInUse } from './redis-in-use.js';

describe('describeRedisInUse', () => {
  it('names the Redis, where it came from and the prefix, never the password', () => {
    const line = describeRedisInUse({
      url: 'rediss://pushwire:s3cret-pw@redis.example:6380/2',
      prefix: 'pushwire-sandbox',
      origin: 'env',
    });
    expect(line).toBe(
      'Using Redis at rediss://pushwire:[redacted]@redis.example:6380/2 (from REDIS_URL), key prefix pushwire-sandbox',
    );
    expect(describeRedisInUse({ url: 'redis://:only-pw@127.0.0.1:6379', prefix: 'p', origin: 'found' })).not.toContain(
      'only-pw',
    );
  });
});
