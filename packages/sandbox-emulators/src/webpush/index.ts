// The Web Push emulator: a strict push service (VAPID, aes128gcm) with a demo page, for tests and the sandbox.
export { startWebPushEmulator } from './webpush-emulator.js';
export { decryptAes128gcm, DecryptError, uaKeysFrom } from './aes128gcm.js';
export { checkVapid } from './vapid-check.js';
export type * from './types.js';
