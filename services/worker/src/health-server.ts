// The worker's small HTTP port: /metrics (Prometheus), /healthz (process alive), /readyz (Redis and consumers).
import { errorMessage } from '@pushwire/core';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@pushwire/logging';
import type { Registry } from 'prom-client';

/** What /readyz reports; 200 when `ready`, else 503 with `reasons`. */
export interface WorkerReadiness {
  ready: boolean;
  /** Why not ready, for people and probes' logs (empty when ready). */
  reasons: string[];
  /** The worker's Redis connection is up. */
  redis: boolean;
  /**
   * How long the process's Redis connection down the longest has been down, ms (0: every one is up). Past
   * a few seconds the worker is not ready: a process that never got a connection back after a failover.
   */
  redis_down_ms: number;
  /** App queues consumed now, of how many configured. */
  consuming: number;
  queues: number;
}

export interface HealthServerOptions {
  /** 0 = an ephemeral port (tests). */
  port: number;
  /** Listen address. Default 127.0.0.1. */
  host?: string;
  registry: Registry;
  /** Asked on every /readyz: the launcher's current worker (a reload replaces it). */
  readiness(): WorkerReadiness;
  logger?: Logger;
}

export interface RunningHealthServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export async function startHealthServer(options: HealthServerOptions): Promise<RunningHealthServer> {
  const host = options.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    void answer(req, res, options).catch((error: unknown) => {
      options.logger?.error({ err: errorMessage(error) }, 'worker HTTP port: request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ status: 'error' }));
    });
  });
  // Probes and scrapers use short connections; never let an idle one hold a stopping worker open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  options.logger?.info(`Pushwire worker HTTP (/metrics, /healthz, /readyz) on ${url}`);
  return {
    port,
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(req: IncomingMessage, res: ServerResponse, options: HealthServerOptions): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://worker').pathname;
  if (req.method !== 'GET' && req.method !== 'HEAD') return json(res, 405, { status: 'method not allowed' });
  if (path === '/healthz') return json(res, 200, { status: 'ok' });
  if (path === '/readyz') {
    const readiness = options.readiness();
    return json(res, readiness.ready ? 200 : 503, { status: readiness.ready ? 'ready' : 'not ready', ...readiness });
  }
  if (path === '/metrics') {
    const body = await options.registry.metrics();
    res.writeHead(200, { 'content-type': options.registry.contentType });
    res.end(req.method === 'HEAD' ? undefined : body);
    return;
  }
  json(res, 404, { status: 'not found' });
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
