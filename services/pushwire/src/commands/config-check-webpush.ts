// `config check --live` for a Web Push app: a VAPID-signed, empty push to a subscription that does not exist
// (`webpush_check_endpoint`). The push service checks the VAPID signature first: 404/410 for the unknown
// subscription means the key was accepted, 401/403 that it was refused. Nobody is notified.
import type { WebPushAppConfig } from '@pushwire/core';
import { VapidHeaders } from '@pushwire/webpush';
import { Agent } from 'undici';
import type { ProbeVerdict } from './config-check-apns.js';

/** What the push service's answer to the probe says about the app's VAPID key. */
export function judgeWebPushProbe(status: number, host: string): ProbeVerdict {
  if (status === 404 || status === 410) {
    return {
      ok: true,
      reason: `VAPID key accepted: ${host} answered ${status} for the probe subscription (nothing delivered)`,
    };
  }
  if (status === 401 || status === 403) return { ok: false, reason: `VAPID key refused by ${host}: ${status}` };
  return {
    ok: false,
    reason: `${host} answered ${status} to the probe (expected 404 or 410 for a subscription that does not exist)`,
  };
}

export async function probeWebPush(app: WebPushAppConfig, timeoutMs: number): Promise<ProbeVerdict> {
  const url = new URL(app.checkEndpoint);
  const dispatcher = new Agent(app.caPem === null ? {} : { connect: { ca: app.caPem } });
  try {
    const res = await dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: 'POST',
      headers: { authorization: new VapidHeaders(app.auth).authorization(url.origin), ttl: '0', 'content-length': '0' },
      body: '',
      signal: AbortSignal.timeout(timeoutMs),
    });
    await res.body.dump();
    return judgeWebPushProbe(res.statusCode, url.host);
  } catch (error) {
    const cause = (error as { cause?: unknown } | null)?.cause;
    const detail = cause instanceof Error ? cause.message : error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `push service ${url.host} not reached: ${detail}` };
  } finally {
    await dispatcher.close();
  }
}
