// Apple's APNs error reasons with the HTTP status each one is answered with: the emulator's one table.
//
// Source: "Handling notification responses from APNs",
// https://developer.apple.com/documentation/usernotifications/handling-notification-responses-from-apns

/** Every reason string Apple documents, mapped to the status APNs answers it with. */
export const APNS_REASON_STATUS = {
  BadCollapseId: 400,
  BadDeviceToken: 400,
  BadExpirationDate: 400,
  BadMessageId: 400,
  BadPriority: 400,
  BadTopic: 400,
  DeviceTokenNotForTopic: 400,
  DuplicateHeaders: 400,
  IdleTimeout: 400,
  InvalidPushType: 400,
  MissingDeviceToken: 400,
  MissingTopic: 400,
  PayloadEmpty: 400,
  TopicDisallowed: 400,
  BadCertificate: 403,
  BadCertificateEnvironment: 403,
  ExpiredProviderToken: 403,
  Forbidden: 403,
  InvalidProviderToken: 403,
  MissingProviderToken: 403,
  UnrelatedKeyIdInToken: 403,
  BadEnvironmentKeyIdInToken: 403,
  BadPath: 404,
  MethodNotAllowed: 405,
  ExpiredToken: 410,
  Unregistered: 410,
  PayloadTooLarge: 413,
  TooManyProviderTokenUpdates: 429,
  TooManyRequests: 429,
  InternalServerError: 500,
  ServiceUnavailable: 503,
  Shutdown: 503,
} as const;

export type ApnsReason = keyof typeof APNS_REASON_STATUS;

/** A refusal: Apple's status and `reason`, answered as `{"reason": ...}` (plus `timestamp` on 410). */
export interface ApnsRejection {
  status: number;
  reason: string;
}

export function reject(reason: ApnsReason): ApnsRejection {
  return { status: APNS_REASON_STATUS[reason], reason };
}
