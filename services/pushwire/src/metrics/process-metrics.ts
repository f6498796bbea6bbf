// The one metrics registry of a pushwire process, with the metric sets of the roles it runs.
import { createIngestMetrics, type IngestMetrics } from '@pushwire/ingest';
import { RedisLinkWatch } from '@pushwire/redis';
import { createWorkerMetrics, type WorkerMetrics } from '@pushwire/worker';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { registerRedisLinkMetrics } from './redis-link-metrics.js';

export interface ProcessMetrics {
  readonly registry: Registry;
  /** Present when the process runs the ingest role. */
  readonly ingest: IngestMetrics | null;
  /** Present when the process runs the worker role; kept across reloads (new workers reuse it). */
  readonly worker: WorkerMetrics | null;
  /** Every Redis connection of the process's roles, for readiness and the `pushwire_redis_*` gauges. */
  readonly redisLinks: RedisLinkWatch;
}

/**
 * Created once per process by the launcher and handed down: `pushwire start` (both roles in one process)
 * serves one registry with both sets, and a reload keeps counting on the same counters.
 */
export function createProcessMetrics(roles: { ingest: boolean; worker: boolean }): ProcessMetrics {
  const registry = new Registry();
  // CPU, memory, event-loop lag and GC of the process (prom-client's standard `process_*` / `nodejs_*`).
  collectDefaultMetrics({ register: registry });
  const redisLinks = new RedisLinkWatch();
  registerRedisLinkMetrics(registry, redisLinks);
  return {
    registry,
    redisLinks,
    ingest: roles.ingest ? createIngestMetrics({ registry }) : null,
    worker: roles.worker ? createWorkerMetrics({ registry }) : null,
  };
}
