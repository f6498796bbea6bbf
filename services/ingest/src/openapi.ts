// The OpenAPI document, generated from the same zod schemas the API documents (Sylk serves one too).
import { ADMIN_BOARD, ADMIN_READYZ, AUDIT_SCHEMAS, CALL_HISTORY } from './openapi-audit.js';
import { buildOperation } from './openapi-operation.js';
import { apiComponentSchemas } from './openapi-schemas.js';
import { HEALTHZ, HOME, METRICS, OPENAPI, READYZ, SERVICE_SCHEMAS } from './openapi-service.js';
import { PUSH_V1 } from './openapi-v1.js';
import { ADD_TOKEN, PUSH_ACCOUNT, PUSH_DEVICE, REMOVE_TOKEN } from './openapi-v2.js';
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

export function openApiDocument(version: string): Record<string, unknown> {
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
    paths: {
      '/': { get: buildOperation(HOME) },
      '/push': { post: buildOperation(PUSH_V1) },
      '/v2/tokens/{account}': { post: buildOperation(ADD_TOKEN), delete: buildOperation(REMOVE_TOKEN) },
      '/v2/tokens/{account}/push': { post: buildOperation(PUSH_ACCOUNT) },
      '/v2/tokens/{account}/push/{device}': { post: buildOperation(PUSH_DEVICE) },
      '/v1/calls/{call-id}': { get: buildOperation(CALL_HISTORY) },
      '/admin': { get: buildOperation(ADMIN_BOARD) },
      '/admin/readyz': { get: buildOperation(ADMIN_READYZ) },
      '/healthz': { get: buildOperation(HEALTHZ) },
      '/readyz': { get: buildOperation(READYZ) },
      '/metrics': { get: buildOperation(METRICS) },
      '/openapi.json': { get: buildOperation(OPENAPI) },
    },
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
