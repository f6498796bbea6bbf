// What follows an attempt that did not settle by itself: a retry, a quota pause of the app's queue, the
// end (attempts used up) or expiry (the next try would come after the call deadline).
import type { SendOutcome } from '@pushwire/core';
import type { PushJobData } from '@pushwire/queue';
import type { Job } from 'bullmq';
import { retryCauseOf, type RetryCause } from '../metrics/push-metrics.js';
import { retryBaseOf, retryDelayMs } from './retry-delay.js';
import { isQuotaExceeded, quotaPauseMs } from './worker-policy.js';

export type NextStep =
  | { kind: 'settle' }
  | { kind: 'expire'; why: string }
  | { kind: 'pause'; pauseMs: number }
  | { kind: 'retry'; delayMs: number; cause: RetryCause };

/**
 * Quota pauses one job may sit through without using an attempt (a RateLimitError puts it back unpaid);
 * past them a quota answer counts as a failed attempt, so a message cannot wait forever.
 */
const MAX_QUOTA_ROUNDS = 30;

/** @param now ms since epoch. */
export function nextStep(
  job: Job<PushJobData>,
  outcome: SendOutcome,
  deadlineAt: number | undefined,
  now: number,
): NextStep {
  if (outcome.kind !== 'retryable') return { kind: 'settle' };
  const baseMs = retryBaseOf(job.opts);
  if (isQuotaExceeded(outcome) && job.attemptsStarted - job.attemptsMade <= MAX_QUOTA_ROUNDS) {
    const pauseMs = quotaPauseMs(outcome, baseMs);
    if (deadlineAt !== undefined && now + pauseMs >= deadlineAt)
      return { kind: 'expire', why: 'the project quota pause outlasts the call deadline' };
    return { kind: 'pause', pauseMs };
  }
  if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) return { kind: 'settle' };
  const delayMs = retryDelayMs(job.attemptsMade + 1, baseMs, outcome.retryAfterMs);
  // Waiting only to drop it later helps nobody: the caller hears now.
  const { code, reason } = outcome.response;
  if (deadlineAt !== undefined && now + delayMs >= deadlineAt) {
    return {
      kind: 'expire',
      why: `after ${code} ${reason}, the next attempt (in ${delayMs} ms) would come after the call deadline`,
    };
  }
  return { kind: 'retry', delayMs, cause: retryCauseOf(outcome) };
}
