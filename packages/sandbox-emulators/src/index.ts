// Test doubles of the push services, runnable in tests and in `pushwire start`'s sandbox.
export * from './apns/index.js';
export * from './fcm/index.js';
export * from './huawei/index.js';
export * from './webpush/index.js';
export * from './tls.js';
export * from './sandbox.js';
export * from './log-sink.js';
export * from './sandbox-error-tokens.js';
