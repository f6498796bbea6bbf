// Retry timing of push jobs: Sylk's 0.5·2^(n-1) s schedule, stretched to a push service's Retry-After for
// that one job (docs/decisions/0011-rate-limits-per-token.md: an APNs 429 is about one device token, so the queue keeps flowing).
import type { PushResult } from '@pushwire/core';
import { SYLK_BACKOFF_TYPE } from '@pushwire/queue';
import type { BackoffStrategy, JobsOptions } from 'bullmq';

/** Sylk's base delay (`bo_factor` 0.5 s), used when a job carries none. */
export const DEFAULT_RETRY_BASE_MS = 500;

/**
 * Sylk's wait after failed attempt `attempt` (1-based): base·2^(attempt-1), so 0.5, 1, 2 ... s at base 500.
 *
 * @param baseMs base delay, ms.
 */
export function sylkBackoffMs(attempt: number, baseMs: number): number {
  return Math.round(baseMs * 2 ** (Math.max(1, attempt) - 1));
}

/**
 * The wait before the next attempt, ms: Sylk's backoff, or the push service's Retry-After when that is longer.
 *
 * @param attempt the attempt that just failed, 1-based.
 * @param retryAfterMs the answer's Retry-After, ms, if it had one.
 */
export function retryDelayMs(attempt: number, baseMs: number, retryAfterMs?: number): number {
  const backoff = sylkBackoffMs(attempt, baseMs);
  return retryAfterMs !== undefined && Number.isFinite(retryAfterMs) && retryAfterMs > backoff
    ? Math.ceil(retryAfterMs)
    : backoff;
}

/** The base delay a job was queued with (`backoff.delay`), or Sylk's. */
export function retryBaseOf(opts: Pick<JobsOptions, 'backoff'>): number {
  const { backoff } = opts;
  if (typeof backoff === 'number') return backoff;
  return backoff?.delay ?? DEFAULT_RETRY_BASE_MS;
}

/** Thrown by the processor for an attempt worth repeating; `delayMs` is the wait it chose (Retry-After included). */
export class RetryableSendError extends Error {
  constructor(
    readonly result: PushResult,
    readonly delayMs?: number,
  ) {
    super(`${result.code} ${result.reason}`);
    this.name = 'RetryableSendError';
  }
}

/**
 * The worker's `settings.backoffStrategy` for SYLK_BACKOFF_TYPE jobs: the processor's chosen delay when it
 * threw a RetryableSendError, else (an unexpected error) Sylk's plain backoff.
 */
export const pushBackoffStrategy: BackoffStrategy = (attemptsMade, type, err, job) => {
  if (type !== SYLK_BACKOFF_TYPE) throw new Error(`unknown backoff type ${String(type)}`);
  if (err instanceof RetryableSendError && err.delayMs !== undefined) return err.delayMs;
  return sylkBackoffMs(attemptsMade, job ? retryBaseOf(job.opts) : DEFAULT_RETRY_BASE_MS);
};
