// One push job: apply the delivery policy (call deadline, cancel, circuit breaker), build the app type's
// headers and payload, send, map the outcome onto BullMQ (retry / complete / fail) and publish the final
// result for a waiting sync caller.
import { appKey, platformLabel, systemClock, type Clock, type OutgoingPush, type Platform, type ProviderResponse, type PushResult, type SendOutcome, errorMessage } from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import { isSupersededByCancel, pushJobFormatProblem, type PushJobData, type ResultChannel, type ResultRef } from '@pushwire/queue';
import { toIncomingBody, type SinkRecordInput } from '@pushwire/log-sinks';
import { UnrecoverableError, Worker, type Job } from 'bullmq';
import type { AppRuntime } from './app-runtime.js';
import { handleDeadToken, type DeadTokenDeps } from './dead-tokens.js';
import { finalOutcomeOf, recordAttempt, recordResult, recordSettled, type AttemptOutcome, type WorkerCallHistory } from './history-hooks.js';
import type { CircuitPermit } from './policy/circuit-breaker.js';
import { withExpirationFromDeadline } from './policy/expiration.js';
import { circuitOpenResponse, expiredResponse, supersededResponse } from './policy/policy-results.js';
import { retryBaseOf, retryDelayMs, RetryableSendError } from './policy/retry-delay.js';
import { deadlineOf, isQuotaExceeded, isServiceFailure, quotaPauseMs, type WorkerPolicy } from './policy/worker-policy.js';
import { deliveryResultOf, observeSend, retryCauseOf, type PushMetrics } from './metrics/push-metrics.js';

export { RetryableSendError } from './policy/retry-delay.js';

export interface ProcessPushDeps {
  apps: ReadonlyMap<string, AppRuntime>;
  results: ResultChannel<PushResult>;
  logger: Logger;
  deadTokens: DeadTokenDeps;
  clock?: Clock;
  /** Cancel markers, circuit breakers and queue rate limits. Absent: deadlines only (from the app config). */
  policy?: WorkerPolicy;
  /** Remote HTTP log sinks (`log_remote_urls`): every push service result is handed over, never awaited on a sink. */
  sinks?: { publish(input: SinkRecordInput): Promise<void>; hasSinks(appId: string, platform: Platform): boolean };
  /** The per-call history (GET /v1/calls/{call-id}): each attempt and the result. Absent: not recorded. */
  history?: WorkerCallHistory;
  /** Delivery metrics (results, push-service answers, retries, latency). Absent: not counted. */
  metrics?: PushMetrics;
}

/**
 * Quota pauses one job may sit through without using an attempt (a RateLimitError puts it back unpaid);
 * past them a quota answer counts as a failed attempt, so a message cannot wait forever.
 */
const MAX_QUOTA_ROUNDS = 30;

export async function processPush(job: Job<PushJobData>, deps: ProcessPushDeps): Promise<PushResult> {
  // A job from a newer release may mean something else in the fields this worker knows: fail it, never misread it.
  const unreadable = pushJobFormatProblem(job.data);
  if (unreadable !== null) {
    deps.logger.error({ event: 'job-format', job_id: job.id, queue: job.queueName }, `push job ${job.id} not processed: ${unreadable}`);
    throw new UnrecoverableError(unreadable);
  }
  const { request, requestId } = job.data;
  const label = platformLabel(request.platform);
  const log = deps.logger.child({ request_id: requestId, call_id: request.callId, job_id: job.id, attempt: job.attemptsMade + 1 });
  const clock = deps.clock ?? systemClock;
  const key = appKey(request.appId, request.platform);
  const app = deps.apps.get(key);
  const toResult = (response: ProviderResponse): PushResult => ({ ...response, platform: request.platform, call_id: request.callId, token: request.token });

  /** Publishes a result the policy decided and fails the job for good. */
  const drop = async (response: ProviderResponse, event: string, why: string): Promise<never> => {
    deps.metrics?.finished(job.data, event === 'superseded' ? 'superseded' : 'expired');
    await deps.results.publish(resultRefOf(job), toResult(response), job.data.replyTo);
    await recordResult(deps.history, job, response, event === 'superseded' ? 'superseded' : 'expired');
    log.info({ event, code: response.code, app_id: request.appId }, `outgoing ${label} request ${requestId} not sent: ${why}`);
    throw new UnrecoverableError(`${response.code} ${response.reason}`);
  };

  if (!app) {
    // The app was removed or disabled since the job was accepted: nothing can send it.
    const response = { code: 404, reason: `${label} ${request.appId} app is not configured`, body: {}, url: '' };
    return settle(job, { kind: 'rejected', response }, toResult(response), deps, log, label);
  }

  const deadlineAt = deadlineOf(job.data, app.config.delivery);
  const expire = (why: string): Promise<never> => drop(expiredResponse(), 'expired', `${why} (deadline ${new Date(deadlineAt ?? 0).toISOString()})`);
  if (deadlineAt !== undefined && clock.now() >= deadlineAt) return expire('the call deadline passed before it could be sent');
  if (deps.policy && isSupersededByCancel(request.event)) {
    const scope = { appId: request.appId, callId: request.callId, deviceId: request.deviceId };
    if (await deps.policy.cancels.isCancelled(scope, job.data.acceptedAt)) return drop(supersededResponse(), 'superseded', 'a cancel for the call was accepted after it');
  }

  const breaker = deps.policy?.breaker(key);
  const permit: CircuitPermit = breaker?.acquire() ?? { allowed: true, probe: false };
  let outcome: SendOutcome;
  if (!permit.allowed) {
    // Back to delayed retries without touching the push service; no sooner than the breaker may let one through.
    outcome = { kind: 'retryable', response: circuitOpenResponse(serviceName(app)), retryAfterMs: permit.retryInMs };
    log.warn({ event: 'circuit-open', app_id: request.appId }, `outgoing ${label} request ${requestId} held back: circuit open`);
  } else {
    const sent = await observeSend(deps.metrics, request, () => send(job.data, app, deadlineAt, clock, log));
    outcome = sent.outcome;
    await publishToSinks(job.data, sent.push, outcome.response, deps, log);
    if (sent.cutByDeadline) breaker?.release(permit);
    else if (isServiceFailure(outcome)) breaker?.recordFailure();
    else breaker?.recordSuccess();
  }
  const result = toResult(outcome.response);
  // Recorded with the result when this attempt settles the push (one write), else on its own below.
  const attempt: AttemptOutcome = { outcome, held: !permit.allowed, at: Date.now() };
  log.debug({ body: result.body }, `outgoing ${label} response for request ${requestId} body`);
  if (outcome.kind !== 'retryable') return settle(job, outcome, result, deps, log, label, attempt);

  const baseMs = retryBaseOf(job.opts);
  if (deps.policy && isQuotaExceeded(outcome) && job.attemptsStarted - job.attemptsMade <= MAX_QUOTA_ROUNDS) {
    await recordAttempt(deps.history, job, outcome, attempt.held);
    const pauseMs = quotaPauseMs(outcome, baseMs);
    if (deadlineAt !== undefined && clock.now() + pauseMs >= deadlineAt) return expire('the project quota pause outlasts the call deadline');
    log.warn({ event: 'quota-exceeded', app_id: request.appId, pause_ms: pauseMs }, `FCM quota exceeded for ${request.appId}: pausing its queue`);
    await deps.policy.rateLimitQueue(key, pauseMs);
    // Back to waiting without using an attempt: the quota is the project's, not this push's.
    deps.metrics?.retried(request, 'quota');
    throw Worker.RateLimitError();
  }

  const attempts = job.opts.attempts ?? 1;
  if (job.attemptsMade + 1 >= attempts) return settle(job, outcome, result, deps, log, label, attempt);
  await recordAttempt(deps.history, job, outcome, attempt.held);
  const delayMs = retryDelayMs(job.attemptsMade + 1, baseMs, outcome.retryAfterMs);
  // Waiting only to drop it later helps nobody: the caller hears now.
  if (deadlineAt !== undefined && clock.now() + delayMs >= deadlineAt) return expire(`after ${result.code} ${result.reason}, the next attempt (in ${delayMs} ms) would come after the call deadline`);
  log.warn({ code: result.code, delay_ms: delayMs }, `outgoing ${label} response for ${requestId}, push failed with code ${result.code}: ${result.reason}; will retry`);
  deps.metrics?.retried(request, retryCauseOf(outcome));
  throw new RetryableSendError(result, delayMs);
}

/** Builds and sends one push; a send still running at the call deadline is aborted. */
async function send(
  data: PushJobData,
  app: AppRuntime,
  deadlineAt: number | undefined,
  clock: Clock,
  log: Logger,
): Promise<{ outcome: SendOutcome; cutByDeadline: boolean; push: OutgoingPush }> {
  const { request, requestId } = data;
  const label = platformLabel(request.platform);
  const nowMs = clock.now();
  const now = new Date(nowMs);
  let push =
    request.platform === 'apple'
      ? app.appType.apple(request, { now })
      : request.platform === 'webpush'
        ? app.appType.webpush(request, { now, ...(deadlineAt === undefined ? {} : { deadlineAt }) })
        : app.appType.firebase(request, { now, legacy: app.config.platform === 'firebase' && app.config.auth.kind === 'legacy-key' });
  // A Web Push TTL always follows the deadline (the builder sets it): there is no Sylk literal to keep.
  if (deadlineAt !== undefined && app.config.delivery?.expirationFromDeadline === true && request.platform !== 'webpush') {
    push = withExpirationFromDeadline(push, request.platform, deadlineAt, nowMs);
  }
  log.info(`outgoing ${label} request ${requestId}`);
  log.debug({ headers: push.headers }, `outgoing ${label} request ${requestId} headers`);
  log.debug({ body: push.payload }, `outgoing ${label} request ${requestId} body`);
  if (deadlineAt === undefined) return { outcome: await app.provider.send(push), cutByDeadline: false, push };
  const cut = deadlineSignal(Math.max(1, deadlineAt - nowMs));
  try {
    const outcome = await app.provider.send(push, { signal: cut.signal });
    return { outcome, cutByDeadline: cut.signal.aborted && outcome.kind === 'retryable', push };
  } finally {
    cut.clear();
  }
}

/**
 * Aborts after `ms` with AbortSignal.timeout's reason, and is cleared once the send is over. (AbortSignal.timeout
 * keeps every signal in a FinalizationRegistry with a weakly held timer until garbage collection: a cost on
 * every push, for a deadline that almost never fires.)
 */
function deadlineSignal(ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), ms);
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/** The final answer of a job: publish it, handle a dead token, complete or fail for good. */
async function settle(
  job: Job<PushJobData>,
  outcome: SendOutcome,
  result: PushResult,
  deps: ProcessPushDeps,
  log: Logger,
  label: string,
  attempt?: AttemptOutcome,
): Promise<PushResult> {
  const { request, requestId } = job.data;
  if (outcome.kind === 'dead-token') {
    // Before the caller hears of it: a push it sends after the answer must already skip the removed device.
    log.info({ event: 'dead-token', token: request.token, app_id: request.appId }, `token for ${requestId} is no longer valid`);
    try {
      await handleDeadToken(job.data, result, deps.deadTokens);
    } catch (error) {
      // A storage hiccup must not turn a dead token into a retry that re-sends; the caller still gets the 410.
      log.error({ err: errorMessage(error) }, `dead token of ${requestId} not removed`);
    }
  }
  deps.metrics?.finished(job.data, deliveryResultOf(outcome));
  // The history write is issued first and both go out together (one round trip on an auto-pipelined
  // connection): a caller reading the call's history once answered already finds how the push ended.
  const recorded = attempt
    ? recordSettled(deps.history, job, attempt, result, finalOutcomeOf(outcome))
    : recordResult(deps.history, job, result, finalOutcomeOf(outcome));
  await Promise.all([recorded, deps.results.publish(resultRefOf(job), result, job.data.replyTo)]);
  if (outcome.kind === 'delivered') {
    log.info(`outgoing ${label} response for request ${requestId}: push notification sent successfully`);
    return result;
  }
  log.error({ code: result.code }, `outgoing ${label} response for ${requestId}, push failed with code ${result.code}: ${result.reason}`);
  throw new UnrecoverableError(`${result.code} ${result.reason}`);
}

/** Sylk logs every push service answer remotely (each attempt's, as its log_results does); a sink never delays the push. */
async function publishToSinks(data: PushJobData, push: OutgoingPush, response: ProviderResponse, deps: ProcessPushDeps, log: Logger): Promise<void> {
  const { request, requestId } = data;
  // Most apps have no sink: build and serialise nothing for them.
  if (!deps.sinks?.hasSinks(request.appId, request.platform)) return;
  try {
    await deps.sinks.publish({
      appId: request.appId,
      platform: request.platform,
      requestId,
      incomingBody: toIncomingBody(request),
      outgoingHeaders: push.headers,
      outgoingBody: JSON.stringify(push.payload),
      response: { code: response.code, description: response.reason, push_url: response.url },
    });
  } catch (error) {
    // Redis refused the record: the push itself must not fail or repeat because of a log sink.
    log.error({ err: errorMessage(error) }, `remote log record of ${requestId} not queued`);
  }
}

/** The job's hash, where its result is stored for as long as BullMQ keeps the job. */
function resultRefOf(job: Job<PushJobData>): ResultRef {
  return { jobId: job.id!, jobKey: `${job.queueQualifiedName}:${job.id}` };
}

const SERVICE_NAMES: Readonly<Record<Platform, string>> = { apple: 'APNs', firebase: 'FCM', huawei: 'Push Kit', webpush: 'Web Push' };

function serviceName(app: AppRuntime): string {
  return SERVICE_NAMES[app.config.platform];
}
