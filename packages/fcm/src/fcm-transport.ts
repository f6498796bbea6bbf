// One HTTPS POST to FCM over a keep-alive undici Agent, and the words for a POST that got no answer.
import type { IncomingHttpHeaders } from 'node:http';
import type { Agent } from 'undici';

export interface HttpReply {
  status: number;
  /** The reason phrase as received (HTTP/1.1), or ''. */
  statusText: string;
  headers: IncomingHttpHeaders;
  text: string;
}

/** Sends the request and reads the whole answer; throws on transport errors and on abort. */
export async function postOnce(
  dispatcher: Agent,
  url: URL,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<HttpReply> {
  const res = await dispatcher.request({
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method: 'POST',
    headers,
    body,
    signal,
  });
  const text = await res.body.text();
  return { status: res.statusCode, statusText: res.statusText ?? '', headers: res.headers, text };
}

export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Sylk's sentence for a TLS peer it does not trust (pns/apple.py, "unknown ca"). */
export const UNTRUSTED_CERTIFICATE_REASON = 'The connection failed because the SSL certificate is not trusted.';

const UNTRUSTED_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_UNTRUSTED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/** The innermost cause: undici and gaxios wrap the socket's error. */
function rootCause(error: unknown): unknown {
  let current = error;
  for (let depth = 0; depth < 5; depth += 1) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) break;
    current = cause;
  }
  return current;
}

/** A transport error in one line: Sylk's sentence for an untrusted certificate, else message (code). */
export function describeTransportError(error: unknown): string {
  const root = rootCause(error);
  const code = codeOf(root) ?? codeOf(error);
  if (code !== undefined && UNTRUSTED_CODES.has(code)) return UNTRUSTED_CERTIFICATE_REASON;
  const message = root instanceof Error && root.message !== '' ? root.message : error instanceof Error ? error.message : String(error);
  return code !== undefined && !message.includes(code) ? `${message} (${code})` : message;
}

/** Resolves or rejects with `promise`, or rejects with the signal's reason once it aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) {
      promise.catch(() => undefined);
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
