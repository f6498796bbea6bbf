// One HTTPS POST to Push Kit and the words for one that got no answer.
import { errorMessage, parseRetryAfter, UNTRUSTED_CERTIFICATE_REASON, UNTRUSTED_TLS_CODES } from '@pushwire/core';
import type { Agent } from 'undici';
import type { HuaweiReply } from './map-huawei-response.js';

export async function postJson(
  dispatcher: Agent,
  url: URL,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
  now: number,
): Promise<HuaweiReply> {
  const res = await dispatcher.request({
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method: 'POST',
    headers,
    body,
    signal,
  });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Kept as text: a proxy's error page, reported as the reason.
  }
  const header = res.headers['retry-after'];
  const value = Array.isArray(header) ? header[0] : header;
  const retryAfter = value === undefined ? undefined : parseRetryAfter(value, now);
  return retryAfter === undefined
    ? { status: res.statusCode, body: parsed }
    : { status: res.statusCode, body: parsed, retryAfterMs: retryAfter };
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A transport error in one line: Sylk's sentence for an untrusted certificate, else the innermost message (code). */
export function describeTransportError(error: unknown): string {
  let root = error;
  for (let depth = 0; depth < 5 && (root as { cause?: unknown } | null)?.cause != null; depth++)
    root = (root as { cause: unknown }).cause;
  const code = codeOf(root) ?? codeOf(error);
  if (code !== undefined && UNTRUSTED_TLS_CODES.has(code)) return UNTRUSTED_CERTIFICATE_REASON;
  const message = root instanceof Error && root.message !== '' ? root.message : errorMessage(error);
  return code !== undefined && !message.includes(code) ? `${message} (${code})` : message;
}
