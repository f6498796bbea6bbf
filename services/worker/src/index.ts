export { startWorker, type WorkerOptions, type RunningWorker } from './worker.js';
export { processPush, RetryableSendError, type ProcessPushDeps } from './process-push.js';
export { createAppRuntimes, type AppRuntime } from './app-runtime.js';
