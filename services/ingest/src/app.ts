// The ingest HTTP application: Sylk's routes and answers, Pushwire's health endpoints.
import { HttpError } from '@pushwire/core';
import { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { IngestDeps } from './ingest-deps.js';
import { settingsMiddleware } from './ingest-settings.js';
import { readinessReport, registerHealth } from './routes/health.js';
import { registerHome } from './routes/home.js';
import { registerPushV1 } from './routes/push-v1.js';
import { registerPushV2 } from './routes/push-v2.js';
import { registerTokensV2 } from './routes/tokens-v2.js';
import { registerAudit } from './admin/register-audit.js';
import { describe } from './describe-route.js';
import { openApiDocument } from './openapi.js';
import { METRICS, OPENAPI } from './openapi-service.js';
import { methodNotAllowed, notFound } from './sylk-responses.js';
import { allowedMethods } from './allowed-methods.js';
import { PUSHWIRE_VERSION } from './version.js';

export function createIngestApp(deps: IngestDeps): Hono {
  const app = new Hono();

  if (deps.metrics) app.use('*', deps.metrics.middleware);
  app.use('*', settingsMiddleware(deps.settings));
  app.use('*', async (c, next) => {
    // While stopping, every answer ends its connection: a keep-alive client sending request after request
    // would otherwise hold the stopping server open until it is killed (it then reconnects elsewhere).
    if (!deps.accepting() && c.req.method === 'POST') {
      return c.json({ code: 503, description: 'server is shutting down', data: {} }, 503, { Connection: 'close' });
    }
    await next();
    if (!deps.accepting()) c.header('Connection', 'close');
  });

  // Registration order is the OpenAPI document's order of paths.
  registerHome(app);
  registerPushV1(app, deps);
  registerTokensV2(app, deps);
  registerPushV2(app, deps);
  registerAudit(app, { ...deps, readiness: () => readinessReport(deps) });
  registerHealth(app, deps);
  if (deps.metrics?.route) app.get('/metrics', describe(METRICS), deps.metrics.route);
  // The document lists the routes registered above and this one, so it is built once they all are.
  let openapi: Record<string, unknown> = {};
  app.get('/openapi.json', describe(OPENAPI), (c) => c.json(openapi));
  openapi = openApiDocument(app.routes, PUSHWIRE_VERSION);

  app.notFound((c) => {
    const methods = allowedMethods(app, c.req.path);
    const error = methods.size > 0 && !methods.has(c.req.method) ? methodNotAllowed() : notFound();
    return c.json(error.body as object, error.status as ContentfulStatusCode);
  });

  app.onError((error, c) => {
    if (error instanceof HttpError) {
      return c.json(error.body as object, error.status as ContentfulStatusCode);
    }
    deps.logger.error({ err: error, path: c.req.path }, 'unhandled error in ingest');
    return c.json({ code: 500, description: 'internal server error', data: {} }, 500);
  });

  return app;
}
