export * from './platform.js';
export * from './events.js';
export * from './push-request.js';
export * from './session-id.js';
export * from './delivery.js';
export * from './clock.js';
export * from './http-error.js';
