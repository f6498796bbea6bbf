// Turns one FCM HTTP answer into a SendOutcome carrying the result Sylk would report.
//
// FCM's error codes: https://firebase.google.com/docs/reference/fcm/rest/v1/ErrorCode
// How Google shapes them: https://firebase.google.com/docs/cloud-messaging/error-codes
import { isRecord, parseRetryAfter } from '@pushwire/core';
import type { ProviderResponse, SendOutcome } from '@pushwire/core';
import { condenseText, reasonPhrase, responseBody } from './response-body.js';

/** Sylk's test for a malformed token (pns/firebase.py); FCM answers it with 400 INVALID_ARGUMENT. */
const INVALID_TOKEN_TEXT = 'not a valid FCM registration token';

export interface FcmResponseExtras {
  /** The answer's encoding as python-requests reads it from `content-type` (see `encodingFromContentType`). */
  encoding?: string | null;
  /** Current time, ms since the epoch, to read an HTTP-date `retry-after`. Default `Date.now()`. */
  now?: number;
}

/** The google.rpc.Status `error` object of a v1 answer, if the body is one. */
function rpcErrorOf(content: unknown): Record<string, unknown> | null {
  return isRecord(content) && isRecord(content.error) ? content.error : null;
}

/** The first per-message error of a legacy `/fcm/send` answer (`{"failure":1,"results":[{"error":X}]}`). */
function legacyErrorOf(content: unknown): string | null {
  if (!isRecord(content) || typeof content.failure !== 'number' || content.failure < 1) return null;
  const results = Array.isArray(content.results) ? content.results : [];
  for (const result of results) if (isRecord(result) && typeof result.error === 'string') return result.error;
  return null;
}

/**
 * The FCM error code of a v1 error body (`details[].errorCode` of the `FcmError` detail), e.g.
 * `UNREGISTERED` or `QUOTA_EXCEEDED` (a provider-wide signal: rate-limit the queue, docs/decisions/0011-rate-limits-per-token.md).
 */
export function fcmErrorCodeOf(content: unknown): string | null {
  const details = rpcErrorOf(content)?.details;
  if (!Array.isArray(details)) return null;
  for (const detail of details) {
    if (isRecord(detail) && String(detail['@type']).endsWith('.FcmError') && typeof detail.errorCode === 'string') {
      return detail.errorCode;
    }
  }
  return null;
}

/**
 * Maps an FCM answer as Sylk does (pns/firebase.py) with the fixes of sylk-behaviour.md §10.1 #11:
 * - 200 carrying a legacy per-message error: the token is dead (410, reason = the error);
 * - 200 otherwise: delivered;
 * - `error.code` 404 (UNREGISTERED), or 400 saying the token is not valid: dead (410);
 * - 429 and 5xx: retryable, with `retry-after` (Sylk did not retry them);
 * - anything else (401, 403, other 400s): rejected.
 * A body that is not JSON never throws (Sylk answered 500 there): its text becomes the reason.
 *
 * @param status HTTP status.
 * @param statusText HTTP reason phrase as received ('' when none: the standard phrase is used).
 * @param json The parsed JSON body, or the raw text when it was not JSON.
 * @param url The push URL, reported as the result's `url`.
 * @param retryAfter The `retry-after` header, if any.
 */
export function mapFcmResponse(
  status: number,
  statusText: string,
  json: unknown,
  url: string,
  retryAfter?: string,
  extras: FcmResponseExtras = {},
): SendOutcome {
  const phrase = reasonPhrase(status, statusText);
  const body = responseBody({ content: json, status, url, encoding: extras.encoding ?? null, reason: phrase });
  const response = (code: number, reason: string): ProviderResponse => ({ code, reason, body, url });

  if (status === 200) {
    const legacyError = legacyErrorOf(json);
    if (legacyError !== null) return { kind: 'dead-token', response: response(410, legacyError) };
    return { kind: 'delivered', response: response(200, phrase === '' ? 'OK' : phrase) };
  }

  const error = rpcErrorOf(json);
  const message = typeof error?.message === 'string' ? error.message : null;
  const detail = message ?? (typeof json === 'string' ? condenseText(json) : '');
  const reason = detail === '' || detail === phrase ? phrase : `${phrase} ${detail}`.trim();
  const errorCode = typeof error?.code === 'number' ? error.code : status;

  if (error !== null && errorCode === 404) return { kind: 'dead-token', response: response(410, reason) };
  if (errorCode === 400 && message?.includes(INVALID_TOKEN_TEXT) === true) {
    return { kind: 'dead-token', response: response(410, reason) };
  }
  if (status === 429 || (status >= 500 && status <= 599)) {
    const retryAfterMs = retryAfter === undefined ? undefined : parseRetryAfter(retryAfter, extras.now ?? Date.now());
    return retryAfterMs === undefined
      ? { kind: 'retryable', response: response(status, reason) }
      : { kind: 'retryable', response: response(status, reason), retryAfterMs };
  }
  return { kind: 'rejected', response: response(status, reason) };
}

/** A send that got no usable answer (no connection, timeout, token failure): Sylk reports these as 500. */
export function failedSend(url: string, reason: string): SendOutcome {
  return { kind: 'retryable', response: { code: 500, reason, body: {}, url } };
}
