export { createIngestApp } from './app.js';
export type { IngestDeps, IngestResults } from './ingest-deps.js';
export { IngestSettingsHolder, settingsOf, type IngestSettings } from './ingest-settings.js';
export { AccessList } from './access-list.js';
export { splitToken } from './routes/tokens-v2.js';
export { PushProducer, QueueUnavailableError } from './push-producer.js';
export { startIngest, type IngestOptions, type RunningIngest } from './server.js';
export { createIngestMetrics, type IngestMetrics, type IngestMetricsOptions } from './metrics/ingest-metrics.js';
