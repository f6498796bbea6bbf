// One push job: build the app type's headers and payload, send, map the outcome onto BullMQ
// (retry / complete / fail) and publish the final result for a waiting sync caller.
import { appKey, platformLabel, systemClock, type Clock, type PushResult, type SendOutcome } from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import type { PushJobData, ResultChannel } from '@pushwire/queue';
import { UnrecoverableError, type Job } from 'bullmq';
import type { AppRuntime } from './app-runtime.js';
import { handleDeadToken, type DeadTokenDeps } from './dead-tokens.js';

export interface ProcessPushDeps {
  apps: ReadonlyMap<string, AppRuntime>;
  results: ResultChannel<PushResult>;
  logger: Logger;
  deadTokens: DeadTokenDeps;
  clock?: Clock;
}

/** Thrown to make BullMQ retry with the job's backoff. */
export class RetryableSendError extends Error {
  constructor(readonly result: PushResult) {
    super(`${result.code} ${result.reason}`);
    this.name = 'RetryableSendError';
  }
}

export async function processPush(job: Job<PushJobData>, deps: ProcessPushDeps): Promise<PushResult> {
  const { request, requestId } = job.data;
  const label = platformLabel(request.platform);
  const log = deps.logger.child({ request_id: requestId, call_id: request.callId, job_id: job.id, attempt: job.attemptsMade + 1 });
  const app = deps.apps.get(appKey(request.appId, request.platform));

  let outcome: SendOutcome;
  if (!app) {
    // The app was removed or disabled since the job was accepted: nothing can send it.
    outcome = {
      kind: 'rejected',
      response: { code: 404, reason: `${label} ${request.appId} app is not configured`, body: {}, url: '' },
    };
  } else {
    const now = new Date((deps.clock ?? systemClock).now());
    const push =
      request.platform === 'apple'
        ? app.appType.apple(request, { now })
        : app.appType.firebase(request, {
            now,
            legacy: app.config.platform === 'firebase' && app.config.auth.kind === 'legacy-key',
          });
    log.info(`outgoing ${label} request ${requestId}`);
    log.debug({ headers: push.headers }, `outgoing ${label} request ${requestId} headers`);
    log.debug({ body: push.payload }, `outgoing ${label} request ${requestId} body`);
    outcome = await app.provider.send(push);
  }

  const result: PushResult = { ...outcome.response, platform: request.platform, call_id: request.callId, token: request.token };
  log.debug({ body: result.body }, `outgoing ${label} response for request ${requestId} body`);

  const attempts = job.opts.attempts ?? 1;
  if (outcome.kind === 'retryable' && job.attemptsMade + 1 < attempts) {
    log.warn({ code: result.code }, `outgoing ${label} response for ${requestId}, push failed with code ${result.code}: ${result.reason}; will retry`);
    throw new RetryableSendError(result);
  }

  await deps.results.publish(job.id!, result);
  if (outcome.kind === 'delivered') {
    log.info(`outgoing ${label} response for request ${requestId}: push notification sent successfully`);
    return result;
  }
  if (outcome.kind === 'dead-token') {
    log.info({ event: 'dead-token', token: request.token, app_id: request.appId }, `token for ${requestId} is no longer valid`);
    try {
      await handleDeadToken(job.data, result, deps.deadTokens);
    } catch (error) {
      // The caller already has the 410; a storage hiccup must not turn it into a retry that re-sends.
      log.error({ err: error instanceof Error ? error.message : String(error) }, `dead token of ${requestId} not removed`);
    }
  }
  log.error({ code: result.code }, `outgoing ${label} response for ${requestId}, push failed with code ${result.code}: ${result.reason}`);
  throw new UnrecoverableError(`${result.code} ${result.reason}`);
}
