export * from './stack.js';
export * from './child-service.js';
export * from './cassandra.js';
export * from './find-job.js';
export * from './documentation.js';
