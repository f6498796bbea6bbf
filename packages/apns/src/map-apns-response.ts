// Turns one APNs HTTP answer into a SendOutcome carrying the result Sylk would report.
import { isRecord, parseRetryAfter } from '@pushwire/core';
import type { ProviderResponse, SendOutcome } from '@pushwire/core';
import { describeApnsReason } from './apns-reasons.js';

/** Longest slice of a non-JSON answer body kept in `reason` (a proxy's HTML page can be large). */
const MAX_TEXT_REASON = 200;

/**
 * Maps an APNs answer as Sylk does (pns/apple.py): 200 delivered; 410, and 400 `BadDeviceToken`
 * (reported as 410), mean the token is dead; 5xx and 429 are worth another attempt; anything else is
 * a refusal that retrying cannot fix.
 *
 * @param status HTTP status of the answer.
 * @param body Apple's parsed JSON error body (`{"reason": ...}`), or the raw text when it was not JSON.
 * @param url The request URL as Sylk reports it (`https://<host>/3/device/<token>`).
 * @param retryAfter The `retry-after` header, if any: delay-seconds or an HTTP date.
 * @param now Current time in ms since the epoch, to read an HTTP-date `retry-after`. Default `Date.now()`.
 */
export function mapApnsResponse(
  status: number,
  body: unknown,
  url: string,
  retryAfter?: string,
  now: number = Date.now(),
): SendOutcome {
  if (status === 200) return { kind: 'delivered', response: { code: 200, reason: '', body: {}, url } };

  const appleReason = reasonOf(body);
  const response: ProviderResponse = {
    code: status,
    reason: appleReason === null ? fallbackReason(status, body) : describeApnsReason(appleReason),
    body: isRecord(body) ? body : {},
    url,
  };

  if (status === 410) return { kind: 'dead-token', response };
  if (status === 400 && appleReason === 'BadDeviceToken') {
    // Sylk reports a malformed or wrong-environment token as 410 so its callers purge it like an expired one.
    return { kind: 'dead-token', response: { ...response, code: 410 } };
  }
  if (status === 429 || (status >= 500 && status <= 599)) {
    const retryAfterMs = retryAfter === undefined ? undefined : parseRetryAfter(retryAfter, now);
    return retryAfterMs === undefined ? { kind: 'retryable', response } : { kind: 'retryable', response, retryAfterMs };
  }
  return { kind: 'rejected', response };
}

function reasonOf(body: unknown): string | null {
  if (!isRecord(body)) return null;
  const reason = body.reason;
  return typeof reason === 'string' && reason !== '' ? reason : null;
}

/** Apple always names a reason; this covers answers from something else on the path (a proxy, a load balancer). */
function fallbackReason(status: number, body: unknown): string {
  if (typeof body === 'string') {
    const text = body.replace(/\s+/g, ' ').trim();
    if (text !== '') return text.length > MAX_TEXT_REASON ? `${text.slice(0, MAX_TEXT_REASON)}…` : text;
  }
  return `HTTP ${status}`;
}
