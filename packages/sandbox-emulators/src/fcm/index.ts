// The FCM v1 emulator and the service-account key files it accepts.
export { startFcmEmulator } from './fcm-emulator.js';
export { createServiceAccount, type CreatedServiceAccount } from './service-account.js';
export { GOOGLE_TOKEN_URL } from './token-endpoint.js';
export { LEGACY_BODY, LEGACY_STATUS, LEGACY_STATUS_TEXT } from './legacy-endpoint.js';
export type {
  FcmEmulator,
  FcmEmulatorOptions,
  FcmFault,
  RecordedFcmRequest,
  RecordedTokenRequest,
  RegisteredServiceAccount,
} from './types.js';
