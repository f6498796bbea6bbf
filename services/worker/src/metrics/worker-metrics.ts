// Every metric a worker process reports, registered once per process on the registry its launcher made.
import type { Clock } from '@pushwire/core';
import type { Registry } from 'prom-client';
import { ApnsMetrics } from './apns-metrics.js';
import { PushMetrics } from './push-metrics.js';
import { SinkMetrics } from './sink-metrics.js';

export interface WorkerMetrics {
  readonly registry: Registry;
  readonly push: PushMetrics;
  readonly apns: ApnsMetrics;
  readonly sinks: SinkMetrics;
}

export interface WorkerMetricsOptions {
  registry: Registry;
  clock?: Clock;
}

/**
 * Registers the worker's metrics on `registry`. Once per process: a reload starts new workers with the same
 * set, so counters keep counting across reloads (registering twice would throw).
 */
export function createWorkerMetrics(options: WorkerMetricsOptions): WorkerMetrics {
  const { registry, clock } = options;
  return {
    registry,
    push: new PushMetrics({ registry, clock }),
    apns: new ApnsMetrics({ registry, clock }),
    sinks: new SinkMetrics({ registry }),
  };
}
