// POST and DELETE /v2/tokens/{account}: register or forget a device, answered as Sylk does.
import { HttpError, validateAddTokenRequest, validateRemoveTokenRequest } from '@pushwire/core';
import { legacyStrippedDeviceId, normalizeDeviceId, type DeviceRecord } from '@pushwire/storage';
import type { Hono } from 'hono';
import { parseAccount } from '../account.js';
import { describe } from '../describe-route.js';
import type { IngestDeps } from '../ingest-deps.js';
import { ADD_TOKEN, REMOVE_TOKEN } from '../openapi-v2.js';
import { settingsOf } from '../ingest-settings.js';
import { EMPTY_BODY, readJsonBody } from '../read-json-body.js';
import { withStorage } from '../storage-errors.js';
import { assertMayCall } from '../callers/authorize.js';
import { callerGate } from '../callers/caller-gate.js';

/** `PUSHWIRE_MAX_DEVICES_PER_ACCOUNT`'s default. */
export const DEFAULT_MAX_DEVICES_PER_ACCOUNT = 50;

/** Longest device token accepted; real APNs/FCM tokens are a few hundred characters at most. */
const MAX_TOKEN_LENGTH = 4096;

export function registerTokensV2(app: Hono, deps: IngestDeps): void {
  app.post('/v2/tokens/:account', describe(ADD_TOKEN), callerGate(deps), async (c) => {
    const account = parseAccount(c.req.param('account'));
    const body = await readJsonBody(c, deps.maxBodyBytes);
    const settings = settingsOf(c);
    const req = validateAddTokenRequest(body === EMPTY_BODY ? undefined : body, settings.lookupApp);
    if (req.token.length > MAX_TOKEN_LENGTH) {
      throw new HttpError(400, {
        code: 400,
        description: `token longer than ${MAX_TOKEN_LENGTH} characters: token`,
        data: '',
      });
    }
    assertMayCall(c, deps.logger, [req.appId]);
    const deviceId = normalizeDeviceId(req.deviceId);
    const record: DeviceRecord = {
      ...splitToken(req.platform, req.token),
      appId: req.appId,
      platform: req.platform,
      deviceId,
      silent: req.silent,
      userAgent: req.userAgent,
    };
    const requestId = `${account}-${req.appId}-${deviceId}`;
    deps.logger.info({ request_id: requestId }, `Add Token - Request [${requestId}]`);
    await withStorage(deps, () =>
      deps.storage.add(account, record, { maxDevices: deps.maxDevicesPerAccount ?? DEFAULT_MAX_DEVICES_PER_ACCOUNT }),
    );
    return c.json({
      'app-id': req.appId,
      platform: req.platform,
      token: req.token,
      'device-id': deviceId,
      silent: req.silent,
      'user-agent': req.userAgent,
    });
  });

  app.delete('/v2/tokens/:account', describe(REMOVE_TOKEN), callerGate(deps), async (c) => {
    const account = parseAccount(c.req.param('account'));
    const body = await readJsonBody(c, deps.maxBodyBytes);
    const req = validateRemoveTokenRequest(body === EMPTY_BODY ? undefined : body);
    assertMayCall(c, deps.logger, [req.appId]);
    const requestId = `${account}-${req.appId}-${req.deviceId}`;
    deps.logger.info({ request_id: requestId }, `Remove Token - Request [${requestId}]`);
    const result = await withStorage(deps, async () => {
      const devices = await deps.storage.devices(account);
      if (devices.length === 0) return 'user-not-found' as const;
      if (req.deviceId === null) return 'not-found' as const;
      // Match the normalised id, and the form Sylk's character-set strip left in a shared table.
      const candidates = new Set([normalizeDeviceId(req.deviceId), legacyStrippedDeviceId(req.deviceId), req.deviceId]);
      const match = devices.find((d) => d.appId === req.appId && candidates.has(d.deviceId));
      return match ? deps.storage.remove(account, match.appId, match.deviceId) : ('not-found' as const);
    });
    if (result === 'user-not-found') return c.json({ result: 'User not found' }, 404);
    if (result === 'not-found') return c.json({ result: 'Not found' }, 404);
    return c.json({ 'app-id': req.appId, 'device-id': req.deviceId });
  });
}

/** Sylk stores an Apple token `voip-background` as two tokens, split at the first `-`. */
export function splitToken(platform: string, token: string): { token: string; backgroundToken: string | null } {
  if (platform !== 'apple') return { token, backgroundToken: null };
  const dash = token.indexOf('-');
  return dash < 0
    ? { token, backgroundToken: null }
    : { token: token.slice(0, dash), backgroundToken: token.slice(dash + 1) };
}
