// Starts one BullMQ worker per app queue in this process, sharing one provider per app.
import type { PushResult, PushwireConfig, Clock } from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import { createWorkerRedis, pushQueueName, ResultChannel, type PushJobData } from '@pushwire/queue';
import type { TokenStorage } from '@pushwire/storage';
import { Worker } from 'bullmq';
import { createAppRuntimes } from './app-runtime.js';
import { processPush } from './process-push.js';

export interface WorkerOptions {
  config: PushwireConfig;
  logger: Logger;
  /** v2 device storage, for dead-token removal; null when only v1 is served. */
  storage: TokenStorage | null;
  clock?: Clock;
}

export interface RunningWorker {
  /** Finish in-flight jobs, then close connections and push-service sessions. */
  close(): Promise<void>;
}

export async function startWorker(options: WorkerOptions): Promise<RunningWorker> {
  const { config, logger } = options;
  const { pushwire } = config;
  const redis = createWorkerRedis(pushwire.redisUrl);
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis connection error'));
  const results = new ResultChannel<PushResult>(redis, () => createWorkerRedis(pushwire.redisUrl), { prefix: pushwire.prefix });
  const apps = createAppRuntimes(config.apps, { redis, prefix: pushwire.prefix, clock: options.clock });

  const deadTokens = { storage: options.storage, redis, prefix: pushwire.prefix, logger };
  const workers = [...apps.values()].map(({ config: app }) => {
    const worker = new Worker<PushJobData, PushResult>(
      pushQueueName(app.appId, app.platform),
      (job) => processPush(job, { apps, results, logger, clock: options.clock, deadTokens }),
      {
        connection: createWorkerRedis(pushwire.redisUrl),
        prefix: pushwire.prefix,
        concurrency: pushwire.workerConcurrency,
        // A killed worker's jobs come back instead of failing: accepted work is never lost.
        maxStalledCount: 1000,
      },
    );
    worker.on('error', (err) => logger.warn({ err: err.message, queue: worker.name }, 'worker error'));
    return worker;
  });
  await Promise.all(workers.map((w) => w.waitUntilReady()));
  logger.info({ queues: workers.map((w) => w.name) }, `Pushwire worker consuming ${workers.length} app queue(s)`);

  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([...apps.values()].map((a) => a.provider.close()));
      await results.close();
      redis.disconnect();
    },
  };
}
