// The OpenAPI document, generated from the same zod schemas the API documents (Sylk serves one too).
import { specOf } from './describe-route.js';
import { AUDIT_SCHEMAS } from './openapi-audit.js';
import { buildOperation } from './openapi-operation.js';
import { apiComponentSchemas } from './openapi-schemas.js';
import { SERVICE_SCHEMAS } from './openapi-service.js';
import { callHistoryComponents } from './routes/calls-schema.js';

const DESCRIPTION = `Sylk Pushserver's HTTP API (same requests, same answers), plus Pushwire's health, metrics and audit routes.

**Examples.** Every operation carries named examples. One name ties together the request body, the path parameter
values and the response (under the status it answers) of one exchange; a request example given as a string is
the raw body text. Each example is replayed against the real server by \`test/e2e/openapi-examples.test.ts\`.

**Errors.** Validation errors use Sylk's envelope \`{"code","description","data":""}\` (404 when the message says
"found" or "configured", else 400). FastAPI's own answers keep their shape: bad JSON 400
\`{"detail":"There was an error parsing the body"}\`, unknown path 404 \`{"detail":"Not Found"}\`, wrong method 405
\`{"detail":"Method Not Allowed"}\`. Pushwire's own errors (401, 403, 409, 413, 422, 429, 503) use the envelope with an object \`data\`.

**Idempotency.** Without an \`Idempotency-Key\` header every push request is a new push, as Sylk sends it. With one,
a repeat of the same request gets the first answer again and sends nothing (see the header on the push routes).`;

/** One entry of `app.routes`. */
export interface RegisteredRoute {
  method: string;
  path: string;
  handler: unknown;
}

/** A Hono path (`/v2/tokens/:account/push/:device`) in OpenAPI's form (`/v2/tokens/{account}/push/{device}`). */
export function openApiPath(path: string): string {
  return path.replace(/:([^/{]+)/g, '{$1}');
}

/**
 * The `paths` object from the routes carrying a `describe(spec)`, in registration order (so the app's
 * registration order is the document's). Throws when one method and path is described twice.
 */
export function documentedPaths(routes: readonly RegisteredRoute[]): Record<string, Record<string, unknown>> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const spec = specOf(route.handler);
    if (!spec) continue;
    const path = openApiPath(route.path);
    const method = route.method.toLowerCase();
    const item = paths[path] ?? {};
    paths[path] = item;
    if (item[method]) throw new Error(`${route.method} ${route.path} is described twice`);
    item[method] = buildOperation(spec);
  }
  return paths;
}

export function openApiDocument(routes: readonly RegisteredRoute[], version: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Pushwire (Sylk Pushserver compatible)',
      version,
      description: DESCRIPTION,
      license: { name: 'GPL-3.0-or-later' },
    },
    tags: [
      { name: 'push', description: 'API v1: the token in the request' },
      { name: 'v2', description: 'API v2: devices stored per account' },
      { name: 'health', description: 'Probes and metrics' },
      { name: 'audit', description: 'Per-call history (admin login)' },
      { name: 'home', description: "Sylk's liveness answer and this document" },
    ],
    paths: documentedPaths(routes),
    components: {
      schemas: { ...apiComponentSchemas(), ...SERVICE_SCHEMAS, ...AUDIT_SCHEMAS, ...callHistoryComponents() },
      securitySchemes: {
        adminBasic: { type: 'http', scheme: 'basic', description: 'the [admin] login of general.ini' },
        callerKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'a caller API key ([caller:<name>] in general.ini; see docs/configuration.md, Callers)',
        },
      },
    },
  };
}
