// `config check --live` for an Apple app: a wake-up to a device token APNs never issues proves the credentials
// without notifying anyone. APNs authenticates first, so BadDeviceToken means "credentials accepted"; a 403
// (InvalidProviderToken, BadCertificate, …) means they were refused.
import { ApnsProvider, ProviderTokenSigner, type ProviderTokenSource } from '@pushwire/apns';
import type { AppType } from '@pushwire/apps';
import { withSylkDefaults, type AppleAppConfig, type SendOutcome } from '@pushwire/core';

/** 32 zero bytes: well formed, never issued by APNs. */
export const DUMMY_APNS_TOKEN = '0'.repeat(64);
/** Call-id (and from/to) of the probe push, so it is recognisable in any log that sees it. */
export const PROBE_CALL_ID = 'pushwire-config-check';

export interface ProbeVerdict {
  ok: boolean;
  reason: string;
}

/** A provider token signed here, for when the workers' shared one (Redis) is out of reach. */
export class LocalProviderTokens implements ProviderTokenSource {
  private readonly signer: ProviderTokenSigner;
  private token: Promise<string> | null = null;

  constructor(teamId: string, keyId: string, keyPem: string) {
    this.signer = new ProviderTokenSigner(teamId, keyId, keyPem);
  }

  get(): Promise<string> {
    this.token ??= this.signer.sign(Math.floor(Date.now() / 1000));
    return this.token;
  }

  async invalidate(): Promise<void> {
    this.token = null;
  }
}

function appleReason(outcome: SendOutcome): string | null {
  const body = outcome.response.body;
  const reason = typeof body === 'object' && body !== null ? (body as { reason?: unknown }).reason : undefined;
  return typeof reason === 'string' ? reason : null;
}

/** What one APNs answer to the probe says about the app's credentials. */
export function judgeApnsOutcome(outcome: SendOutcome): ProbeVerdict {
  const { code, reason } = outcome.response;
  const apple = appleReason(outcome);
  if (apple === 'BadDeviceToken' || apple === 'Unregistered') {
    return { ok: true, reason: `credentials accepted: APNs answered ${apple} to a dummy device token` };
  }
  if (outcome.kind === 'delivered') {
    return {
      ok: false,
      reason: 'the push service accepted a push to a device token APNs never issues: is apple_push_url really APNs?',
    };
  }
  if (code === 403) return { ok: false, reason: `credentials refused: ${code} ${reason}` };
  if (outcome.kind === 'retryable' && apple === null) return { ok: false, reason: `APNs not reached: ${reason}` };
  return { ok: false, reason: `APNs refused the probe: ${code} ${reason}` };
}

export interface ApnsProbeOptions {
  app: AppleAppConfig;
  appType: AppType;
  /** The provider token source for token auth (the workers' shared one when reachable). */
  tokens?: ProviderTokenSource;
  timeoutMs: number;
}

export async function probeApns(options: ApnsProbeOptions): Promise<ProbeVerdict> {
  const { app } = options;
  // The app type's own call wake-up (topic, push type, priority as in production), to a token nobody holds.
  const push = options.appType.apple(
    withSylkDefaults({
      appId: app.appId,
      platform: 'apple',
      event: 'incoming_session',
      token: DUMMY_APNS_TOKEN,
      callId: PROBE_CALL_ID,
      from: PROBE_CALL_ID,
      to: PROBE_CALL_ID,
      mediaType: 'audio',
    }),
    { now: new Date() },
  );
  const provider = new ApnsProvider({
    appId: app.appId,
    host: app.pushHost,
    port: app.pushPort,
    auth: app.auth,
    caPem: app.caPem,
    tokens: options.tokens,
    requestTimeoutMs: options.timeoutMs,
    keepAliveMs: 0,
  });
  try {
    return judgeApnsOutcome(await provider.send(push));
  } finally {
    await provider.close();
  }
}
