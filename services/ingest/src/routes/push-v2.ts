// POST /v2/tokens/{account}/push[/{device}]: one job per stored device, delivered in parallel; the sync
// answer lists every device's result as Sylk does (status = last device's code, 410 reported as 200).
import {
  hasControlCharacters,
  HttpError,
  PushValidationError,
  validatePushRequest,
  validateV2PushFields,
  type AppTypeRules,
  type PushRequest,
  type V2PushFields,
} from '@pushwire/core';
import type { PushJobData } from '@pushwire/queue';
import { legacyStrippedDeviceId, normalizeDeviceId, type DeviceRecord } from '@pushwire/storage';
import type { Context, Hono } from 'hono';
import { parseAccount } from '../account.js';
import type { DispatchJob } from '../dispatch.js';
import { answerPush } from '../idempotency/answer-push.js';
import { describe } from '../describe-route.js';
import type { IngestDeps } from '../ingest-deps.js';
import { PUSH_ACCOUNT, PUSH_DEVICE } from '../openapi-v2.js';
import { settingsOf, type IngestSettings } from '../ingest-settings.js';
import { EMPTY_BODY, readJsonBody } from '../read-json-body.js';
import { withStorage } from '../storage-errors.js';
import { assertMayCall } from '../callers/authorize.js';
import { callerGate } from '../callers/caller-gate.js';
import { httpStatusOf } from './push-v1.js';

/** Events that go to an Apple device's background (regular) token: Sylk's cancel/message, plus transfer (docs/decisions/0003-deliberate-differences.md). */
const BACKGROUND_TOKEN_EVENTS = new Set(['cancel', 'message', 'transfer']);

export function registerPushV2(app: Hono, deps: IngestDeps): void {
  const handler = async (c: Context) => {
    const settings = settingsOf(c);
    const account = parseAccount(c.req.param('account') ?? '');
    const device = c.req.param('device') as string | undefined;
    if (device !== undefined && hasControlCharacters(device)) {
      throw new HttpError(400, { code: 400, description: 'control characters are not allowed: device-id', data: '' });
    }
    const body = await readJsonBody(c, deps.maxBodyBytes);
    const fields = validateV2PushFields(body === EMPTY_BODY ? undefined : body);
    const requestId = `${fields.event}-${account}-${fields.callId}`;
    const log = deps.logger.child({ request_id: requestId, call_id: fields.callId });
    // Sylk crashes (500) on this deny path; the access list answers 403 as everywhere else.
    assertMayCall(c, log);
    log.info(`Push - Request [${requestId}]: ${fields.event} for ${fields.to}`);

    const stored = await withStorage(deps, () => deps.storage.devices(account));
    if (stored.length === 0) {
      throw HttpError.envelope(404, 'Push request was not sent: user not found', { account });
    }
    const targets = device === undefined ? stored : stored.filter((d) => deviceMatches(d, device));
    if (targets.length === 0) {
      // Sylk reports the last stored device's id here (its bug 16): the requested one is what the caller needs.
      throw HttpError.envelope(404, 'Push request was not sent: device not found', { device_id: device });
    }
    // A key must cover every app it would push to: one device out of scope refuses the whole request (403),
    // rather than pushing to part of the account and hiding the rest.
    assertMayCall(
      c,
      log,
      targets.map((d) => d.appId),
    );

    // Validate every device's push before accepting any, so a bad request never half-sends.
    const requests = targets.map((d) => ({ device: d, request: validateForDevice(d, fields, settings) }));
    return answerPush(c, deps, settings, {
      api: 'v2',
      // The request as the caller wrote it (account, device path, push fields), not the devices it reached:
      // a repeat after a device re-registered is still the same request.
      fingerprint: { account, device: device ?? null, push: fields },
      log,
      jobs: (jobId) =>
        requests.map(({ device: d, request }): DispatchJob => {
          const data: PushJobData = {
            request,
            requestId,
            acceptedAt: Date.now(),
            v2: { account, appId: d.appId, deviceId: d.deviceId, storedToken: d.token },
          };
          return { jobId: jobId(`${d.appId}\u0000${d.deviceId}`), data };
        }),
      answer: (results, jobIds) => {
        if (results.some((r) => r === null))
          return { status: 202, body: { code: 202, description: 'accepted for delivery', data: { job_ids: jobIds } } };
        const last = results[results.length - 1]!;
        const status = last.code === 410 ? 200 : last.code;
        return {
          status: httpStatusOf({ ...last, code: status }),
          body: { code: status, description: 'push notification responses', data: results },
        };
      },
    });
  };
  app.post('/v2/tokens/:account/push', describe(PUSH_ACCOUNT), callerGate(deps), handler);
  app.post('/v2/tokens/:account/push/:device', describe(PUSH_DEVICE), callerGate(deps), handler);
}

function withoutTokenCheck(rules: AppTypeRules | undefined): AppTypeRules | undefined {
  return rules?.checkToken === undefined ? rules : { ...rules, checkToken: undefined };
}

function deviceMatches(d: DeviceRecord, requested: string): boolean {
  return (
    d.deviceId === requested ||
    d.deviceId === normalizeDeviceId(requested) ||
    d.deviceId === legacyStrippedDeviceId(requested)
  );
}

/** Stored record + push fields, validated as a v1 request (all of Sylk's per-app rules apply). */
function validateForDevice(d: DeviceRecord, f: V2PushFields, settings: IngestSettings): PushRequest {
  const useBackground =
    d.platform === 'apple' && d.backgroundToken !== null && f.event !== null && BACKGROUND_TOKEN_EVENTS.has(f.event);
  const merged = {
    'app-id': d.appId,
    platform: d.platform,
    token: useBackground ? d.backgroundToken : d.token,
    'device-id': d.deviceId,
    silent: d.silent,
    event: f.event,
    'call-id': f.callId,
    from: f.from,
    'from-display-name': f.fromDisplayName,
    to: f.to,
    'media-type': f.mediaType,
    reason: f.reason,
    badge: f.badge,
    filename: f.filename,
    filetype: f.filetype,
    account: f.account,
    content: f.content,
    'content-type': f.contentType,
  };
  try {
    // A stored token that stopped passing its app's check (an allow-list narrowed since) must not block the
    // account's other devices: the worker refuses it, in that device's own result.
    return validatePushRequest(merged, (appId, platform) => withoutTokenCheck(settings.lookupApp(appId, platform)));
  } catch (error) {
    // Sylk's v2 path answers these with the bare message and always 400.
    if (error instanceof PushValidationError)
      throw new HttpError(400, { code: 400, description: error.reason, data: '' });
    throw error;
  }
}
