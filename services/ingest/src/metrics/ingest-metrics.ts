// Every metric an ingest process reports, registered once per process on the registry its launcher made.
import type { Registry } from 'prom-client';
import { HttpMetrics } from './http-metrics.js';
import { QueueDepthMetrics } from './queue-depth.js';

export interface IngestMetrics {
  readonly registry: Registry;
  readonly http: HttpMetrics;
  readonly queues: QueueDepthMetrics;
}

export interface IngestMetricsOptions {
  registry: Registry;
  /** Longest a scrape waits for queue counts, ms. Default 1000. */
  queueCountTimeoutMs?: number;
}

/** Registers the ingest's metrics on `registry` (once per process: registering twice would throw). */
export function createIngestMetrics(options: IngestMetricsOptions): IngestMetrics {
  const { registry } = options;
  return {
    registry,
    http: new HttpMetrics({ registry }),
    queues: new QueueDepthMetrics({
      registry,
      ...(options.queueCountTimeoutMs !== undefined ? { timeoutMs: options.queueCountTimeoutMs } : {}),
    }),
  };
}
