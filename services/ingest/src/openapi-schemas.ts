// The zod schemas of every body the API takes and answers, turned into OpenAPI `components.schemas`.
import {
  AddTokenRequestSchema,
  PLATFORMS,
  RemoveTokenRequestSchema,
  V2PushRequestSchema,
  WakeUpRequestSchema,
} from '@pushwire/core';
import { z } from 'zod';

const PLATFORMS_OUT = PLATFORMS;

// ---- request bodies: declared in @pushwire/core (the validators' field tables come from them), documented
// with io: 'input', so defaults are not required ----

export { AddTokenRequestSchema, RemoveTokenRequestSchema, V2PushRequestSchema };

// ---- answers (documented with io: 'output': exact shapes, no extra keys) ----

export const PushResultSchema = z
  .object({
    body: z
      .unknown()
      .describe(
        "APNs: `{}` on 200, else Apple's error JSON. FCM: the response as python-requests holds it, with the parsed answer under `_content`. Web Push: `{status_code, content}`, the push service's status and answer.",
      ),
    code: z
      .int()
      .describe(
        "The push service's status after Sylk's mapping (dead token → 410), or Pushwire's (408 expired, 409 superseded, 500 transport failure, 503 circuit open).",
      ),
    reason: z
      .string()
      .describe('"" on success; "<APNs reason> - <description>" or "<HTTP reason> <FCM message>" otherwise.'),
    url: z.string().describe('The push service URL the push went to.'),
    platform: z.enum(PLATFORMS_OUT),
    call_id: z.string(),
    token: z.string().describe('The device token the push went to.'),
  })
  .meta({ id: 'PushResult', description: 'What the push service answered for one device, as Sylk reports it.' });

export const PushResponseSchema = z
  .object({ code: z.int(), description: z.literal('push notification response'), data: PushResultSchema })
  .meta({ id: 'PushResponse', description: 'The sync answer of POST /push: the HTTP status is `code`.' });

export const V2PushResponseSchema = z
  .object({
    code: z.int().describe("The last device's code, 410 reported as 200."),
    description: z.literal('push notification responses'),
    data: z.array(PushResultSchema).min(1).describe('One result per device, in registration order.'),
  })
  .meta({ id: 'V2PushResponse', description: 'The sync answer of a v2 push: the HTTP status is `code`.' });

export const AcceptedSchema = z
  .object({
    code: z.literal(202),
    description: z.literal('accepted for delivery'),
    data: z
      .object({ job_id: z.string().optional(), job_ids: z.array(z.string()).optional() })
      .describe('`{}` when return_async = false; the job id(s) when the bounded sync wait ended first.'),
  })
  .meta({ id: 'Accepted' });

export const ValidationErrorSchema = z
  .object({
    code: z.union([z.literal(400), z.literal(404)]),
    description: z.string().describe("Sylk's message, e.g. `field required: call-id`."),
    data: z.literal(''),
  })
  .meta({
    id: 'ValidationError',
    description: 'Sylk\'s validation answer: 404 when the message says "found" or "configured", else 400.',
  });

export const ErrorEnvelopeSchema = z
  .object({ code: z.int(), description: z.string(), data: z.record(z.string(), z.unknown()) })
  .meta({
    id: 'ErrorEnvelope',
    description: "Sylk's envelope for the other errors (403, 404 not found, 413, 503, …); the HTTP status is `code`.",
  });

export const DetailSchema = z.object({ detail: z.string() }).meta({
  id: 'Detail',
  description: "FastAPI's own answers, as Sylk gives them: bad JSON (400), unknown path (404), wrong method (405).",
});

export const AddTokenResponseSchema = z
  .object({
    'app-id': z.string(),
    platform: z.enum(PLATFORMS_OUT),
    token: z.string().describe('As sent.'),
    'device-id': z.string().describe('As stored (urn:uuid: prefix and brackets removed).'),
    silent: z.boolean(),
    'user-agent': z.string().nullable(),
  })
  .meta({ id: 'AddTokenResponse' });

export const RemoveTokenResponseSchema = z
  .object({ 'app-id': z.string(), 'device-id': z.string().nullable() })
  .meta({ id: 'RemoveTokenResponse', description: 'The request, echoed.' });

export const RemoveNotFoundSchema = z
  .object({ result: z.enum(['Not found', 'User not found']) })
  .meta({ id: 'RemoveNotFound', description: "Sylk's own 404 bodies of DELETE." });

export const WelcomeSchema = z.literal('Welcome to sylk-push server').meta({ id: 'Welcome' });

export const HealthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const ReadinessSchema = z
  .object({ status: z.enum(['ready', 'not ready']) })
  .meta({ id: 'Readiness', description: 'Status only: the API port may be reachable by strangers.' });

export const ReadinessDetailsSchema = z
  .object({
    status: z.enum(['ready', 'not ready']),
    redis: z.boolean(),
    accepting: z.boolean().describe('false while shutting down'),
    result_subscriber: z.object({
      state: z.enum(['starting', 'subscribed', 'down', 'closed']),
      error: z.string().nullable().optional(),
    }),
    disabled_apps: z
      .array(
        z.object({
          section: z.string(),
          appId: z.string().nullable(),
          appType: z.string().nullable(),
          platform: z.string().nullable(),
          reason: z.string(),
        }),
      )
      .describe('Apps left out because of a configuration error.'),
  })
  .meta({ id: 'ReadinessDetails', description: 'For operators: behind the admin login, or on the metrics port.' });

const REQUESTS = [WakeUpRequestSchema, AddTokenRequestSchema, RemoveTokenRequestSchema, V2PushRequestSchema];
const ANSWERS = [
  PushResponseSchema,
  V2PushResponseSchema,
  AcceptedSchema,
  ValidationErrorSchema,
  ErrorEnvelopeSchema,
  DetailSchema,
  AddTokenResponseSchema,
  RemoveTokenResponseSchema,
  RemoveNotFoundSchema,
  WelcomeSchema,
  HealthSchema,
  ReadinessSchema,
  ReadinessDetailsSchema,
];

/** zod puts schemas with a meta id under `$defs`; OpenAPI keeps them under `components.schemas`. */
export function toComponents(schemas: readonly z.ZodType[], io: 'input' | 'output'): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const schema of schemas) {
    const json = z.toJSONSchema(schema, { io }) as { $defs?: Record<string, unknown> };
    Object.assign(out, json.$defs ?? {});
  }
  return JSON.parse(JSON.stringify(out).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<string, unknown>;
}

/** Every request and answer schema of the API, by id. */
export function apiComponentSchemas(): Record<string, unknown> {
  return { ...toComponents(REQUESTS, 'input'), ...toComponents(ANSWERS, 'output') };
}

export const schemaRef = (id: string): { $ref: string } => ({ $ref: `#/components/schemas/${id}` });
