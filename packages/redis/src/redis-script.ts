// A Lua script run by its SHA1 (EVALSHA), loaded with EVAL when the server does not know it yet: a hot
// path sends 40 bytes instead of the script's source on every call, and Redis skips hashing the source.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Unlike ioredis' `defineCommand`, this adds nothing to the caller's connection object (shared with BullMQ),
 * and unlike MULTI/EXEC it builds no ioredis pipeline object (which copies every script BullMQ defined).
 */
export class RedisScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      // After a restart or SCRIPT FLUSH the server has forgotten it.
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
