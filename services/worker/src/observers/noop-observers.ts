// Observers for what a worker has switched off: they take every record and keep nothing.
import type { WorkerCallHistory } from '../history-hooks.js';
import type { PushMetricsSink } from '../metrics/push-metrics.js';
import type { LogSinks } from './push-observers.js';

export const noopCallHistory: WorkerCallHistory = {
  async attempt() {},
  async result() {},
};

export const noopPushMetrics: PushMetricsSink = {
  sent() {},
  retried() {},
  finished() {},
};

export const noopLogSinks: LogSinks = {
  async publish() {},
  hasSinks: () => false,
};
