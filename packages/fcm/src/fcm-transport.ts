// One HTTPS POST to FCM over a keep-alive undici Agent, and the words for a POST that got no answer.
import { raceAbort, UNTRUSTED_CERTIFICATE_REASON, UNTRUSTED_TLS_CODES, errorMessage } from '@pushwire/core';
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

export { UNTRUSTED_CERTIFICATE_REASON };

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
  if (code !== undefined && UNTRUSTED_TLS_CODES.has(code)) return UNTRUSTED_CERTIFICATE_REASON;
  const message = root instanceof Error && root.message !== '' ? root.message : errorMessage(error);
  return code !== undefined && !message.includes(code) ? `${message} (${code})` : message;
}

/** Resolves or rejects with `promise`, or rejects with the signal's reason once it aborts. */
export const untilAborted = raceAbort;
