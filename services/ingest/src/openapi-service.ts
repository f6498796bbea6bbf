// OpenAPI operations of the service routes: Sylk's GET /, health, this document and the optional /metrics.
import { PUSHWIRE_VERSION } from './version.js';
import type { OperationSpec } from './openapi-operation.js';
import { COMMON_RESPONSES } from './openapi-v1.js';

export const HOME: OperationSpec = {
  operationId: 'home',
  tags: ['home'],
  summary: 'Liveness, as Sylk answers it',
  responses: { 200: { description: 'Always.', schemas: ['Welcome'] }, 405: COMMON_RESPONSES[405] },
  examples: [
    { name: 'welcome', summary: "Sylk's greeting", status: 200, answer: 'Welcome to sylk-push server' },
    {
      name: 'wrong-method',
      summary: 'PUT /',
      description: 'Any method but GET and HEAD.',
      status: 405,
      answer: { detail: 'Method Not Allowed' },
    },
  ],
};

export const HEALTHZ: OperationSpec = {
  operationId: 'healthz',
  tags: ['health'],
  summary: 'The process is alive (liveness probe)',
  responses: { 200: { description: 'Always, while the process serves HTTP.', schemas: ['Health'] } },
  examples: [{ name: 'alive', summary: 'Alive', status: 200, answer: { status: 'ok' } }],
};

export const READYZ: OperationSpec = {
  operationId: 'readyz',
  tags: ['health'],
  summary: 'Ready to accept pushes (readiness probe)',
  description:
    'Status only. The details (Redis, the sync-answer subscriber, apps a configuration error disabled) are at ' +
    '`/admin/readyz` behind the admin login, and at `/readyz` on the metrics port (`PUSHWIRE_METRICS_PORT`).',
  responses: {
    200: { description: 'Redis reachable, accepting, and at least one app enabled.', schemas: ['Readiness'] },
    503: {
      description: 'Redis unreachable, shutting down, or no app enabled (every push would be refused).',
      schemas: ['Readiness'],
    },
  },
  examples: [
    { name: 'ready', summary: 'Ready', status: 200, answer: { status: 'ready' } },
    {
      name: 'stopping',
      summary: 'Shutting down (SIGTERM): no new pushes',
      description: 'After SIGTERM, while in-flight requests finish.',
      status: 503,
      answer: { status: 'not ready' },
    },
  ],
};

export const OPENAPI: OperationSpec = {
  operationId: 'openapi',
  tags: ['home'],
  summary: 'This document (OpenAPI 3.1)',
  responses: { 200: { description: 'The OpenAPI document.', schemas: ['OpenApiDocument'] } },
  examples: [
    {
      name: 'document',
      summary: 'The document (abridged)',
      status: 200,
      answer: {
        openapi: '3.1.0',
        info: { title: 'Pushwire (Sylk Pushserver compatible)', version: PUSHWIRE_VERSION },
        paths: {},
      },
    },
  ],
};

export const METRICS: OperationSpec = {
  operationId: 'metrics',
  tags: ['health'],
  summary: 'Prometheus metrics on the API port',
  description:
    'Only with `PUSHWIRE_METRICS_ON_MAIN_PORT=true` (otherwise 404 `{"detail":"Not Found"}`); `PUSHWIRE_METRICS_PORT` ' +
    'serves them on a port of their own.',
  responses: { 200: { description: 'Prometheus text format.', schemas: ['MetricsText'], mediaType: 'text/plain' } },
  examples: [
    {
      name: 'scrape',
      summary: 'A scrape (abridged)',
      description: 'With `PUSHWIRE_METRICS_ON_MAIN_PORT=true`.',
      status: 200,
      answer:
        '# HELP pushwire_http_requests_total Ingest HTTP requests by route pattern, method and status.\n' +
        '# TYPE pushwire_http_requests_total counter\npushwire_http_requests_total{route="/push",method="POST",status="200"} 1\n',
    },
  ],
};

/** Schemas of the service routes' answers that are not JSON bodies of the API. */
export const SERVICE_SCHEMAS: Record<string, unknown> = {
  OpenApiDocument: {
    type: 'object',
    required: ['openapi', 'info', 'paths'],
    properties: { openapi: { type: 'string' }, info: { type: 'object' }, paths: { type: 'object' } },
  },
  MetricsText: { type: 'string', description: 'Prometheus exposition format 0.0.4.' },
};
