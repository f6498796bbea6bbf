// Ingest's separate metrics port (PUSHWIRE_METRICS_PORT), apart from the Sylk API port: /metrics, and the
// readiness details (/readyz) the API port keeps from strangers.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface MetricsServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  port: number;
  host: string;
  registry: Registry;
  /** The readiness details for `/readyz` (200 when ready, else 503). Absent: no /readyz here. */
  readiness?: () => { ready: boolean; details: object };
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const { registry, readiness } = options;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://ingest').pathname;
    const read = req.method === 'GET' || req.method === 'HEAD';
    if (path === '/readyz' && read && readiness) {
      const report = readiness();
      res
        .writeHead(report.ready ? 200 : 503, { 'content-type': 'application/json' })
        .end(req.method === 'HEAD' ? undefined : JSON.stringify(report.details));
      return;
    }
    if (path !== '/metrics' || !read) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    registry.metrics().then(
      (body) =>
        res.writeHead(200, { 'content-type': registry.contentType }).end(req.method === 'HEAD' ? undefined : body),
      () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n'),
    );
  });
  // Scrapers reconnect cheaply; an idle keep-alive connection must not hold a stopping ingest open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
