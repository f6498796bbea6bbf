// `config check --live` for a Firebase app: an OAuth grant proves the service account, then a dry run
// (`validate_only`, nothing is delivered) to a dummy token proves FCM accepts the credentials for this project.
// INVALID_ARGUMENT or UNREGISTERED about the token means accepted; 401/403 means refused.
import type { AppType } from '@pushwire/apps';
import { withSylkDefaults, type FirebaseAppConfig, type SendOutcome, errorMessage, isRecord } from '@pushwire/core';
import { AccessTokenSource, fcmErrorCodeOf, FcmProvider } from '@pushwire/fcm';
import { PROBE_CALL_ID, type ProbeVerdict } from './config-check-apns.js';

/** Not an FCM registration token: FCM answers INVALID_ARGUMENT (or UNREGISTERED) once the caller is authorised. */
export const DUMMY_FCM_TOKEN = 'pushwire-config-check-not-a-registration-token';

const ACCEPTING_ERRORS = new Set(['INVALID_ARGUMENT', 'UNREGISTERED']);

/** What one FCM answer to the dry run says about the app's credentials. */
export function judgeFcmOutcome(outcome: SendOutcome): ProbeVerdict {
  const { code, reason } = outcome.response;
  const body = isRecord(outcome.response.body) ? outcome.response.body : {};
  const status = typeof body.status_code === 'number' ? body.status_code : code;
  const errorCode = fcmErrorCodeOf(body._content);
  if (outcome.kind === 'delivered') {
    return {
      ok: true,
      reason: 'credentials accepted: FCM validated a dry-run message (validate_only: nothing delivered)',
    };
  }
  if (outcome.kind === 'dead-token' && status === 200) {
    return { ok: true, reason: `credentials accepted: FCM answered ${reason} to a dummy token (dry run)` };
  }
  if ((status === 400 || status === 404) && errorCode !== null && ACCEPTING_ERRORS.has(errorCode)) {
    return { ok: true, reason: `credentials accepted: FCM answered ${status} ${errorCode} to a dummy token` };
  }
  if (status === 401 || status === 403) return { ok: false, reason: `credentials refused: ${status} ${reason}` };
  if (outcome.kind === 'retryable' && body.status_code === undefined)
    return { ok: false, reason: `FCM not reached: ${reason}` };
  return { ok: false, reason: `FCM refused the probe: ${status}${errorCode ? ` ${errorCode}` : ''} ${reason}` };
}

export interface FcmProbeOptions {
  app: FirebaseAppConfig;
  appType: AppType;
  timeoutMs: number;
}

export async function probeFcm(options: FcmProbeOptions): Promise<ProbeVerdict> {
  const { app } = options;
  const legacy = app.auth.kind === 'legacy-key';
  if (app.auth.kind === 'service-account') {
    // The grant alone proves the key file: the token endpoint verifies the signed assertion.
    const grant = new AccessTokenSource({
      serviceAccount: app.auth.serviceAccount,
      caPem: app.caPem,
      timeoutMs: options.timeoutMs,
    });
    try {
      await grant.getToken();
    } catch (error) {
      return { ok: false, reason: `service account refused by ${grant.tokenUri}: ${errorMessage(error)}` };
    } finally {
      grant.close();
    }
  }
  const push = options.appType.firebase(
    withSylkDefaults({
      appId: app.appId,
      platform: 'firebase',
      event: 'incoming_session',
      token: DUMMY_FCM_TOKEN,
      callId: PROBE_CALL_ID,
      from: PROBE_CALL_ID,
      to: PROBE_CALL_ID,
      mediaType: 'audio',
    }),
    { now: new Date(), legacy },
  );
  // HTTP v1 takes `validate_only`; the retired legacy API took `dry_run`.
  const payload =
    isRecord(push.payload) && 'message' in push.payload
      ? { validate_only: true, ...push.payload }
      : { dry_run: true, ...(push.payload as object) };
  const provider = new FcmProvider({
    appId: app.appId,
    pushUrl: app.pushUrl,
    auth: app.auth,
    caPem: app.caPem,
    requestTimeoutMs: options.timeoutMs,
  });
  try {
    const verdict = judgeFcmOutcome(await provider.send({ ...push, payload }));
    return legacy && !verdict.ok
      ? {
          ok: false,
          reason: `${verdict.reason} (legacy server key: Google retired that API; use a service account, firebase_authorization_file)`,
        }
      : verdict;
  } finally {
    await provider.close();
  }
}
