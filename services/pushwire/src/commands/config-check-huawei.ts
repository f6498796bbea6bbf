// `config check --live` for a Huawei app: a client-credentials grant proves the app secret, then a
// `validate_only` send (nothing is delivered) to a dummy token proves Push Kit accepts the token for this app:
// 80300007 (invalid token) or success mean accepted; 80200001/80200003 mean refused.
import type { AppType } from '@pushwire/apps';
import { errorMessage, withSylkDefaults, type HuaweiAppConfig, type SendOutcome } from '@pushwire/core';
import { grantTokenOnce, HuaweiProvider, readHuaweiAnswer } from '@pushwire/huawei';
import { PROBE_CALL_ID, type ProbeVerdict } from './config-check-apns.js';

/** Not a Push Kit token: Push Kit answers 80300007 once the caller is authorised. */
export const DUMMY_HUAWEI_TOKEN = 'pushwire-config-check-not-a-push-token';

export function judgeHuaweiOutcome(outcome: SendOutcome): ProbeVerdict {
  const { code, reason } = outcome.response;
  const answer = readHuaweiAnswer(outcome.response.body);
  if (outcome.kind === 'delivered')
    return { ok: true, reason: 'credentials accepted: Push Kit validated a validate_only message (nothing delivered)' };
  if (outcome.kind === 'dead-token')
    return { ok: true, reason: `credentials accepted: Push Kit answered ${reason} to a dummy token` };
  if (code === 401 || code === 403) return { ok: false, reason: `credentials refused: ${code} ${reason}` };
  if (answer.code === null && outcome.kind === 'retryable')
    return { ok: false, reason: `Push Kit not reached: ${reason}` };
  return { ok: false, reason: `Push Kit refused the probe: ${code} ${reason}` };
}

export interface HuaweiProbeOptions {
  app: HuaweiAppConfig;
  appType: AppType;
  timeoutMs: number;
}

export async function probeHuawei(options: HuaweiProbeOptions): Promise<ProbeVerdict> {
  const { app } = options;
  try {
    await grantTokenOnce({
      tokenUrl: app.tokenUrl,
      clientId: app.auth.clientId,
      clientSecret: app.auth.clientSecret,
      caPem: app.caPem,
      timeoutMs: options.timeoutMs,
    });
  } catch (error) {
    return { ok: false, reason: `app secret refused by ${app.tokenUrl}: ${errorMessage(error)}` };
  }
  const push = options.appType.firebase(
    withSylkDefaults({
      appId: app.appId,
      platform: 'huawei',
      event: 'incoming_session',
      token: DUMMY_HUAWEI_TOKEN,
      callId: PROBE_CALL_ID,
      from: PROBE_CALL_ID,
      to: PROBE_CALL_ID,
      mediaType: 'audio',
    }),
    { now: new Date(), legacy: false },
  );
  // No Redis here: the workers' shared token stays untouched (Huawei lets an app hold several tokens at once).
  const provider = new HuaweiProvider({ ...app, redis: null, validateOnly: true, requestTimeoutMs: options.timeoutMs });
  try {
    return judgeHuaweiOutcome(await provider.send(push));
  } finally {
    await provider.close();
  }
}
