// The answer of GET /v1/calls/{call-id} as a zod schema: documented in the OpenAPI document, checked in tests.
import { z } from 'zod';

const isoTime = z.iso.datetime().describe('ISO 8601, UTC');

const Attempt = z
  .object({
    attempt: z.int().describe('1-based attempt number (BullMQ attemptsMade + 1)'),
    at: isoTime,
    sent: z.boolean().describe('false when the circuit breaker held the push back and nothing was sent'),
    outcome: z.string().describe('delivered, retryable, dead-token or rejected'),
    code: z.int().describe("the push service's status (or Pushwire's for transport failures and holds)"),
    reason: z.string(),
    retry_after_ms: z.int().nullable(),
  })
  .meta({ id: 'CallAttempt' });

const Policy = z
  .object({
    outcome: z.enum(['circuit-open', 'quota-exceeded', 'expired', 'superseded']),
    at: isoTime,
    attempt: z.int(),
    code: z.int(),
    reason: z.string(),
  })
  .meta({ id: 'CallPolicyOutcome' });

const FINAL = ['delivered', 'dead-token', 'rejected', 'failed', 'expired', 'superseded'] as const;

const Push = z
  .object({
    job_id: z.string(),
    queue: z.string(),
    board: z.string().describe("path of the job's page on Bull Board (same login)"),
    api: z.enum(['v1', 'v2']).nullable(),
    app_id: z.string().nullable(),
    platform: z.string().nullable(),
    event: z.string().nullable(),
    device_id: z.string().nullable(),
    account: z.string().nullable().describe('v2: the account pushed to'),
    accepted_at: isoTime.nullable(),
    deadline_at: isoTime.nullable(),
    times_accepted: z.int().describe('more than 1: the caller retried the same request (one job, one delivery)'),
    status: z.enum([...FINAL, 'pending']),
    request: z
      .record(z.string(), z.unknown())
      .nullable()
      .describe("the validated request in Sylk's keys; no credentials"),
    attempts: z.array(Attempt),
    policy: z.array(Policy),
    result: z
      .object({ outcome: z.enum(FINAL), at: isoTime, attempt: z.int(), code: z.int(), reason: z.string() })
      .nullable(),
  })
  .meta({ id: 'CallPush' });

export const CallHistorySchema = z
  .object({ call_id: z.string(), pushes: z.array(Push).min(1) })
  .meta({ id: 'CallHistory', description: 'Every push of one call, oldest first' });

/** The schemas above for `components.schemas`, their `$defs` references rewritten for OpenAPI. */
export function callHistoryComponents(): Record<string, unknown> {
  const json = z.toJSONSchema(CallHistorySchema, { io: 'output' }) as { $defs?: Record<string, unknown> };
  return JSON.parse(JSON.stringify(json.$defs ?? {}).replaceAll('"#/$defs/', '"#/components/schemas/')) as Record<
    string,
    unknown
  >;
}
