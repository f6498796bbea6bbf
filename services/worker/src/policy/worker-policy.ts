// The delivery policy one worker process applies around each send: call deadlines, cancel markers,
// per-app circuit breakers and FCM's provider-wide quota signal.
import { DEFAULT_APP_DELIVERY, type AppDeliveryPolicy, type SendOutcome } from '@pushwire/core';
import { fcmErrorCodeOf } from '@pushwire/fcm';
import { deadlineAtFor, type CallScope, type PushJobData } from '@pushwire/queue';
import type { CircuitBreaker } from './circuit-breaker.js';

export interface WorkerPolicy {
  /** Cancel markers set by ingest (docs/decisions/0009-idempotency-and-cancel.md). */
  cancels: { isCancelled(scope: CallScope, acceptedAt: number): Promise<boolean> };
  /** The circuit breaker of one app (by `appKey`), if it has one. */
  breaker(appKey: string): CircuitBreaker | undefined;
  /** Rate-limits one app's whole queue for `ms`: only for provider-wide signals (docs/decisions/0011-rate-limits-per-token.md). */
  rateLimitQueue(appKey: string, ms: number): Promise<void>;
}

/**
 * The job's deadline: the one ingest stamped; for jobs without one (queued by an older ingest, or an ingest
 * without the policy) the same rule from this worker's copy of the app's config.
 */
export function deadlineOf(data: PushJobData, delivery: AppDeliveryPolicy | undefined): number | undefined {
  if (data.deadlineAt !== undefined) return data.deadlineAt;
  return deadlineAtFor(data.request.event, data.acceptedAt, (delivery ?? DEFAULT_APP_DELIVERY).callDeadlineMs);
}

/** FCM's `QUOTA_EXCEEDED`: the project's sending quota, a provider-wide signal (unlike one token's 429). */
export function isQuotaExceeded(outcome: SendOutcome): boolean {
  if (outcome.kind !== 'retryable') return false;
  const body = outcome.response.body;
  const content = typeof body === 'object' && body !== null ? (body as { _content?: unknown })._content : undefined;
  return fcmErrorCodeOf(content) === 'QUOTA_EXCEEDED';
}

/**
 * How long a quota signal pauses the app's queue, ms: its Retry-After, else Google's advice for
 * QUOTA_EXCEEDED (back off at least a minute), i.e. 120 × the retry base (60 s at Sylk's 500 ms).
 */
export function quotaPauseMs(outcome: SendOutcome, retryBaseMs: number): number {
  const retryAfter = outcome.kind === 'retryable' ? outcome.retryAfterMs : undefined;
  return retryAfter !== undefined && retryAfter > 0 ? retryAfter : 120 * retryBaseMs;
}

/** Whether an outcome counts against the push service for the circuit breaker: no answer, or a 5xx. */
export function isServiceFailure(outcome: SendOutcome): boolean {
  return outcome.kind === 'retryable' && outcome.response.code >= 500;
}
