// Remote HTTP log sinks (Sylk's log_remote_urls): records queued per app, posted with retries, secrets removed.
export { toIncomingBody } from './incoming-body.js';
export {
  buildSinkPayload,
  sylkTimestamp,
  type BuildSinkPayloadOptions,
  type SinkPayload,
  type SinkRecordInput,
} from './sink-payload.js';
export { redactSinkPayload, redactValue, scrubSecretText } from './redact-record.js';
export { discoverServerIp, FALLBACK_SERVER_IP } from './server-ip.js';
export {
  isSinkJobData,
  SINK_BACKOFF_TYPE,
  SINK_JOB_ATTEMPTS_CEILING,
  sinkJobOptions,
  sinkQueueName,
  type LegacySinkJobData,
  type LogSinkApp,
  type SinkJobData,
  type SinkRef,
} from './sink-queue.js';
export { resolveSinkUrl } from './resolve-sink.js';
export { LogSinkPublisher, LogSinkPublishError, type LogSinkPublisherOptions } from './publisher.js';
export {
  displayUrl,
  MAX_RESPONSE_BYTES,
  postRecord,
  SinkTransportError,
  type PostRecordOptions,
  type SinkResponse,
} from './post-record.js';
export { logRemoteResponse, type RemoteResponseContext } from './remote-response-log.js';
export {
  LogSinkDeliveryError,
  startLogSinkWorker,
  type LogSinkRedisSource,
  type LogSinkWorkerOptions,
  type RunningLogSinkWorker,
} from './sink-worker.js';
