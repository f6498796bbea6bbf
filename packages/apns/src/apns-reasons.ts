// Apple's APNs error reasons and the human-readable description Sylk appends to each (pns/apple.py).
//
// Reasons: https://developer.apple.com/documentation/usernotifications/handling-notification-responses-from-apns
// The descriptions are Sylk's `apple_error_info` table word for word, because they are part of the
// `reason` string Sylk returns to its callers ("<reason> - <description>").

/**
 * Sylk's table keys `'BadExpirationDate:'` with a stray colon, so upstream never describes that reason.
 * Pushwire keys it by Apple's real name and does describe it: the colon is a typo, not a behaviour, and
 * Sylk's own literal `apns-expiration` values ("120", "10") never draw that answer from Apple anyway.
 */
const DESCRIPTIONS: ReadonlyMap<string, string> = new Map([
  ['ConnectionFailed', 'There was an error connecting to APNs.'],
  ['InternalException', 'This exception should not be raised. If it is, please report this as a bug.'],
  ['BadPayloadException', 'Something bad with the payload.'],
  ['BadCollapseId', 'The collapse identifier exceeds the maximum allowed size'],
  [
    'BadDeviceToken',
    'The specified device token was bad. Verify that the request contains a valid token and that the token matches the environment.',
  ],
  ['BadExpirationDate', 'The apns-expiration value is bad.'],
  ['BadMessageId', 'The apns-id value is bad.'],
  ['BadPriority', 'The apns-priority value is bad.'],
  ['BadTopic', 'The apns-topic was invalid.'],
  ['DeviceTokenNotForTopic', 'The device token does not match the specified topic.'],
  ['DuplicateHeaders', 'One or more headers were repeated.'],
  ['IdleTimeout', 'Idle time out.'],
  [
    'MissingDeviceToken',
    'The device token is not specified in the request :path. Verify that the :path header contains the device token.',
  ],
  [
    'MissingTopic',
    'The apns-topic header of the request was not specified and was required. The apns-topic header is mandatory when the client is connected using a certificate that supports multiple topics.',
  ],
  ['PayloadEmpty', 'The message payload was empty.'],
  ['TopicDisallowed', 'Pushing to this topic is not allowed.'],
  ['BadCertificate', 'The certificate was bad.'],
  ['BadCertificateEnvironment', 'The client certificate was for the wrong environment.'],
  ['ExpiredProviderToken', 'The provider token is stale and a new token should be generated.'],
  ['Forbidden', 'The specified action is not allowed.'],
  ['InvalidProviderToken', 'The provider token is not valid or the token signature could not be verified.'],
  [
    'MissingProviderToken',
    'No provider certificate was used to connect to APNs and Authorization header was missing or no provider token was specified.',
  ],
  ['BadPath', 'The request contained a bad :path value.'],
  ['MethodNotAllowed', 'The specified :method was not POST.'],
  ['Unregistered', 'The device token is inactive for the specified topic.'],
  ['PayloadTooLarge', 'The message payload was too large. The maximum payload size is 4096 bytes.'],
  ['TooManyProviderTokenUpdates', 'The provider token is being updated too often.'],
  ['TooManyRequests', 'Too many requests were made consecutively to the same device token.'],
  ['InternalServerError', 'An internal server error occurred.'],
  ['ServiceUnavailable', 'The service is unavailable.'],
  ['Shutdown', 'The server is shutting down.'],
  ['InvalidPushType', 'The apns-push-type value is invalid.'],
]);

/** Sylk's description of an APNs `reason`, or undefined for a reason outside its table (exact, case-sensitive match). */
export function apnsErrorDescription(reason: string): string | undefined {
  return DESCRIPTIONS.get(reason);
}

/** The `reason` Sylk reports for a non-200 answer: `"<reason> - <description>"`, or the bare reason when not in the table. */
export function describeApnsReason(reason: string): string {
  const description = apnsErrorDescription(reason);
  return description === undefined ? reason : `${reason} - ${description}`;
}

/** Every reason the table describes (for tests and documentation). */
export function describedApnsReasons(): string[] {
  return [...DESCRIPTIONS.keys()];
}
