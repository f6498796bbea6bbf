// /healthz (process alive) and /readyz (ready or not, nothing else) on the API port, which strangers may reach;
// the readiness details (Redis, the result subscriber and its error, apps disabled by config errors with the
// credential paths in their reasons) are for operators: on the metrics port and at /admin/readyz. Ready means a
// push can be served: Redis up, accepting, and at least one app enabled.
import type { Hono } from 'hono';
import { describe } from '../describe-route.js';
import type { IngestDeps } from '../ingest-deps.js';
import { HEALTHZ, READYZ } from '../openapi-service.js';

export type ReadinessSources = Pick<IngestDeps, 'accepting' | 'redisReady' | 'results' | 'settings'>;

export interface ReadinessReport {
  ready: boolean;
  /** The whole story, for operators only. */
  details: {
    status: 'ready' | 'not ready';
    redis: boolean;
    accepting: boolean;
    result_subscriber: { state: string; error?: string | null };
    disabled_apps: unknown[];
  };
}

export function readinessReport(sources: ReadinessSources): ReadinessReport {
  // With no app enabled every push is refused: such an instance must not receive traffic.
  const ready = sources.accepting() && sources.redisReady() && sources.settings.get().enabledApps > 0;
  // A result subscriber that is down does not make the instance unready (waiters read stored results
  // instead), but it is shown, with why, so a sync caller's 202s are never a mystery.
  const subscriber = sources.results.state();
  return {
    ready,
    details: {
      status: ready ? 'ready' : 'not ready',
      redis: sources.redisReady(),
      accepting: sources.accepting(),
      result_subscriber: {
        state: subscriber,
        ...(subscriber === 'subscribed' ? {} : { error: sources.results.error() }),
      },
      disabled_apps: [...sources.settings.get().disabledApps],
    },
  };
}

export function registerHealth(app: Hono, deps: ReadinessSources): void {
  app.get('/healthz', describe(HEALTHZ), (c) => c.json({ status: 'ok' }));
  app.get('/readyz', describe(READYZ), (c) => {
    const { ready } = readinessReport(deps);
    return c.json({ status: ready ? 'ready' : 'not ready' }, ready ? 200 : 503);
  });
}
