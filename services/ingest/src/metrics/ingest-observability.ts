// Wires an ingest's metrics: request counting, queue depth on its Redis, and where /metrics is served.
import type { AppConfig, PushwireSettings } from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import { pushQueueName } from '@pushwire/queue';
import { isClusterUrl } from '@pushwire/redis';
import type { Handler, MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { createIngestMetrics, type IngestMetrics } from './ingest-metrics.js';
import { startMetricsServer, type MetricsServer } from './metrics-server.js';

/** What the HTTP app mounts (IngestDeps.metrics). */
export interface IngestHttpMetrics {
  /** Counts every request; mounted first. */
  middleware: MiddlewareHandler;
  /** `GET /metrics` on the API port, only when PUSHWIRE_METRICS_ON_MAIN_PORT allows it. */
  route: Handler | null;
}

export interface IngestObservability {
  readonly http: IngestHttpMetrics;
  /** `http://host:port/metrics` of the separate metrics port, or null when there is none. */
  readonly metricsUrl: string | null;
  /** A reload changed the apps: count their queues. */
  setApps(apps: readonly AppConfig[]): void;
  close(): Promise<void>;
}

export interface IngestObservabilityOptions {
  /** The process's metrics (`createIngestMetrics`); absent: a private registry (counted, served if configured). */
  metrics?: IngestMetrics;
  redis: Redis;
  settings: PushwireSettings;
  apps: readonly AppConfig[];
  /** Listen address of the separate metrics port (the `[server] host`). */
  host: string;
  /** Readiness details, served at /readyz on the separate metrics port. */
  readiness?: () => { ready: boolean; details: object };
  logger: Logger;
}

export async function startIngestObservability(options: IngestObservabilityOptions): Promise<IngestObservability> {
  const metrics = options.metrics ?? createIngestMetrics({ registry: new Registry() });
  const { registry } = metrics;
  let names = queueNamesOf(options.apps);
  metrics.queues.watch({
    redis: options.redis,
    prefix: options.settings.prefix,
    cluster: isClusterUrl(options.settings.redisUrl),
    queueNames: () => names,
  });

  let server: MetricsServer | null = null;
  const port = options.settings.metricsPort ?? null;
  if (port !== null) {
    server = await startMetricsServer({ port, host: options.host, registry, readiness: options.readiness });
    options.logger.info(`Pushwire ingest metrics on ${server.url}`);
  }
  const route: Handler | null =
    options.settings.metricsOnMainPort === true
      ? async (c) => c.body(await registry.metrics(), 200, { 'content-type': registry.contentType })
      : null;

  return {
    http: { middleware: metrics.http.middleware(), route },
    metricsUrl: server?.url ?? null,
    setApps(apps) {
      names = queueNamesOf(apps);
    },
    async close() {
      await server?.close();
      await metrics.queues.close();
    },
  };
}

function queueNamesOf(apps: readonly AppConfig[]): string[] {
  return apps.map((app) => pushQueueName(app.appId, app.platform));
}
