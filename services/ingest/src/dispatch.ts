// Puts jobs on their queues and, for sync answers, waits for their results within the bounded wait.
import type { PushResult } from '@pushwire/core';
import type { PushJobData } from '@pushwire/queue';
import type { IngestDeps } from './ingest-deps.js';
import { queueUnavailable } from './sylk-responses.js';

export interface DispatchJob {
  jobId: string;
  data: PushJobData;
}

/**
 * Enqueues every job (503 if Redis does not acknowledge them). With `wait`, subscribes to each job's result
 * first and returns the results that arrived within `syncWaitMs` (null for the rest, still being delivered).
 */
export async function dispatch(deps: IngestDeps, jobs: readonly DispatchJob[], wait: boolean): Promise<(PushResult | null)[]> {
  const log = deps.logger;
  if (!wait) {
    await enqueueAll(deps, jobs);
    return jobs.map(() => null);
  }
  if (!deps.redisReady()) throw queueUnavailable();
  let waiters;
  try {
    waiters = await Promise.all(jobs.map((j) => deps.results.subscribe(j.jobId)));
  } catch (error) {
    log.error({ err: error }, 'result channel unavailable');
    throw queueUnavailable();
  }
  try {
    await enqueueAll(deps, jobs);
  } catch (error) {
    for (const w of waiters) w.cancel();
    throw error;
  }
  return Promise.all(waiters.map((w) => w.result(deps.syncWaitMs)));
}

async function enqueueAll(deps: IngestDeps, jobs: readonly DispatchJob[]): Promise<void> {
  try {
    await Promise.all(jobs.map((j) => deps.producer.enqueue(j.jobId, j.data)));
  } catch (error) {
    deps.logger.error({ err: error }, `push not accepted: ${error instanceof Error ? error.message : String(error)}`);
    throw queueUnavailable();
  }
}
