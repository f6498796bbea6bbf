// /healthz (process alive) and /readyz (Redis reachable; lists apps disabled by config errors).
import type { Hono } from 'hono';
import type { IngestDeps } from '../ingest-deps.js';

export function registerHealth(app: Hono, deps: IngestDeps): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    const ready = deps.accepting() && deps.redisReady();
    return c.json(
      { status: ready ? 'ready' : 'not ready', redis: deps.redisReady(), accepting: deps.accepting(), disabled_apps: deps.disabledApps },
      ready ? 200 : 503,
    );
  });
}
