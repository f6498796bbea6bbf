// A Lua script run by its SHA1 (EVALSHA), loaded with EVAL when the server does not know it yet.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * Unlike ioredis' `defineCommand`, this adds nothing to the caller's connection object, which the storage
 * shares with other users.
 */
export class RedisScript {
  readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: string[], args: string[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      return redis.eval(this.source, keys.length, ...keys, ...args);
    }
  }
}
