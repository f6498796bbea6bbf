// POST /push — Sylk's v1 API: validate, enqueue, then answer the push service's result (sync, Sylk's
// default) within a bounded wait, or 202 at once when `return_async = false`. Once per Idempotency-Key.
import { platformLabel, requestIdOf, validatePushRequest, type PushResult } from '@pushwire/core';
import type { PushJobData } from '@pushwire/queue';
import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { describe } from '../describe-route.js';
import type { IngestDeps } from '../ingest-deps.js';
import { PUSH_V1 } from '../openapi-v1.js';
import { settingsOf } from '../ingest-settings.js';
import { EMPTY_BODY, readJsonBody } from '../read-json-body.js';
import { answerPush } from '../idempotency/answer-push.js';
import { assertMayCall, callerOf } from '../callers/authorize.js';
import { callerGate } from '../callers/caller-gate.js';

export function registerPushV1(app: Hono, deps: IngestDeps): void {
  app.post('/push', describe(PUSH_V1), callerGate(deps), async (c) => {
    // One snapshot of the reloadable settings for the whole request (a reload mid-request changes nothing here).
    const settings = settingsOf(c);
    const body = await readJsonBody(c, deps.maxBodyBytes);
    const request = validatePushRequest(body === EMPTY_BODY ? undefined : body, settings.lookupApp);
    const { ip, caller } = callerOf(c);
    const requestId = requestIdOf(request);
    const log = deps.logger.child({ request_id: requestId, call_id: request.callId });
    const label = platformLabel(request.platform);

    // Sylk checks the access list after validation, so a denied client still sees validation errors; a key's
    // app scope is checked with it (the same 403).
    assertMayCall(c, log, [request.appId]);
    log.info(
      {
        ip,
        ...(caller ? { caller: caller.name } : {}),
        event: request.event,
        to: request.to,
        device_id: request.deviceId,
      },
      `incoming ${label} request ${requestId}: ${request.event} for ${request.to} from ${ip}`,
    );
    log.debug({ request }, `incoming ${label} request ${requestId} body`);

    return answerPush(c, deps, settings, {
      api: 'v1',
      fingerprint: request,
      log,
      jobs: (jobId) => [
        { jobId: jobId(''), data: { request, requestId, acceptedAt: Date.now() } satisfies PushJobData },
      ],
      answer: ([result], [jobId]) => {
        if (!result) {
          log.info({ job_id: jobId }, `incoming ${label} response for ${requestId}: accepted for delivery`);
          return { status: 202, body: { code: 202, description: 'accepted for delivery', data: { job_id: jobId } } };
        }
        return {
          status: httpStatusOf(result),
          body: { code: result.code, description: 'push notification response', data: result },
        };
      },
    });
  });
}

/** Sylk answers with the push service's code as the HTTP status; guard against values HTTP can't carry. */
export function httpStatusOf(result: PushResult): ContentfulStatusCode {
  return (
    Number.isInteger(result.code) && result.code >= 200 && result.code <= 599 ? result.code : 502
  ) as ContentfulStatusCode;
}
