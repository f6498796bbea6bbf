// Failures of remote log sinks (Sylk's log_remote_urls), fed by the log-sink worker's callback.
import type { Platform } from '@pushwire/core';
import { Counter, type Registry } from 'prom-client';

export class SinkMetrics {
  private readonly failures: Counter<'app_id' | 'platform' | 'final'>;

  constructor(options: { registry: Registry }) {
    this.failures = new Counter({
      name: 'pushwire_log_sink_failures_total',
      help: 'Failed posts of remote log records; final="true" when the record was given up (kept in the failed jobs)',
      labelNames: ['app_id', 'platform', 'final'],
      registers: [options.registry],
    });
  }

  /** For `startLogSinkWorker`'s `onDeliveryFailure`. */
  readonly failed = (failure: { appId: string; platform: Platform; final: boolean }): void => {
    this.failures.inc({ app_id: failure.appId, platform: failure.platform, final: String(failure.final) });
  };
}
