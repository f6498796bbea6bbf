// The start-up line naming the Redis a process uses, so data from another run is never a mystery.
import { redactUrlPassword } from '@pushwire/core';

export interface RedisInUse {
  url: string;
  prefix: string;
  /** REDIS_URL set; else a Redis found running, or one this process started. */
  origin: 'env' | 'found' | 'started';
}

export function describeRedisInUse({ url, prefix, origin }: RedisInUse): string {
  const from = origin === 'env' ? 'from REDIS_URL' : origin === 'found' ? 'found running' : 'started here';
  return `Using Redis at ${redactUrlPassword(url)} (${from}), key prefix ${prefix}`;
}
