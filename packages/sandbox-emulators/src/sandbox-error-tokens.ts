// Device tokens that make the sandbox's emulators answer a push-service error, so an operator can see each of
// Pushwire's answers from the sandbox examples (listed in docs/sandbox.md, and tested from there).
import type { ApnsEmulator, ApnsFault } from './apns/index.js';
import type { FcmEmulator, FcmFault } from './fcm/index.js';

/** APNs device tokens (64 hex digits, a word repeated) and what APNs answers to them. */
export const SANDBOX_APNS_ERROR_TOKENS: Readonly<Record<string, ApnsFault>> = {
  ['dead'.repeat(16)]: { status: 410, reason: 'Unregistered' },
  ['bad0'.repeat(16)]: { status: 400, reason: 'BadDeviceToken' },
  ['5000'.repeat(16)]: { status: 500, reason: 'InternalServerError', alternate: true },
  ['5030'.repeat(16)]: { status: 503, reason: 'ServiceUnavailable', alternate: true },
  ['4290'.repeat(16)]: { status: 429, reason: 'TooManyRequests', alternate: true },
};

/** FCM registration tokens and what FCM answers to them. */
export const SANDBOX_FCM_ERROR_TOKENS: Readonly<Record<string, FcmFault>> = {
  'fcm-unregistered': { status: 404, errorStatus: 'UNREGISTERED' },
  // Not about the token (that wording would make it a dead token): the message itself is refused.
  'fcm-invalid-argument': {
    status: 400,
    errorStatus: 'INVALID_ARGUMENT',
    message: 'Request contains an invalid argument.',
  },
  'fcm-internal-once': { status: 500, errorStatus: 'INTERNAL', alternate: true },
  'fcm-unavailable-once': { status: 503, errorStatus: 'UNAVAILABLE', alternate: true },
};

export function armSandboxErrorTokens(apns: ApnsEmulator, fcm: FcmEmulator): void {
  for (const [token, fault] of Object.entries(SANDBOX_APNS_ERROR_TOKENS)) apns.failToken(token, fault);
  for (const [token, fault] of Object.entries(SANDBOX_FCM_ERROR_TOKENS)) fcm.failToken(token, fault);
}
