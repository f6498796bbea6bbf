// Starts the ingest HTTP server on Sylk's host/port (plain HTTP, or TLS from `tls_certificate`).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { AppTypeRules, Platform, PushResult, PushwireConfig } from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import { createIngestPolicy, IdempotencyStore, jobKeyOf, pushQueueName, ResultListener } from '@pushwire/queue';
import {
  ClusterReplicaAck,
  createProducerRedis,
  createWorkerRedis,
  isClusterUrl,
  queuePrefix,
  type RedisLinkWatch,
} from '@pushwire/redis';
import type { TokenStorage } from '@pushwire/storage';
import { RateLimiter } from '@pushwire/redis';
import { AccessList } from './access-list.js';
import { applyHttpLimits, httpLimitsOf, serverOptionsFor } from './http-limits.js';
import { CallerPolicy } from './callers/caller-policy.js';
import { createIngestApp } from './app.js';
import type { IngestDeps } from './ingest-deps.js';
import { IngestSettingsHolder, type IngestSettings } from './ingest-settings.js';
import { ADD_TIMEOUT_MS, PushProducer } from './push-producer.js';
import { startAudit } from './admin/start-audit.js';
import type { IngestMetrics } from './metrics/ingest-metrics.js';
import { startIngestObservability } from './metrics/ingest-observability.js';
import { readinessReport } from './routes/health.js';

export interface IngestOptions {
  config: PushwireConfig;
  logger: Logger;
  /** v2 device storage (chosen by the launcher from the config). */
  storage: TokenStorage;
  lookupApp(appId: string, platform: Platform): AppTypeRules | undefined;
  /** The process's ingest metrics (`createIngestMetrics`, once per process). Default: a private registry. */
  metrics?: IngestMetrics;
  /** The process's watch on its Redis connections (readiness details, `pushwire_redis_*`). Default: none. */
  redisLinks?: RedisLinkWatch;
}

export interface RunningIngest {
  readonly port: number;
  readonly url: string;
  /** The separate metrics port's `/metrics` URL (PUSHWIRE_METRICS_PORT), or null when there is none. */
  readonly metricsUrl: string | null;
  /**
   * Serve a reloaded configuration (Sylk's hot reload): apps, access list, answer mode and policy change for
   * the next request. Listen address, port and TLS need a restart, as in Sylk.
   */
  reload(config: PushwireConfig, lookupApp: IngestOptions['lookupApp']): Promise<void>;
  /** Stop accepting (503), close the listener, then the Redis connections. */
  close(): Promise<void>;
}

export async function startIngest(options: IngestOptions): Promise<RunningIngest> {
  const { config, logger } = options;
  const { pushwire, server } = config;
  const redis = createProducerRedis(pushwire);
  options.redisLinks?.watch(redis);
  // A Redis Cluster gives each queue a hash tag of its own (queuePrefix); decided once, not per request.
  const cluster = isClusterUrl(pushwire.redisUrl);
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  await waitForRedis(redis, logger);
  // One result subscription for this process, made before the first request (docs/decisions/0008-sync-answers.md).
  const instanceId = randomUUID();
  const results = new ResultListener<PushResult>({
    redis,
    // Named, so an operator finds it in CLIENT LIST.
    createSubscriber: () => {
      const subscriber = createWorkerRedis(pushwire, { connectionName: `pushwire-results-${instanceId}` });
      options.redisLinks?.watch(subscriber);
      return subscriber;
    },
    prefix: pushwire.prefix,
    instanceId,
    log: logger,
  });
  await results.start();
  // Bull Board, the per-call history, and how long finished jobs stay readable for them.
  const audit = startAudit({ redis, config, logger });
  const minReplicas = pushwire.redisMinReplicas ?? 0;
  // Its own connections: WAIT blocks the node connection it waits on.
  const replicaWait =
    cluster && minReplicas > 0 ? createProducerRedis(pushwire, { connectionName: 'pushwire-replica-wait' }) : undefined;
  replicaWait?.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error (replica wait)'));
  if (replicaWait) await waitForRedis(replicaWait, logger);
  const clusterReplicas =
    replicaWait &&
    new ClusterReplicaAck({
      cluster: replicaWait,
      replicas: minReplicas,
      timeoutMs: ADD_TIMEOUT_MS,
      prefix: pushwire.prefix,
    });
  const producer = new PushProducer({
    redis,
    prefix: pushwire.prefix,
    retryBaseMs: pushwire.retryBaseMs,
    apps: config.apps,
    retention: audit.retention,
    cluster,
    minReplicas,
    ...(clusterReplicas ? { clusterReplicas } : {}),
  });
  // Call deadlines, cancel markers and admission control (docs/decisions/0007-delivery-deadlines-and-retries.md, docs/decisions/0009-idempotency-and-cancel.md), with the rest of what a reload
  // changes: each request reads one immutable snapshot, and a replaced policy closes after its last request.
  const settingsFor = (next: PushwireConfig, lookupApp: IngestOptions['lookupApp']): IngestSettings => ({
    returnAsync: next.server.returnAsync,
    accessList: new AccessList(next.server.allowedHosts),
    callers: new CallerPolicy(next.callers),
    lookupApp,
    disabledApps: next.disabledApps,
    enabledApps: next.apps.length,
    policy: createIngestPolicy({
      redis,
      prefix: pushwire.prefix,
      apps: next.apps,
      maxQueueDepth: next.pushwire.maxQueueDepth,
      cluster,
    }),
  });
  const settings = new IngestSettingsHolder(settingsFor(config, options.lookupApp));
  let accepting = true;
  const redisReady = () => redis.status === 'ready';
  const observability = await startIngestObservability({
    metrics: options.metrics,
    redis,
    settings: pushwire,
    apps: config.apps,
    host: server.host,
    logger,
    readiness: () => readinessReport({ accepting: () => accepting, redisReady, results, settings }),
  });

  const deps: IngestDeps = {
    logger,
    settings,
    syncWaitMs: pushwire.syncWaitMs,
    maxBodyBytes: pushwire.maxBodyBytes,
    producer,
    results,
    idempotency: new IdempotencyStore({
      redis,
      prefix: pushwire.prefix,
      windowMs: pushwire.idempotencyWindowMs,
      maxKeys: pushwire.idempotencyMaxKeys,
    }),
    jobKey: (appId, platform, jobId) => {
      const name = pushQueueName(appId, platform);
      return jobKeyOf(queuePrefix(pushwire.prefix, name, cluster), name, jobId);
    },
    storage: options.storage,
    maxDevicesPerAccount: pushwire.maxDevicesPerAccount,
    clientAddress: (c) => getConnInfo(c).remote.address,
    rateLimiter: new RateLimiter({ redis, prefix: pushwire.prefix }),
    accepting: () => accepting,
    redisReady,
    ...audit.deps,
    metrics: observability.http,
  };
  const app = createIngestApp(deps);

  const tls = server.tlsCertificate ? readFileSync(server.tlsCertificate, 'utf8') : null;
  const limits = httpLimitsOf(pushwire);
  const serverOptions = serverOptionsFor(limits);
  const httpServer: ServerType = await new Promise((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        hostname: server.host,
        port: server.port,
        ...(tls
          ? { createServer: createHttpsServer, serverOptions: { ...serverOptions, key: tls, cert: tls } }
          : { serverOptions }),
      },
      () => resolve(s),
    );
    s.once('error', reject);
  });
  applyHttpLimits(httpServer as Server, limits, logger);
  const port = (httpServer.address() as AddressInfo).port;
  const url = `${tls ? 'https' : 'http'}://${server.host.includes(':') ? `[${server.host}]` : server.host}:${port}`;
  logger.info(`Pushwire ingest listening on ${url}`);

  return {
    port,
    url,
    metricsUrl: observability.metricsUrl,
    async reload(next, lookupApp) {
      producer.addApps(next.apps);
      audit.reload(next);
      observability.setApps(next.apps);
      // New requests see the new settings at once; the old policy closes after its last request.
      void settings.swap(settingsFor(next, lookupApp));
    },
    async close() {
      accepting = false;
      await new Promise<void>((resolve) => httpServer.close(() => resolve()));
      await observability.close();
      await producer.close();
      clusterReplicas?.close();
      await audit.close();
      await settings.close();
      await results.close();
      redis.disconnect();
    },
  };
}

/** Listen only once Redis answers, so the first requests are not refused; a Redis still down after the
 * bound is reported and the server starts anyway (503 until Redis is back, /readyz says why). */
async function waitForRedis(
  redis: ReturnType<typeof createProducerRedis>,
  logger: Logger,
  timeoutMs = 10_000,
): Promise<void> {
  if (redis.status === 'ready') return;
  const ready = await new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    redis.once('ready', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
  if (!ready) logger.error(`Redis not reachable after ${timeoutMs} ms: answering 503 until it is`);
}
