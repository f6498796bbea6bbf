// The APNs emulator's public surface.
export { startApnsEmulator } from './apns-emulator.js';
export { APNS_REASON_STATUS, type ApnsReason } from './reasons.js';
export { PUSH_TYPE_TOPIC_SUFFIX } from './request-rules.js';
export {
  PROVIDER_TOKEN_FUTURE_SKEW_MS,
  PROVIDER_TOKEN_MAX_AGE_MS,
  PROVIDER_TOKEN_MIN_REFRESH_MS,
} from './provider-tokens.js';
export type {
  ApnsConnection,
  ApnsEmulator,
  ApnsEmulatorOptions,
  ApnsFault,
  ApnsRequestAuth,
  ApnsSigningKey,
  RecordedApnsRequest,
} from './types.js';
