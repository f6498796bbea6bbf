// Redis connections for the two roles BullMQ distinguishes, to whichever topology the URL names
// (redis-topology.ts): one server, a Sentinel-managed primary, or a Redis Cluster.
import { Cluster, Redis, type RedisOptions } from 'ioredis';
import { parseRedisTopology, type RedisTopology } from './redis-topology.js';

const reconnect = (times: number): number => Math.min(times * 200, 2000);

/**
 * For HTTP handlers: fail fast when Redis is unreachable (no offline queue), so ingest can answer 503
 * at once instead of holding the request.
 */
export function createProducerRedis(url: string, extra: RedisOptions = {}): Redis {
  return connectRedis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: reconnect,
    ...extra,
  });
}

/** For workers and subscribers: block and reconnect forever (BullMQ requires maxRetriesPerRequest null). */
export function createWorkerRedis(url: string, extra: RedisOptions = {}): Redis {
  return connectRedis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: reconnect,
    ...extra,
  });
}

/** Whether the URL names a Redis Cluster (queues then need a hash tag per queue: `queuePrefix`). */
export function isClusterUrl(url: string): boolean {
  return parseRedisTopology(url).kind === 'cluster';
}

/**
 * One connection with `options`, wherever the URL points. A Cluster client is returned under the `Redis`
 * type: it speaks the same commands, and Pushwire only sends multi-key commands whose keys share a slot.
 */
export function connectRedis(url: string, options: RedisOptions): Redis {
  const topology = parseRedisTopology(url);
  switch (topology.kind) {
    case 'standalone':
      return new Redis(url, options);
    case 'sentinel':
      return new Redis({
        ...options,
        ...auth(topology),
        sentinels: topology.sentinels,
        name: topology.name,
        db: topology.db,
        // The primary's address comes from the Sentinels; TLS then applies to it as well.
        ...(topology.tls ? { tls: options.tls ?? {}, enableTLSForSentinelMode: true } : {}),
        sentinelRetryStrategy: reconnect,
        // Follow a failover at once (the Sentinels announce it), and retry a write the demoted primary refused.
        failoverDetector: true,
        reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
      });
    case 'cluster': {
      // Offline queue and lazy connect are the cluster client's own options; the rest apply to each node.
      const { enableOfflineQueue, lazyConnect, retryStrategy: _perNode, ...nodeOptions } = options;
      return new Cluster(topology.nodes, {
        redisOptions: { ...nodeOptions, ...auth(topology), ...(topology.tls ? { tls: options.tls ?? {} } : {}) },
        ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
        ...(lazyConnect === undefined ? {} : { lazyConnect }),

        clusterRetryStrategy: reconnect,
        // A failover moves slots: follow MOVED/ASK and retry while the cluster elects a new primary.
        retryDelayOnFailover: 200,
        retryDelayOnClusterDown: 300,
        retryDelayOnTryAgain: 100,
        slotsRefreshTimeout: 2000,
      }) as unknown as Redis;
    }
  }
}

function auth(topology: RedisTopology): Pick<RedisOptions, 'username' | 'password'> {
  return {
    ...(topology.username ? { username: topology.username } : {}),
    ...(topology.password !== undefined ? { password: topology.password } : {}),
  };
}
