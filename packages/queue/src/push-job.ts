// What a push job carries and how BullMQ should retry it (Sylk's schedule, reference §5).
import type { MediaType, PushRequest, PushResult } from '@pushwire/core';
import type { JobsOptions } from 'bullmq';

export interface PushJobData {
  /**
   * The data's format version, {@link PUSH_JOB_FORMAT} when ingest wrote it. Absent: format 1, written by
   * releases before the field existed. A worker reads every format up to its own and refuses newer ones
   * ({@link pushJobFormatProblem}), so during a rolling upgrade workers go first, then ingest.
   */
  v?: number;
  /** The validated request; payloads are built by the worker, so no credential ever sits in a job. */
  request: PushRequest;
  /** Sylk's correlation id `<event>-<app-id>-<call-id>`. */
  requestId: string;
  /** When ingest accepted it (ms since epoch). */
  acceptedAt: number;
  /**
   * After this instant (ms since epoch) the push is dropped instead of sent: acceptedAt + the app's call
   * deadline for call wake-ups and cancels (delivery-policy.ts). Absent: no deadline beyond Sylk's attempts
   * (messages, transfers, and jobs queued before Pushwire stamped deadlines).
   */
  deadlineAt?: number;
  /**
   * The ingest instance waiting to answer this push synchronously: the worker publishes the result on that
   * instance's channel (result-listener.ts). Absent when nobody waits (async answers).
   */
  replyTo?: string;
  /** Set for v2 pushes: the stored device this push goes to, so a dead token removes exactly that device. */
  v2?: V2Target;
}

export interface V2Target {
  account: string;
  appId: string;
  deviceId: string;
  /** The device's stored (primary) token when the push was accepted: a re-registered device is kept. */
  storedToken: string;
}

export type PushJobResult = PushResult;

/**
 * The job data format this release writes. Format 1 (no `v`) has the same fields. Bump it when a field
 * changes meaning or becomes required, and keep reading the older formats: queued jobs outlive a deploy.
 */
export const PUSH_JOB_FORMAT = 2;

/**
 * Why this release's worker cannot read a job's data, or null when it can: formats 1 (no `v`) to
 * {@link PUSH_JOB_FORMAT}, with the fields every one of them has. A newer format is refused rather than
 * read as if it were this one.
 */
export function pushJobFormatProblem(data: unknown): string | null {
  if (typeof data !== 'object' || data === null) return 'job data is not an object';
  const { v, request, requestId } = data as Record<string, unknown>;
  if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= 1)) {
    return `job data format ${JSON.stringify(v)} is not a version number`;
  }
  if (typeof v === 'number' && v > PUSH_JOB_FORMAT) {
    return `job data format v${v} is newer than this worker reads (v1 to v${PUSH_JOB_FORMAT}): upgrade the workers before ingest`;
  }
  if (typeof request !== 'object' || request === null || typeof requestId !== 'string') {
    return `job data (format v${v ?? 1}) has no request or requestId`;
  }
  return null;
}

/** Sylk: 11 retries for sms or no media type, else 7; attempts = retries + 1. */
export function sylkRetries(mediaType: MediaType | null): number {
  return !mediaType || mediaType === 'sms' ? 11 : 7;
}

export interface PushJobOptionsInput {
  jobId: string;
  mediaType: MediaType | null;
  /** Base of the 0.5·2^(n-1) s backoff, ms (500 as Sylk; tests scale it down). */
  retryBaseMs: number;
  /**
   * How long finished jobs stay readable (Bull Board, `/v1/calls`): `[admin] retention_days` / `retention_jobs`.
   * Default 1 h / 100000 completed, 24 h / 100000 failed.
   */
  retention?: { ageMs: number; count: number };
}

/**
 * The job's backoff type: Sylk's 0.5·2^(n-1) s, stretched to a push service's Retry-After. It is a custom
 * strategy, so every worker must register it (`settings.backoffStrategy`); jobs queued with BullMQ's
 * built-in `exponential` (before Retry-After was honoured) still retry on Sylk's plain schedule.
 */
export const SYLK_BACKOFF_TYPE = 'sylk';

export function pushJobOptions(input: PushJobOptionsInput): JobsOptions {
  return {
    jobId: input.jobId,
    attempts: sylkRetries(input.mediaType) + 1,
    // delay·2^(attemptsMade-1): 0.5, 1, 2, 4 ... s with delay 500, as Sylk (see SYLK_BACKOFF_TYPE).
    backoff: { type: SYLK_BACKOFF_TYPE, delay: input.retryBaseMs },
    // Kept for the audit retention (BullMQ counts age in seconds); without one, an hour.
    removeOnComplete: input.retention ? keep(input.retention) : { age: 3600, count: 100_000 },
    removeOnFail: input.retention ? keep(input.retention) : { age: 24 * 3600, count: 100_000 },
  };
}

function keep(retention: { ageMs: number; count: number }): { age: number; count: number } {
  return { age: Math.max(1, Math.ceil(retention.ageMs / 1000)), count: retention.count };
}
