// One POST of a sink record, bounded by the app's `log_remote_timeout` from connect to the last body byte.
import { redactUrlSecrets } from '@pushwire/core';
import { request, type Dispatcher } from 'undici';
import { scrubSecretText } from './redact-record.js';

export interface SinkResponse {
  status: number;
  /** The answer as text, at most MAX_RESPONSE_BYTES of it. */
  text: string;
}

/** Largest sink answer read, bytes: plenty for a `log_remote_key` reply; more is not read. */
export const MAX_RESPONSE_BYTES = 1 << 20;

/** No HTTP answer at all: refused, reset, DNS, TLS, or the deadline passed. */
export class SinkTransportError extends Error {
  constructor(
    readonly url: string,
    reason: string,
  ) {
    super(`connection error to ${displayUrl(url)}: ${reason}`);
    this.name = 'SinkTransportError';
  }
}

/** A sink URL fit for a log line or the board: its user info (Basic auth to the sink) and key parameters removed. */
export function displayUrl(url: string): string {
  return scrubSecretText(redactUrlSecrets(url));
}

export interface PostRecordOptions {
  /** Deadline for the whole exchange, ms. */
  timeoutMs: number;
  /** Connection pool; default undici's global one. */
  dispatcher?: Dispatcher;
}

export async function postRecord(url: string, body: string, options: PostRecordOptions): Promise<SinkResponse> {
  const signal = AbortSignal.timeout(options.timeoutMs);
  try {
    const { target, authorization } = splitUserInfo(url);
    const res = await request(target, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body,
      signal,
      dispatcher: options.dispatcher,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
      chunks.push(buf);
      size += buf.length;
      if (size >= MAX_RESPONSE_BYTES) break;
    }
    const text = Buffer.concat(chunks).subarray(0, MAX_RESPONSE_BYTES).toString('utf8');
    return { status: res.statusCode, text };
  } catch (err) {
    if (signal.aborted) throw new SinkTransportError(url, `timed out after ${options.timeoutMs} ms`);
    throw new SinkTransportError(url, describe(err));
  }
}

/**
 * `http://user:pass@host/` means Basic auth to Python's requests (Sylk's client); undici would silently
 * drop the credentials, so they become the header here.
 */
function splitUserInfo(url: string): { target: string; authorization: string | null } {
  const parsed = new URL(url);
  if (parsed.username === '' && parsed.password === '') return { target: url, authorization: null };
  const credentials = `${decodeURIComponent(parsed.username)}:${decodeURIComponent(parsed.password)}`;
  parsed.username = '';
  parsed.password = '';
  return { target: parsed.toString(), authorization: `Basic ${Buffer.from(credentials).toString('base64')}` };
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // undici wraps socket errors: the cause names the real one (ECONNREFUSED, ECONNRESET ...).
  const cause = err.cause instanceof Error ? `: ${(err.cause as NodeJS.ErrnoException).code ?? err.cause.message}` : '';
  return `${(err as NodeJS.ErrnoException).code ?? err.name} ${err.message}${cause}`;
}
