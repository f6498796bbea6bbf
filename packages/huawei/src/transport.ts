// One HTTPS POST to Push Kit and the words for one that got no answer.
import { UNTRUSTED_CERTIFICATE_REASON, UNTRUSTED_TLS_CODES } from '@pushwire/core';
import type { Agent } from 'undici';
import type { HuaweiReply } from './map-huawei-response.js';

export async function postJson(dispatcher: Agent, url: URL, headers: Record<string, string>, body: string, signal: AbortSignal, now: number): Promise<HuaweiReply> {
  const res = await dispatcher.request({ origin: url.origin, path: `${url.pathname}${url.search}`, method: 'POST', headers, body, signal });
  const text = await res.body.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Kept as text: a proxy's error page, reported as the reason.
  }
  const header = res.headers['retry-after'];
  const retryAfter = parseRetryAfter(Array.isArray(header) ? header[0] : header, now);
  return retryAfter === undefined ? { status: res.statusCode, body: parsed } : { status: res.statusCode, body: parsed, retryAfterMs: retryAfter };
}

/** RFC 9110 Retry-After (seconds or an HTTP date) in ms, never negative; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  const text = value?.trim() ?? '';
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date) || !/[a-z]/i.test(text)) return undefined;
  return Math.max(0, date - now);
}

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A transport error in one line: Sylk's sentence for an untrusted certificate, else the innermost message (code). */
export function describeTransportError(error: unknown): string {
  let root = error;
  for (let depth = 0; depth < 5 && (root as { cause?: unknown } | null)?.cause != null; depth++) root = (root as { cause: unknown }).cause;
  const code = codeOf(root) ?? codeOf(error);
  if (code !== undefined && UNTRUSTED_TLS_CODES.has(code)) return UNTRUSTED_CERTIFICATE_REASON;
  const message = root instanceof Error && root.message !== '' ? root.message : error instanceof Error ? error.message : String(error);
  return code !== undefined && !message.includes(code) ? `${message} (${code})` : message;
}
