// A bounded label for a push service's answer: Apple's reason or FCM's error code, never free text.
import { isRecord } from '@pushwire/core';
import { describedApnsReasons } from '@pushwire/apns';
import type { Platform, SendOutcome } from '@pushwire/core';
import { fcmErrorCodeOf } from '@pushwire/fcm';
import { huaweiReasonLabel } from '@pushwire/huawei';
import { webPushReasonLabel } from '@pushwire/webpush';

const APNS_REASONS = new Set(describedApnsReasons());
/** What an error code from the wire may look like before it becomes a label (keeps cardinality bounded). */
const CODE_LIKE = /^[A-Za-z][A-Za-z0-9_]{0,47}$/;

/**
 * `ok` for a delivered push; Apple's `reason` (`Unregistered`, `BadDeviceToken` ...), Huawei's result code
 * (`80300007` ...) or FCM's error code
 * (`UNREGISTERED`, `QUOTA_EXCEEDED` ..., else the google.rpc status such as `INVALID_ARGUMENT`);
 * `no-answer` when the push service never answered (connection failure, timeout: Sylk's 500 with an empty
 * body); `other` for anything unrecognised, so a misbehaving server cannot grow the label set.
 */
export function pushServiceReason(platform: Platform, outcome: SendOutcome): string {
  const { response } = outcome;
  if (outcome.kind === 'delivered') return 'ok';
  if (platform === 'huawei') return huaweiReasonLabel(response.body);
  if (platform === 'webpush') return webPushReasonLabel(outcome);
  return platform === 'apple' ? appleReason(response.body) : firebaseReason(response.body, response.reason);
}

function appleReason(body: unknown): string {
  const reason = isRecord(body) ? body.reason : undefined;
  if (typeof reason !== 'string' || reason === '')
    return isRecord(body) && Object.keys(body).length === 0 ? 'no-answer' : 'other';
  return APNS_REASONS.has(reason) ? reason : 'other';
}

function firebaseReason(body: unknown, reason: string): string {
  // The provider's own failures (no connection, no OAuth token) carry an empty body; FCM's answers never do.
  if (!isRecord(body) || Object.keys(body).length === 0) return 'no-answer';
  const content = body._content;
  const code = fcmErrorCodeOf(content);
  if (code !== null) return CODE_LIKE.test(code) ? code : 'other';
  const status = isRecord(content) && isRecord(content.error) ? content.error.status : undefined;
  if (typeof status === 'string') return CODE_LIKE.test(status) ? status : 'other';
  // A 200 carrying a legacy per-message error (`NotRegistered`): the reason is that error's name.
  return CODE_LIKE.test(reason) ? reason : 'other';
}
