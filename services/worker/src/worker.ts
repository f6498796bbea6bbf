// Starts one BullMQ worker per app queue in this process, sharing one provider and one circuit breaker per app.
import type { Clock, PushResult, PushwireConfig } from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import { CancelMarks, pushQueueName, QueueHandles, ResultChannel } from '@pushwire/queue';
import { AUTO_PIPELINING, createWorkerRedis, isClusterUrl, queuePrefix, RedisLinkWatch } from '@pushwire/redis';
import type { TokenStorage } from '@pushwire/storage';
import { LogSinkPublisher, startLogSinkWorker } from '@pushwire/log-sinks';
import type { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { createAppRuntimes } from './app-runtime.js';
import { CircuitBreaker } from './policy/circuit-breaker.js';
import type { WorkerPolicy } from './policy/worker-policy.js';
import type { ProcessPushDeps } from './process-push.js';
import { createPushWorker } from './push-worker.js';
import { noopPushMetrics } from './observers/noop-observers.js';
import type { PushObservers } from './observers/push-observers.js';
import { workerCallHistory } from './history-hooks.js';
import type { WorkerReadiness } from './health-server.js';
import type { WorkerMetrics } from './metrics/worker-metrics.js';

export interface WorkerOptions {
  config: PushwireConfig;
  logger: Logger;
  /** v2 device storage, for dead-token removal; null when only v1 is served. */
  storage: TokenStorage | null;
  clock?: Clock;
  /** The process's worker metrics (`createWorkerMetrics`, once per process). Default: nothing is counted. */
  metrics?: WorkerMetrics;
  /**
   * The process's watch on its Redis connections (every role's, so /readyz shows a process that lost its
   * Redis). Default: one of the worker's own.
   */
  redisLinks?: RedisLinkWatch;
}

/** A Redis connection down longer than this makes the worker unready, with the reason (ms). */
export const REDIS_LOST_AFTER_MS = 3_000;

export interface RunningWorker {
  /** Finish in-flight jobs, then close connections and push-service sessions. */
  close(): Promise<void>;
  /** For /readyz: Redis connected and every app queue consumed. */
  readiness(): WorkerReadiness;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { config, logger } = options;
  const { pushwire } = config;
  const links = options.redisLinks ?? new RedisLinkWatch();
  const redis = links.watch(createWorkerRedis(pushwire));
  // The plain commands every job in flight sends (results, history, cancel marks, provider tokens), on a
  // connection of their own, auto-pipelined (AUTO_PIPELINING) and carrying no BullMQ scripts: ioredis copies
  // a connection's whole script table into each pipeline it builds, which cost what pipelining saved.
  const commands = links.watch(createWorkerRedis(pushwire, AUTO_PIPELINING));
  // A Redis Cluster gives each queue a hash tag of its own (queuePrefix).
  const cluster = isClusterUrl(pushwire.redisUrl);
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  commands.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const results = new ResultChannel<PushResult>(commands, { prefix: pushwire.prefix });
  const apps = createAppRuntimes(config.apps, {
    redis: commands,
    prefix: pushwire.prefix,
    clock: options.clock,
    logger,
    apnsMetrics: options.metrics?.apns,
  });
  options.metrics?.apns.setApps(config.apps);

  const breakers = new Map<string, CircuitBreaker>();
  // Only a provider-wide signal rate-limits a whole queue; its handle is opened the first time one does.
  const queues = new QueueHandles({ redis, prefix: pushwire.prefix, cluster });
  const queueNames = new Map<string, string>();
  for (const [key, { config: app }] of apps) {
    breakers.set(
      key,
      new CircuitBreaker({
        failureThreshold: pushwire.circuitFailureThreshold,
        cooldownMs: pushwire.circuitCooldownMs,
        clock: options.clock,
        onChange: (from, to) => {
          const fields = { event: 'circuit', app_id: app.appId, platform: app.platform, from, to };
          const message = `circuit breaker of ${app.appId} (${app.platform}): ${from} -> ${to}`;
          if (to === 'open') logger.error(fields, message);
          else logger.info(fields, message);
        },
      }),
    );
    queueNames.set(key, pushQueueName(app.appId, app.platform));
  }
  const policy: WorkerPolicy = {
    cancels: new CancelMarks(commands, { prefix: pushwire.prefix }),
    breaker: (key) => breakers.get(key),
    async rateLimitQueue(key, ms) {
      const name = queueNames.get(key);
      if (name !== undefined) await queues.get(name).rateLimit(ms);
    },
  };

  const deadTokens = { storage: options.storage, redis, prefix: pushwire.prefix, logger };
  const history = workerCallHistory(commands, config, logger);
  const sinks = new LogSinkPublisher({
    redis,
    prefix: pushwire.prefix,
    cluster,
    apps: config.apps,
    clock: options.clock,
    logger,
  });
  const sinkWorker = await startLogSinkWorker({
    createConnection: () => links.watch(createWorkerRedis(pushwire)),
    prefix: pushwire.prefix,
    cluster,
    logger,
    apps: config.apps,
    ...(options.metrics ? { onDeliveryFailure: options.metrics.sinks.failed } : {}),
  });
  const observers: PushObservers = { history, metrics: options.metrics?.push ?? noopPushMetrics, sinks, results };
  const processorDeps: ProcessPushDeps = { apps, logger, clock: options.clock, deadTokens, policy, observers };
  // A connection handed to BullMQ as an instance is the caller's to close (BullMQ closes only its own copies).
  const workerConnections: Redis[] = [];
  const workers = [...apps.values()].map(({ config: app }) => {
    const queueName = pushQueueName(app.appId, app.platform);
    const connection = links.watch(createWorkerRedis(pushwire));
    connection.on('error', (err) => logger.debug({ err: err.message, queue: queueName }, 'redis connection error'));
    workerConnections.push(connection);
    const worker = createPushWorker(queueName, processorDeps, {
      connection,
      prefix: queuePrefix(pushwire.prefix, queueName, cluster),
      concurrency: pushwire.workerConcurrency,
    });
    worker.on('error', (err) => logger.warn({ err: err.message, queue: worker.name }, 'worker error'));
    return worker;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  logger.info({ queues: workers.map((w) => w.name) }, `Pushwire worker consuming ${workers.length} app queue(s)`);

  return {
    readiness: () => workerReadiness(redis.status === 'ready' && commands.status === 'ready', workers, links),
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await history.close();
      await Promise.all([...apps.values()].map((a) => a.provider.close()));
      await queues.close();
      await sinkWorker.close();
      await sinks.close();
      redis.disconnect();
      commands.disconnect();
      for (const connection of workerConnections) connection.disconnect();
    },
  };
}

function workerReadiness(redis: boolean, workers: readonly Worker[], links: RedisLinkWatch): WorkerReadiness {
  const consuming = workers.filter((w) => w.isRunning()).length;
  const downMs = links.downForMs();
  const reasons = [
    ...(redis ? [] : ['Redis connection is not ready']),
    ...(downMs > REDIS_LOST_AFTER_MS
      ? [`Redis lost for ${Math.floor(downMs / 1000)} s (${links.down()} connection(s) down)`]
      : []),
    ...(consuming < workers.length
      ? [`${workers.length - consuming} of ${workers.length} app queue consumers are not running`]
      : []),
  ];
  return { ready: reasons.length === 0, reasons, redis, redis_down_ms: downMs, consuming, queues: workers.length };
}
