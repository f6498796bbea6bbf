// The BullMQ worker of one app queue running processPush, with the settings the delivery policy relies on.
import type { PushResult } from '@pushwire/core';
import type { PushJobData } from '@pushwire/queue';
import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { pushBackoffStrategy } from './policy/retry-delay.js';
import { processPush, type ProcessPushDeps } from './process-push.js';

export interface PushWorkerOptions {
  /** The worker's own connection (the caller closes it: BullMQ closes only its own copies). */
  connection: Redis;
  /** The queue's BullMQ prefix. */
  prefix: string;
  /** Jobs in flight at once. */
  concurrency: number;
}

/**
 * BullMQ applies a manual queue rate limit (`queue.rateLimit`) only to workers that have a limiter; this one
 * is never reached by itself (a billion jobs a second), so only the quota signal ever limits a queue.
 */
const QUOTA_ONLY_LIMITER = { max: 1_000_000_000, duration: 1000 };

export function createPushWorker(
  queueName: string,
  deps: ProcessPushDeps,
  options: PushWorkerOptions,
): Worker<PushJobData, PushResult> {
  return new Worker<PushJobData, PushResult>(queueName, (job) => processPush(job, deps), {
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    // A killed worker's jobs come back instead of failing: accepted work is never lost. Short locks and
    // stall checks bring them back within ~15 s (BullMQ's 30 s + 30 s would make call wake-ups miss
    // their 60 s deadline); locks are renewed every lockDuration/2 while a job runs.
    maxStalledCount: 1000,
    lockDuration: 10_000,
    stalledInterval: 5_000,
    // Retry-After stretches one job's backoff (docs/decisions/0011-rate-limits-per-token.md), never the queue's.
    settings: { backoffStrategy: pushBackoffStrategy },
    limiter: QUOTA_ONLY_LIMITER,
  });
}
