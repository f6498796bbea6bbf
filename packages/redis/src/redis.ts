// Redis connections for the two roles BullMQ distinguishes, to whichever topology the URL names
// (redis-topology.ts): one server, a Sentinel-managed primary, or a Redis Cluster; over TLS for `rediss`.
import { Cluster, type Redis, type RedisOptions } from 'ioredis';
import { PushwireRedis } from './redis-client.js';
import { redisTlsOptions } from './redis-tls.js';
import { parseRedisTopology, type RedisTopology } from './redis-topology.js';

const reconnect = (times: number): number => Math.min(times * 200, 2000);

/** Where Redis is and whom to trust there. Pushwire's settings (`config.pushwire`) have this shape. */
export interface RedisEndpoint {
  /** `REDIS_URL`: credentials (`redis://user:password@host`) and TLS (`rediss://`) come from it. */
  redisUrl: string;
  /**
   * PEM CA files trusted for a `rediss` server besides Node's default roots (`PUSHWIRE_REDIS_CA`). Default
   * none: Node's roots and NODE_EXTRA_CA_CERTS. Ignored for a plain `redis://` URL.
   */
  redisCaFiles?: readonly string[];
}

/** A bare URL (Node's default trust), or an endpoint with its CA files: every connection of a process gets the same. */
export type RedisTarget = string | RedisEndpoint;

/**
 * For HTTP handlers: fail fast when Redis is unreachable (no offline queue), so ingest can answer 503
 * at once instead of holding the request.
 */
export function createProducerRedis(target: RedisTarget, extra: RedisOptions = {}): Redis {
  return connectRedis(target, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: reconnect,
    ...extra,
  });
}

/**
 * For a connection that many concurrent pushes share for plain commands (a worker's results, history and
 * cancel marks): the commands issued in one event-loop turn leave in one write. Only where BullMQ defines
 * no scripts: ioredis copies the connection's whole script table into every pipeline it builds, which on a
 * BullMQ connection costs as much CPU as the saved writes (bench profile, test/bench/RESULTS.md). Never for
 * blocking commands or subscriptions. Order per connection is kept.
 */
export const AUTO_PIPELINING: Pick<RedisOptions, 'enableAutoPipelining'> = { enableAutoPipelining: true };

/** For workers and subscribers: block and reconnect forever (BullMQ requires maxRetriesPerRequest null). */
export function createWorkerRedis(target: RedisTarget, extra: RedisOptions = {}): Redis {
  return connectRedis(target, {
    maxRetriesPerRequest: null,
    retryStrategy: reconnect,
    ...extra,
  });
}

/** Whether the URL names a Redis Cluster (queues then need a hash tag per queue: `queuePrefix`). */
export function isClusterUrl(url: string): boolean {
  // By its scheme alone (REDIS_CLUSTER_NODES is folded into a redis+cluster:// URL by the config loader).
  return /^rediss?\+cluster:\/\//.test(url);
}

/**
 * One connection with `options`, wherever the URL points. A Cluster client is returned under the `Redis`
 * type: it speaks the same commands, and Pushwire only sends multi-key commands whose keys share a slot.
 */
export function connectRedis(target: RedisTarget, connectionOptions: RedisOptions): Redis {
  const url = typeof target === 'string' ? target : target.redisUrl;
  const topology = parseRedisTopology(url);
  const options = withTrustedCas(
    connectionOptions,
    topology.tls,
    typeof target === 'string' ? [] : (target.redisCaFiles ?? []),
  );
  switch (topology.kind) {
    case 'standalone':
      return new PushwireRedis(url, options);
    case 'sentinel':
      return new PushwireRedis({
        ...options,
        ...auth(topology),
        sentinels: topology.sentinels,
        name: topology.name,
        db: topology.db,
        // The primary's address comes from the Sentinels; TLS then applies to it as well.
        ...(topology.tls ? { tls: options.tls ?? {}, enableTLSForSentinelMode: true } : {}),
        sentinelRetryStrategy: reconnect,
        // No failover detector: ioredis's drops the connection when a Sentinel announces +switch-master, and
        // when that lands while the connection is already re-asking the Sentinels (a primary that died
        // closes every connection first), it aborts that attempt and the client stays closed for good. The
        // connection follows a failover without it: a dead primary's sockets close, Sentinel disconnects
        // the clients of a primary it demotes, and every reconnect asks the Sentinels again (ioredis also
        // checks the role it lands on). A write a demoted primary refused is retried on the new one.
        failoverDetector: false,
        reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
      });
    case 'cluster': {
      // Offline queue, lazy connect and auto-pipelining are the cluster client's own options; the rest apply to each node.
      const {
        enableOfflineQueue,
        lazyConnect,
        enableAutoPipelining,
        retryStrategy: _perNode,
        ...nodeOptions
      } = options;
      return new Cluster(topology.nodes, {
        redisOptions: { ...nodeOptions, ...auth(topology), ...(topology.tls ? { tls: options.tls ?? {} } : {}) },
        ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
        ...(lazyConnect === undefined ? {} : { lazyConnect }),
        // The cluster client pipelines per node itself (commands for one node in one write).
        ...(enableAutoPipelining === undefined ? {} : { enableAutoPipelining }),
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

/** `rediss` with CA files: their `tls.ca` (the caller's other TLS options kept); otherwise the options as given. */
function withTrustedCas(options: RedisOptions, tls: boolean, caFiles: readonly string[]): RedisOptions {
  const trust = tls ? redisTlsOptions(caFiles) : undefined;
  return trust ? { ...options, tls: { ...options.tls, ...trust } } : options;
}

function auth(topology: RedisTopology): Pick<RedisOptions, 'username' | 'password'> {
  return {
    ...(topology.username ? { username: topology.username } : {}),
    ...(topology.password !== undefined ? { password: topology.password } : {}),
  };
}
