// One POST of a sink record, bounded by the app's `log_remote_timeout` from connect to the last body byte.
import { request, type Dispatcher } from 'undici';

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
    super(`connection error to ${url}: ${reason}`);
    this.name = 'SinkTransportError';
  }
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
    const res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
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

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // undici wraps socket errors: the cause names the real one (ECONNREFUSED, ECONNRESET ...).
  const cause = err.cause instanceof Error ? `: ${(err.cause as NodeJS.ErrnoException).code ?? err.cause.message}` : '';
  return `${(err as NodeJS.ErrnoException).code ?? err.name} ${err.message}${cause}`;
}
