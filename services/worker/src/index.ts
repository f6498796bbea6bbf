export { startWorker, type WorkerOptions, type RunningWorker } from './worker.js';
export { createWorkerMetrics, type WorkerMetrics, type WorkerMetricsOptions } from './metrics/worker-metrics.js';
export {
  startHealthServer,
  type HealthServerOptions,
  type RunningHealthServer,
  type WorkerReadiness,
} from './health-server.js';
export { processPush, RetryableSendError, type ProcessPushDeps } from './process-push.js';
export { createAppRuntimes, type AppRuntime } from './app-runtime.js';
export {
  CircuitBreaker,
  type CircuitBreakerOptions,
  type CircuitPermit,
  type CircuitState,
} from './policy/circuit-breaker.js';
export { pushBackoffStrategy, retryDelayMs, sylkBackoffMs } from './policy/retry-delay.js';
export type { WorkerPolicy } from './policy/worker-policy.js';
