// What a push service's status means for a subscription, one row per status RFC 8030/8292 and the services'
// documentation give a meaning to:
//   RFC 8030 §5-§8: https://www.rfc-editor.org/rfc/rfc8030   RFC 8292 §4: https://www.rfc-editor.org/rfc/rfc8292
//   FCM: https://firebase.google.com/docs/cloud-messaging/migrate-v1 (web push errors), Mozilla autopush:
//   https://autopush.readthedocs.io/en/latest/http.html#error-codes, Apple: developer.apple.com "Sending web push
//   notifications in web apps and browsers", Microsoft: learn.microsoft.com "Push notification service request
//   and response headers".
import type { SendOutcome } from '@pushwire/core';

export type WebPushVerdict = SendOutcome['kind'];

export interface WebPushReason {
  /** Bounded label for metrics and logs. */
  label: string;
  verdict: WebPushVerdict;
  description: string;
}

export const WEBPUSH_REASONS: Readonly<Record<number, WebPushReason>> = Object.freeze({
  200: { label: 'ok', verdict: 'delivered', description: '' },
  201: { label: 'ok', verdict: 'delivered', description: '' },
  202: { label: 'ok', verdict: 'delivered', description: '' },
  400: { label: 'BadRequest', verdict: 'rejected', description: 'the push service refused the request as malformed' },
  401: { label: 'Unauthorized', verdict: 'rejected', description: 'the push service refused the VAPID authorization' },
  403: {
    label: 'Forbidden',
    verdict: 'rejected',
    description: 'the VAPID key does not match the one the subscription was made with',
  },
  404: {
    label: 'NotFound',
    verdict: 'dead-token',
    description: 'the subscription does not exist (expired or unsubscribed)',
  },
  410: { label: 'Gone', verdict: 'dead-token', description: 'the subscription is gone (unsubscribed or expired)' },
  413: {
    label: 'PayloadTooLarge',
    verdict: 'rejected',
    description: 'the encrypted payload is larger than the push service accepts',
  },
  429: { label: 'TooManyRequests', verdict: 'retryable', description: 'the push service asks to slow down' },
});

/** The row for a status: a listed one, else 5xx retryable, other 2xx delivered, anything else rejected. */
export function webPushReasonOf(status: number): WebPushReason {
  const known = WEBPUSH_REASONS[status];
  if (known) return known;
  if (status >= 500 && status <= 599)
    return { label: 'ServerError', verdict: 'retryable', description: 'the push service failed' };
  if (status >= 200 && status <= 299) return { label: 'ok', verdict: 'delivered', description: '' };
  return { label: 'other', verdict: 'rejected', description: 'the push service refused the push' };
}
