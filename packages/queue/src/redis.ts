// Redis connections for the two roles BullMQ distinguishes.
import { Redis, type RedisOptions } from 'ioredis';

/**
 * For HTTP handlers: fail fast when Redis is unreachable (no offline queue), so ingest can answer 503
 * at once instead of holding the request.
 */
export function createProducerRedis(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  });
}

/** For workers and subscribers: block and reconnect forever (BullMQ requires maxRetriesPerRequest null). */
export function createWorkerRedis(url: string, extra: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...extra,
  });
}
