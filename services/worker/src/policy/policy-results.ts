// The results Pushwire reports when its delivery policy, not the push service, decided a push's fate.
import type { ProviderResponse } from '@pushwire/core';

/**
 * 408 (Request Timeout): the push was not delivered before its call deadline and was dropped. Not 410,
 * which tells the caller the token is dead and makes it purge a good token.
 */
export const EXPIRED_CODE = 408;
export const EXPIRED_REASON = 'expired - not delivered before the call deadline';

/** 409 (Conflict): a cancel for the same call was accepted, so this wake-up was never sent. */
export const SUPERSEDED_CODE = 409;
export const SUPERSEDED_REASON = 'superseded - the call was cancelled';

/** 503 (Service Unavailable): the app's circuit breaker is open; reported only if it outlasts every attempt. */
export const CIRCUIT_OPEN_CODE = 503;

export function expiredResponse(): ProviderResponse {
  return { code: EXPIRED_CODE, reason: EXPIRED_REASON, body: {}, url: '' };
}

export function supersededResponse(): ProviderResponse {
  return { code: SUPERSEDED_CODE, reason: SUPERSEDED_REASON, body: {}, url: '' };
}

/** @param service `APNs` or `FCM`. */
export function circuitOpenResponse(service: string): ProviderResponse {
  return { code: CIRCUIT_OPEN_CODE, reason: `circuit open - ${service} unavailable`, body: {}, url: '' };
}
