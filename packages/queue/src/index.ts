export * from './queue-names.js';
export * from './job-id.js';
export * from './push-job.js';
export * from './result-channel.js';
export * from './redis.js';
export * from './delivery-policy.js';
export * from './cancel-marks.js';
export * from './admission-control.js';
