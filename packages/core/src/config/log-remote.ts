// An app's remote HTTP log settings (log_remote_urls, log_remote_key, log_remote_timeout).
import { redactUrlSecrets } from './redact-url.js';
import type { LogRemoteConfig } from './types.js';

/** Sylk's effective timeout: its own timeout setting never reached the code, so 2 s always applied. */
export const DEFAULT_LOG_REMOTE_TIMEOUT_MS = 2000;

/**
 * Reads the documented names (`log_remote_key`, `log_remote_timeout`, seconds) and, as fallbacks, the
 * names Sylk's code reads (`log_key`, `log_time_out`). URLs are split on `,` and trimmed; duplicates go
 * (Sylk keeps a set). Bad values are warned about and left out rather than disabling the app: Sylk
 * delivers pushes whatever its log settings say, so a config that served there must serve here.
 */
export function parseLogRemote(values: ReadonlyMap<string, string>, warn: (message: string) => void): LogRemoteConfig {
  const listed = (values.get('log_remote_urls') ?? '').split(',').map((url) => url.trim());
  const urls = [...new Set(listed)].filter((url) => {
    if (url === '') return false;
    if (URL.canParse(url) && /^https?:$/.test(new URL(url).protocol)) return true;
    warn(`log_remote_urls: "${redactUrlSecrets(url)}" is not an http(s) URL, it is ignored`);
    return false;
  });

  const key = nonEmpty(values.get('log_remote_key')) ?? nonEmpty(values.get('log_key')) ?? null;

  const timeoutName = nonEmpty(values.get('log_remote_timeout')) !== undefined ? 'log_remote_timeout' : 'log_time_out';
  const timeoutText = nonEmpty(values.get(timeoutName));
  let timeoutMs = DEFAULT_LOG_REMOTE_TIMEOUT_MS;
  if (timeoutText !== undefined) {
    const seconds = /^\d+(?:\.\d*)?$|^\.\d+$/.test(timeoutText) ? Number(timeoutText) : Number.NaN;
    if (seconds > 0) timeoutMs = Math.round(seconds * 1000);
    else warn(`${timeoutName} must be a positive number of seconds, got "${timeoutText}": using ${timeoutMs / 1000} s`);
  }
  return { urls, key, timeoutMs };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
