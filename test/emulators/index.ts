// Test doubles of the push services, runnable in tests and in `pushwire start`'s sandbox.
export * from './apns/index.js';
// FCM emulator: export * from './fcm/index.js';
export * from './tls.js';
