// Sylk's log lines for a sink's answer, with its `log_remote_key` feature working (reference §7.2, §10.1 #5).
import type { Logger } from '@pushwire/logging';
import type { SinkResponse } from './post-record.js';

export interface RemoteResponseContext {
  requestId: string;
  url: string;
  /** `log_remote_key`: a field of the sink's JSON answer worth logging (e.g. the sink's record id). */
  key: string | null;
}

/** Sylk logs only the start of an answer. */
const LOGGED_CHARS = 500;

export function logRemoteResponse(logger: Logger, context: RemoteResponseContext, response: SinkResponse): void {
  const { requestId, url, key } = context;
  const { status, text } = response;
  logger.debug(
    { request_id: requestId, url, status },
    `log remote response for request ${requestId} from ${url}: ${status} ${text.slice(0, LOGGED_CHARS)}`,
  );
  if (key === null) return;

  const value = lookUp(text, key);
  if (value === undefined) {
    logger.error(
      { request_id: requestId, url, status, key },
      `log remote response for request ${requestId} - code: ${status}, key not found`,
    );
    return;
  }
  logger.info(
    { request_id: requestId, url, status, key },
    `log remote response for request ${requestId} from ${url} - ${status} ${key}: ${value}`,
  );
}

/**
 * The key's value as text, or undefined when the answer is not a JSON object holding it. As Sylk, an
 * empty value (null, "", false, 0, {} or []) counts as not found: it identifies nothing.
 */
function lookUp(text: string, key: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed) || !Object.hasOwn(parsed, key))
    return undefined;
  const value = (parsed as Record<string, unknown>)[key];
  if (value === null || value === undefined || value === '' || value === false || value === 0) return undefined;
  if (typeof value === 'object' && Object.keys(value).length === 0) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}
