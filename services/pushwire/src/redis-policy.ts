// DECISIONS 10: a Redis that may evict keys could silently drop accepted jobs, so refuse to run on one.
import { redactUrlPassword } from '@pushwire/core';
import { connectRedis } from '@pushwire/queue';

export class UnsafeRedisError extends Error {}

export async function assertRedisKeepsKeys(url: string): Promise<void> {
  // Through the same topology as the services (one server, Sentinel's primary, or a Cluster node).
  const redis = connectRedis(url, { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: () => null });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    const policy = reply[1] ?? 'unknown';
    if (policy !== 'noeviction') {
      throw new UnsafeRedisError(
        `Redis at ${redactUrlPassword(url)} has maxmemory-policy ${policy}: it may evict queued pushes. ` +
          'Set `maxmemory-policy noeviction` (redis.conf or CONFIG SET) before starting Pushwire.',
      );
    }
  } catch (error) {
    if (error instanceof UnsafeRedisError) throw error;
    // Managed Redis services often forbid CONFIG; BullMQ then warns itself. Connection errors surface later.
    if (error instanceof Error && /unknown command|NOPERM|not allowed/i.test(error.message)) return;
    throw new Error(`cannot reach Redis at ${redactUrlPassword(url)}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    redis.disconnect();
  }
}
