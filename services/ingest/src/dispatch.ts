// Puts jobs on their queues and, for sync answers, waits for their results within the bounded wait. With a
// delivery policy: refuses pushes for a full queue, stamps call deadlines, marks cancelled calls first.
import { HttpError, type Platform, type PushResult, errorMessage } from '@pushwire/core';
import { deadlineAtFor, type CallScope, type IngestPolicy, type PushJobData } from '@pushwire/queue';
import type { IngestDeps } from './ingest-deps.js';
import type { IngestSettings } from './ingest-settings.js';
import { recordAccepted } from './admin/record-accepted.js';
import { queueUnavailable } from './sylk-responses.js';

export interface DispatchJob {
  jobId: string;
  data: PushJobData;
}

/**
 * Enqueues every job (503 if Redis does not acknowledge them, or if admission control refuses one: then none
 * is queued). For a sync answer (`return_async`), registers a waiter per job first, names this instance in the
 * jobs so workers publish their results to it, and returns the results that arrived within `syncWaitMs`
 * (null for the rest, still being delivered). `onAccepted` runs once Redis holds the jobs, before the wait.
 */
export async function enqueueAndAwaitResults(
  deps: IngestDeps,
  settings: IngestSettings,
  jobs: readonly DispatchJob[],
  onAccepted?: () => Promise<void>,
): Promise<(PushResult | null)[]> {
  const { policy } = settings;
  const stamped = policy ? jobs.map((j) => withDeadline(j, policy)) : jobs;
  if (policy) await admit(deps, policy, stamped);
  if (!settings.returnAsync) {
    await enqueueAll(deps, policy, stamped);
    return stamped.map(() => null);
  }
  if (!deps.redisReady()) throw queueUnavailable();
  const replyTo = deps.results.instanceId;
  const waiting = stamped.map((j) => ({ ...j, data: { ...j.data, replyTo } }));
  const waiters = waiting.map((j) =>
    deps.results.wait(j.jobId, deps.jobKey(j.data.request.appId, j.data.request.platform, j.jobId)),
  );
  try {
    await enqueueAll(deps, policy, waiting);
  } catch (error) {
    for (const w of waiters) w.cancel();
    throw error;
  }
  await onAccepted?.();
  return Promise.all(waiters.map((w) => w.result(deps.syncWaitMs)));
}

/** The job with its deadline: acceptance + the app's call deadline for call wake-ups and cancels. */
function withDeadline(job: DispatchJob, policy: IngestPolicy): DispatchJob {
  const { request, acceptedAt } = job.data;
  const deadlineAt = deadlineAtFor(request.event, acceptedAt, policy.callDeadlineMs(request.appId, request.platform));
  return deadlineAt === undefined ? job : { ...job, data: { ...job.data, deadlineAt } };
}

/** 503 `queue full` when any target queue is full, before anything is accepted (a fan-out never half-queues). */
async function admit(deps: IngestDeps, policy: IngestPolicy, jobs: readonly DispatchJob[]): Promise<void> {
  // Every job counts: a v2 push to an account of many devices adds that many to the queue.
  const queues = new Map<string, { appId: string; platform: Platform; count: number }>();
  for (const {
    data: { request },
  } of jobs) {
    const key = `${request.appId}\u0000${request.platform}`;
    const entry = queues.get(key) ?? { appId: request.appId, platform: request.platform, count: 0 };
    entry.count += 1;
    queues.set(key, entry);
  }
  const targets = [...queues.values()];
  const verdicts = await Promise.all(targets.map((q) => policy.admit(q.appId, q.platform, q.count)));
  for (const [i, verdict] of verdicts.entries()) {
    if (verdict.admitted) continue;
    const adding = targets[i]!.count;
    const more = adding > 1 ? ` and this push would add ${adding}` : '';
    const description = `queue full: ${verdict.queue} holds ${verdict.depth} waiting or delayed pushes${more} (PUSHWIRE_MAX_QUEUE_DEPTH=${verdict.maxDepth}), retry later`;
    deps.logger.warn(
      { event: 'queue-full', queue: verdict.queue, depth: verdict.depth },
      `push not accepted: ${description}`,
    );
    throw HttpError.envelope(503, description);
  }
}

async function enqueueAll(
  deps: IngestDeps,
  policy: IngestPolicy | undefined,
  jobs: readonly DispatchJob[],
): Promise<void> {
  try {
    // A cancel supersedes the call's wake-ups accepted before it (docs/decisions/0009-idempotency-and-cancel.md): its marker, holding its
    // acceptance time, is in Redis before the cancel is queued, so a wake-up retried after the cancel was
    // accepted always sees it, while a new call attempt reusing the call-id (accepted later) does not.
    const cancelJobs = jobs.filter((j) => j.data.request.event === 'cancel');
    const cancels: CallScope[] = cancelJobs.map(({ data: { request } }) => ({
      appId: request.appId,
      callId: request.callId,
      deviceId: request.deviceId,
    }));
    let marks: readonly string[] = [];
    if (policy && cancels.length > 0) {
      const ttlMs = Math.max(...cancels.map((c) => policy.cancelMarkTtlMs(c.appId)));
      marks = await policy.markCancelled(cancels, ttlMs, Math.max(...cancelJobs.map((j) => j.data.acceptedAt)));
    }
    // A cancel is accepted only with its markers: replicas must hold them too (PUSHWIRE_REDIS_MIN_REPLICAS).
    await Promise.all(
      jobs.map((j) => deps.producer.enqueue(j.jobId, j.data, j.data.request.event === 'cancel' ? marks : [])),
    );
  } catch (error) {
    deps.logger.error({ err: error }, `push not accepted: ${errorMessage(error)}`);
    throw queueUnavailable();
  }
  for (const {
    data: { request },
  } of jobs)
    policy?.noteQueued(request.appId, request.platform);
  // The audit trail of the call (GET /v1/calls/{call-id}); it never fails a push Redis already accepted.
  await recordAccepted(deps.callHistory, jobs);
}
