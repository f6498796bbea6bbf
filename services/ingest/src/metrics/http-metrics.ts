// Request metrics of the ingest API, labelled by route pattern (never the raw path, which carries accounts).
import type { MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { Counter, Histogram, type Registry } from 'prom-client';

/** Label for a request no route matched (404/405), so scanners cannot grow the label set. */
export const UNMATCHED_ROUTE = 'unmatched';
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']);
/** Seconds; a sync push answer waits up to PUSHWIRE_SYNC_WAIT_MS (4 s). */
const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export class HttpMetrics {
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly duration: Histogram<'route' | 'method'>;

  constructor(options: { registry: Registry }) {
    const registers = [options.registry];
    this.requests = new Counter({
      name: 'pushwire_http_requests_total',
      help: 'Ingest HTTP requests by route pattern (e.g. /v2/tokens/:account/push), method and status',
      labelNames: ['route', 'method', 'status'],
      registers,
    });
    this.duration = new Histogram({
      name: 'pushwire_http_request_duration_seconds',
      help: 'Ingest HTTP request duration by route pattern and method (a sync push includes the wait for the push service)',
      labelNames: ['route', 'method'],
      buckets: DURATION_BUCKETS,
      registers,
    });
  }

  /** Hono middleware; mount it first so every answer is counted, refusals and errors included. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const startedAt = performance.now();
      // Hono turns handler errors into onError's answer before this returns, so c.res is always the answer.
      await next();
      const route = routeOf(matchedRoutes(c));
      const method = METHODS.has(c.req.method) ? c.req.method : 'other';
      this.requests.inc({ route, method, status: String(c.res.status) });
      this.duration.observe({ route, method }, (performance.now() - startedAt) / 1000);
    };
  }
}

/** The pattern of the handler route that matched (middleware, registered for ALL methods, are skipped). */
export function routeOf(routes: readonly { method: string; path: string }[]): string {
  const handlers = routes.filter((r) => r.method !== 'ALL');
  return handlers.at(-1)?.path ?? UNMATCHED_ROUTE;
}
