// One push job in one pass: the gate's verdict (call deadline, cancel, circuit breaker), the send's outcome,
// the next step (retry, quota pause, settle, expire), one report handed to the observers, then BullMQ's answer
// (complete, fail for good, retry, or back to waiting).
import {
  appKey,
  platformLabel,
  systemClock,
  type Clock,
  type ProviderResponse,
  type PushResult,
  type SendOutcome,
  errorMessage,
} from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import { pushJobFormatProblem, type PushJobData } from '@pushwire/queue';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AppRuntime } from './app-runtime.js';
import { handleDeadToken, type DeadTokenDeps } from './dead-tokens.js';
import { deliveryResultOf } from './metrics/push-metrics.js';
import { recordReport, type PushObservers } from './observers/push-observers.js';
import type { AttemptReport } from './observers/push-report.js';
import { gate, reportToCircuit } from './policy/gate.js';
import { nextStep } from './policy/next-step.js';
import { expiredResponse, supersededResponse } from './policy/policy-results.js';
import { RetryableSendError } from './policy/retry-delay.js';
import { deadlineOf, type WorkerPolicy } from './policy/worker-policy.js';
import { sendPush } from './send-push.js';

export { RetryableSendError } from './policy/retry-delay.js';

export interface ProcessPushDeps {
  apps: ReadonlyMap<string, AppRuntime>;
  logger: Logger;
  deadTokens: DeadTokenDeps;
  clock?: Clock;
  /** Cancel markers, circuit breakers and queue rate limits. */
  policy: WorkerPolicy;
  /** History, metrics, log sinks and the result channel: each report goes to all of them. */
  observers: PushObservers;
}

/** What one job needs in hand while it runs. */
interface Run {
  job: Job<PushJobData>;
  deps: ProcessPushDeps;
  log: Logger;
  label: string;
}

export async function processPush(job: Job<PushJobData>, deps: ProcessPushDeps): Promise<PushResult> {
  // A job from a newer release may mean something else in the fields this worker knows: fail it, never misread it.
  const unreadable = pushJobFormatProblem(job.data);
  if (unreadable !== null) {
    deps.logger.error(
      { event: 'job-format', job_id: job.id, queue: job.queueName },
      `push job ${job.id} not processed: ${unreadable}`,
    );
    throw new UnrecoverableError(unreadable);
  }
  const { request, requestId } = job.data;
  const label = platformLabel(request.platform);
  const log = deps.logger.child({
    request_id: requestId,
    call_id: request.callId,
    job_id: job.id,
    attempt: job.attemptsMade + 1,
  });
  const run: Run = { job, deps, log, label };
  const clock = deps.clock ?? systemClock;
  const key = appKey(request.appId, request.platform);
  const app = deps.apps.get(key);
  if (!app) {
    // The app was removed or disabled since the job was accepted: nothing can send it.
    return settle(
      run,
      {
        kind: 'rejected',
        response: { code: 404, reason: `${label} ${request.appId} app is not configured`, body: {}, url: '' },
      },
      null,
    );
  }

  const deadlineAt = deadlineOf(job.data, app.config.delivery);
  const expire = (why: string, attempt: AttemptReport | null): Promise<never> =>
    drop(run, expiredResponse(), 'expired', `${why} (deadline ${new Date(deadlineAt ?? 0).toISOString()})`, attempt);
  const verdict = await gate(job.data, app, deadlineAt, deps.policy, clock);
  if (verdict.kind === 'expired') return expire(verdict.why, null);
  if (verdict.kind === 'superseded')
    return drop(run, supersededResponse(), 'superseded', 'a cancel for the call was accepted after it', null);

  let attempt: AttemptReport;
  if (verdict.kind === 'held') {
    log.warn(
      { event: 'circuit-open', app_id: request.appId },
      `outgoing ${label} request ${requestId} held back: circuit open`,
    );
    attempt = { outcome: verdict.outcome, held: true, at: Date.now(), sent: null };
  } else {
    const sent = await sendPush(job.data, app, deadlineAt, clock, log);
    reportToCircuit(verdict, sent);
    attempt = { outcome: sent.outcome, held: false, at: Date.now(), sent: { push: sent.push, seconds: sent.seconds } };
  }
  const { outcome } = attempt;
  log.debug({ body: outcome.response.body }, `outgoing ${label} response for request ${requestId} body`);

  const step = nextStep(job, outcome, deadlineAt, clock.now());
  switch (step.kind) {
    case 'settle':
      return settle(run, outcome, attempt);
    case 'expire':
      return expire(step.why, attempt);
    case 'pause':
      await recordReport({ job, attempt, end: { kind: 'retry', cause: 'quota' } }, deps.observers, log);
      log.warn(
        { event: 'quota-exceeded', app_id: request.appId, pause_ms: step.pauseMs },
        `FCM quota exceeded for ${request.appId}: pausing its queue`,
      );
      await deps.policy.rateLimitQueue(key, step.pauseMs);
      // Back to waiting without using an attempt: the quota is the project's, not this push's.
      throw Worker.RateLimitError();
    case 'retry': {
      await recordReport({ job, attempt, end: { kind: 'retry', cause: step.cause } }, deps.observers, log);
      const { code, reason } = outcome.response;
      log.warn(
        { code, delay_ms: step.delayMs },
        `outgoing ${label} response for ${requestId}, push failed with code ${code}: ${reason}; will retry`,
      );
      throw new RetryableSendError(resultOf(job, outcome.response), step.delayMs);
    }
  }
}

/** A result the policy decided: recorded, and the job fails for good. */
async function drop(
  run: Run,
  response: ProviderResponse,
  event: 'expired' | 'superseded',
  why: string,
  attempt: AttemptReport | null,
): Promise<never> {
  const { job, deps, log, label } = run;
  const { request, requestId } = job.data;
  await recordReport(
    { job, attempt, end: { kind: 'settled', result: resultOf(job, response), delivery: event } },
    deps.observers,
    log,
  );
  log.info(
    { event, code: response.code, app_id: request.appId },
    `outgoing ${label} request ${requestId} not sent: ${why}`,
  );
  throw new UnrecoverableError(`${response.code} ${response.reason}`);
}

/** The final answer of a job: handle a dead token, record it, complete or fail for good. */
async function settle(run: Run, outcome: SendOutcome, attempt: AttemptReport | null): Promise<PushResult> {
  const { job, deps, log, label } = run;
  const { request, requestId } = job.data;
  const result = resultOf(job, outcome.response);
  if (outcome.kind === 'dead-token') {
    // Before the caller hears of it: a push it sends after the answer must already skip the removed device.
    log.info(
      { event: 'dead-token', token: request.token, app_id: request.appId },
      `token for ${requestId} is no longer valid`,
    );
    try {
      await handleDeadToken(job.data, result, deps.deadTokens);
    } catch (error) {
      // A storage hiccup must not turn a dead token into a retry that re-sends; the caller still gets the 410.
      log.error({ err: errorMessage(error) }, `dead token of ${requestId} not removed`);
    }
  }
  await recordReport(
    { job, attempt, end: { kind: 'settled', result, delivery: deliveryResultOf(outcome) } },
    deps.observers,
    log,
  );
  if (outcome.kind === 'delivered') {
    log.info(`outgoing ${label} response for request ${requestId}: push notification sent successfully`);
    return result;
  }
  log.error(
    { code: result.code },
    `outgoing ${label} response for ${requestId}, push failed with code ${result.code}: ${result.reason}`,
  );
  throw new UnrecoverableError(`${result.code} ${result.reason}`);
}

function resultOf(job: Job<PushJobData>, response: ProviderResponse): PushResult {
  const { request } = job.data;
  return { ...response, platform: request.platform, call_id: request.callId, token: request.token };
}
