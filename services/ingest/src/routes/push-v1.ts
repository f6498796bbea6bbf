// POST /push — Sylk's v1 API: validate, enqueue, then answer the push service's result (sync, Sylk's
// default) within a bounded wait, or 202 at once when `return_async = false`.
import { platformLabel, requestIdOf, validatePushRequest, type PushResult } from '@pushwire/core';
import { v1JobId, type PushJobData } from '@pushwire/queue';
import type { Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { IngestDeps } from '../ingest-deps.js';
import { EMPTY_BODY, readJsonBody } from '../read-json-body.js';
import { accessDenied, queueUnavailable } from '../sylk-responses.js';

export function registerPushV1(app: Hono, deps: IngestDeps): void {
  app.post('/push', async (c) => {
    const body = await readJsonBody(c, deps.maxBodyBytes);
    const request = validatePushRequest(body === EMPTY_BODY ? undefined : body, deps.lookupApp);
    const ip = deps.clientAddress(c);
    const requestId = requestIdOf(request);
    const log = deps.logger.child({ request_id: requestId, call_id: request.callId });
    const label = platformLabel(request.platform);

    // Sylk checks the access list after validation, so a denied client still sees validation errors.
    if (!deps.accessList.allows(ip)) {
      log.info({ ip }, `incoming request from ${ip} is denied`);
      throw accessDenied();
    }
    log.info(
      { ip, event: request.event, to: request.to, device_id: request.deviceId },
      `incoming ${label} request ${requestId}: ${request.event} for ${request.to} from ${ip}`,
    );
    log.debug({ request }, `incoming ${label} request ${requestId} body`);

    const jobId = v1JobId(request);
    const data: PushJobData = { request, requestId, acceptedAt: Date.now() };

    if (!deps.returnAsync) {
      await enqueueOr503(deps, jobId, data, log);
      return c.json({ code: 202, description: 'accepted for delivery', data: {} }, 202);
    }

    let waiter;
    try {
      if (!deps.redisReady()) throw new Error('redis not connected');
      waiter = await deps.results.subscribe(jobId);
    } catch (error) {
      log.error({ err: error }, 'result channel unavailable');
      throw queueUnavailable();
    }
    try {
      await enqueueOr503(deps, jobId, data, log);
    } catch (error) {
      waiter.cancel();
      throw error;
    }
    const result = await waiter.result(deps.syncWaitMs);
    if (!result) {
      log.info({ job_id: jobId }, `incoming ${label} response for ${requestId}: accepted for delivery`);
      return c.json({ code: 202, description: 'accepted for delivery', data: { job_id: jobId } }, 202);
    }
    return c.json(
      { code: result.code, description: 'push notification response', data: result },
      httpStatusOf(result),
    );
  });
}

async function enqueueOr503(
  deps: IngestDeps,
  jobId: string,
  data: PushJobData,
  log: IngestDeps['logger'],
): Promise<void> {
  try {
    await deps.producer.enqueue(jobId, data);
  } catch (error) {
    log.error({ err: error }, `push not accepted: ${error instanceof Error ? error.message : String(error)}`);
    throw queueUnavailable();
  }
}

/** Sylk answers with the push service's code as the HTTP status; guard against values HTTP can't carry. */
function httpStatusOf(result: PushResult): ContentfulStatusCode {
  return (Number.isInteger(result.code) && result.code >= 200 && result.code <= 599 ? result.code : 502) as ContentfulStatusCode;
}
