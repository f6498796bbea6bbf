// docs/decisions/0010-accepted-means-stored.md: a Redis that may evict keys could silently drop accepted jobs, so refuse to run on one.
import { redactUrlPassword, errorMessage } from '@pushwire/core';
import { connectRedis, type RedisTarget } from '@pushwire/redis';

export class UnsafeRedisError extends Error {}

/**
 * Also the first connection a service makes, so it is where a wrong password or an untrusted TLS certificate
 * shows: the error names the URL without its password and says what to change.
 */
export async function assertRedisKeepsKeys(target: RedisTarget): Promise<void> {
  const url = typeof target === 'string' ? target : target.redisUrl;
  // Through the same topology and TLS trust as the services (one server, Sentinel's primary, or a Cluster node).
  const redis = connectRedis(target, {
    lazyConnect: true,
    maxRetriesPerRequest: 1,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // connect() only says "Connection is closed."; the reason (WRONGPASS, a certificate error) comes as an event.
  let cause: Error | null = null;
  redis.on('error', (error: Error) => (cause ??= error));
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
    const reason = cause ?? error;
    throw new Error(`cannot reach Redis at ${redactUrlPassword(url)}: ${errorMessage(reason)}${hintFor(reason)}`);
  } finally {
    redis.disconnect();
  }
}

/** What to change for the failures an operator can fix in Pushwire's own settings. */
function hintFor(error: unknown): string {
  const message = error instanceof Error ? error.message : '';
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  if (/^(WRONGPASS|NOAUTH)/.test(message)) return ' (check the user and password in REDIS_URL)';
  if (/CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
    return ' (the server certificate is not trusted: set PUSHWIRE_REDIS_CA to the PEM file of the CA that signed it)';
  }
  return '';
}
