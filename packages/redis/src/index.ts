export * from './redis.js';
export * from './redis-topology.js';
export * from './redis-tls.js';
export * from './redis-script.js';
export * from './rate-limiter.js';
export * from './key-part.js';
export * from './key-slot.js';
export * from './cluster-replica-ack.js';
