// /healthz (process alive) and /readyz (Redis reachable; the result subscriber's state; apps disabled by config errors).
import type { Hono } from 'hono';
import type { IngestDeps } from '../ingest-deps.js';

export function registerHealth(app: Hono, deps: IngestDeps): void {
  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/readyz', (c) => {
    const ready = deps.accepting() && deps.redisReady();
    // A result subscriber that is down does not make the instance unready (waiters read stored results
    // instead), but it is shown, with why, so a sync caller's 202s are never a mystery.
    const subscriber = deps.results.state();
    return c.json(
      {
        status: ready ? 'ready' : 'not ready',
        redis: deps.redisReady(),
        accepting: deps.accepting(),
        result_subscriber: { state: subscriber, ...(subscriber === 'subscribed' ? {} : { error: deps.results.error() }) },
        disabled_apps: deps.settings.get().disabledApps,
      },
      ready ? 200 : 503,
    );
  });
}
