// The worker side of the per-call history (GET /v1/calls): each attempt with the push service's answer, the
// policy's holds, and how the push ended. Recording never fails or delays a push beyond one Redis write.
import {
  DEFAULT_ADMIN_CONFIG,
  type ProviderResponse,
  type PushwireConfig,
  type SendOutcome,
  errorMessage,
} from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import {
  CallHistory,
  pushQueueName,
  type AttemptInput,
  type FinalOutcome,
  type PushJobData,
  type ResultInput,
} from '@pushwire/queue';
import { isClusterUrl } from '@pushwire/redis';
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { isQuotaExceeded } from './policy/worker-policy.js';

export interface WorkerCallHistory {
  attempt(callId: string, input: AttemptInput): Promise<void>;
  result(callId: string, input: ResultInput): Promise<void>;
  /** The last attempt and the result in one write; without it, `attempt` then `result`. */
  settled?(callId: string, attempt: AttemptInput, result: ResultInput): Promise<void>;
}

/** The history as this worker writes it: the configured retention, failures logged (never thrown). */
export function workerCallHistory(redis: Redis, config: PushwireConfig, logger: Logger): CallHistory {
  const admin = config.admin ?? DEFAULT_ADMIN_CONFIG;
  return new CallHistory(redis, {
    prefix: config.pushwire.prefix,
    ttlMs: admin.retentionMs,
    recentCalls: admin.retentionJobs,
    cluster: isClusterUrl(config.pushwire.redisUrl),
    onError: (error, callId) =>
      logger.warn({ err: errorMessage(error), call_id: callId }, 'call history record not stored'),
    onPruneError: (error) =>
      logger.warn({ err: errorMessage(error) }, 'call history pruning failed (retried after the next push)'),
  });
}

function where(job: Job<PushJobData>) {
  const { request } = job.data;
  return { jobId: job.id ?? '', queue: pushQueueName(request.appId, request.platform), attempt: job.attemptsMade + 1 };
}

/** An attempt as the history records it (made when the attempt ends; written with the result when it is the last). */
export interface AttemptOutcome {
  outcome: SendOutcome;
  /** The open circuit held the push back: nothing was sent. */
  held: boolean;
  /** `Date.now()` when the attempt ended. */
  at: number;
}

function attemptInput(job: Job<PushJobData>, { outcome, held, at }: AttemptOutcome): AttemptInput {
  const { code, reason } = outcome.response;
  const retryAfterMs = outcome.kind === 'retryable' && outcome.retryAfterMs !== undefined ? outcome.retryAfterMs : null;
  const policy = held ? 'circuit-open' : isQuotaExceeded(outcome) ? 'quota-exceeded' : null;
  return { at, ...where(job), sent: !held, outcome: outcome.kind, code, reason, retryAfterMs, policy };
}

function resultInput(job: Job<PushJobData>, response: ProviderResponse, outcome: FinalOutcome): ResultInput {
  return { at: Date.now(), ...where(job), outcome, code: response.code, reason: response.reason };
}

/** One attempt: what the push service answered, or that the open circuit held the push back (`held`). */
export async function recordAttempt(
  history: WorkerCallHistory,
  job: Job<PushJobData>,
  outcome: SendOutcome,
  held: boolean,
): Promise<void> {
  await history.attempt(job.data.request.callId, attemptInput(job, { outcome, held, at: Date.now() }));
}

/** How the push ended (the result the caller was given). */
export async function recordResult(
  history: WorkerCallHistory,
  job: Job<PushJobData>,
  response: ProviderResponse,
  outcome: FinalOutcome,
): Promise<void> {
  await history.result(job.data.request.callId, resultInput(job, response, outcome));
}

/** The attempt that settled the push, then how it ended: one write when the history can (`settled`). */
export async function recordSettled(
  history: WorkerCallHistory,
  job: Job<PushJobData>,
  attempt: AttemptOutcome,
  response: ProviderResponse,
  outcome: FinalOutcome,
): Promise<void> {
  const { callId } = job.data.request;
  if (history.settled) return history.settled(callId, attemptInput(job, attempt), resultInput(job, response, outcome));
  await history.attempt(callId, attemptInput(job, attempt));
  await history.result(callId, resultInput(job, response, outcome));
}

/** A settled send outcome as a final outcome: a retryable one that settles has used up its attempts. */
export function finalOutcomeOf(outcome: SendOutcome): FinalOutcome {
  return outcome.kind === 'retryable' ? 'failed' : outcome.kind;
}
