// The OpenAPI document, generated from the same zod schemas the API documents (Sylk serves one too).
import { WakeUpRequestSchema } from '@pushwire/core';
import { z } from 'zod';
import { callHistoryComponents, callsPathItem } from './routes/calls-schema.js';

const Envelope = {
  type: 'object',
  required: ['code', 'description', 'data'],
  properties: { code: { type: 'integer' }, description: { type: 'string' }, data: {} },
};

/** zod emits schemas with a meta id under `$defs`; OpenAPI keeps them under `components.schemas`. */
function componentSchemas(): { schemas: Record<string, unknown>; ref: (id: string) => { $ref: string } } {
  const json = z.toJSONSchema(WakeUpRequestSchema, { io: 'input' }) as {
    $defs?: Record<string, unknown>;
  };
  return { schemas: json.$defs ?? {}, ref: (id) => ({ $ref: `#/components/schemas/${id}` }) };
}

export function openApiDocument(version: string): Record<string, unknown> {
  const { schemas, ref } = componentSchemas();
  const envelope = (description: string) => ({ description, content: { 'application/json': { schema: Envelope } } });
  return {
    openapi: '3.1.0',
    info: { title: 'Pushwire (Sylk Pushserver compatible)', version },
    paths: {
      '/': { get: { tags: ['home'], summary: 'Liveness, as Sylk', responses: { 200: { description: '"Welcome to sylk-push server"' } } } },
      '/push': {
        post: {
          tags: ['push'],
          summary: 'Send a push notification (Sylk API v1)',
          requestBody: { required: true, content: { 'application/json': { schema: ref('WakeUpRequest') } } },
          responses: {
            200: envelope('The push service accepted it; `data` is its result (body, code, reason, url, platform, call_id, token).'),
            202: envelope('Accepted for delivery (return_async = false, or still retrying when the bounded wait ended).'),
            400: envelope('Invalid request (Sylk message in `description`, `data` is "").'),
            403: envelope('Client not in allowed_hosts.'),
            404: envelope('App or platform not configured.'),
            410: envelope('The device token is no longer valid: purge it.'),
            413: envelope('Body too large.'),
            503: envelope('Queue (Redis) unavailable: nothing was accepted.'),
          },
        },
      },
      '/v1/calls/{call-id}': callsPathItem(envelope),
      '/healthz': { get: { tags: ['health'], responses: { 200: { description: 'Process alive' } } } },
      '/readyz': { get: { tags: ['health'], responses: { 200: { description: 'Ready' }, 503: { description: 'Not ready (Redis down or shutting down)' } } } },
    },
    components: {
      schemas: { ...schemas, ...callHistoryComponents() },
      securitySchemes: { adminBasic: { type: 'http', scheme: 'basic', description: 'the [admin] login of general.ini' } },
    },
  };
}
