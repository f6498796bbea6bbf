// Which configured URL a sink job goes to, looked up when it is sent: a job names its sink, and a reload that
// removed the URL ends its retries rather than leaving a copy of the URL to be posted to for hours.
import { displayUrl } from './post-record.js';
import type { LegacySinkJobData, LogSinkApp, SinkJobData } from './sink-queue.js';

/**
 * The URL in `app`'s current `log_remote_urls` the job is for, or null when it is no longer configured. The
 * index is tried first; when a reload moved the sink, the entry with the same redacted form is. A job of an
 * older release carries its URL: it is sent only while that URL is still configured.
 */
export function resolveSinkUrl(app: LogSinkApp, data: SinkJobData | LegacySinkJobData): string | null {
  const urls = app.logRemote.urls;
  if (!('sink' in data)) return urls.includes(data.url) ? data.url : null;
  const { appId, platform, index, shown } = data.sink;
  if (appId !== app.appId || platform !== app.platform) return null;
  const atIndex = urls[index];
  if (atIndex !== undefined && displayUrl(atIndex) === shown) return atIndex;
  return urls.find((url) => displayUrl(url) === shown) ?? null;
}

/** The sink as logs and errors may name it: the redacted URL. */
export function shownSink(data: SinkJobData | LegacySinkJobData): string {
  return 'sink' in data ? data.sink.shown : displayUrl(data.url);
}
