// Maps a push service's HTTP answer onto a SendOutcome, in Sylk's result shape (dead subscription → 410).
import type { ProviderResponse, SendOutcome } from '@pushwire/core';
import { webPushReasonOf } from './webpush-reasons.js';

/** The answer as received; `text` is the body (often a JSON error from Mozilla, plain text from FCM). */
export interface WebPushReply {
  status: number;
  text: string;
  retryAfterMs?: number;
}

/** What Pushwire reports under `data.body` for a Web Push answer. */
export interface WebPushBody {
  status_code: number;
  content: unknown;
}

function parseContent(text: string): unknown {
  if (text === '') return '';
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // A long HTML error page is no use to the caller: keep its start.
    return text.length > 500 ? `${text.slice(0, 500)}…` : text;
  }
}

export function mapWebPushResponse(reply: WebPushReply, url: string): SendOutcome {
  const row = webPushReasonOf(reply.status);
  const body: WebPushBody = { status_code: reply.status, content: parseContent(reply.text) };
  const reason = row.description === '' ? '' : `${reply.status} ${row.label}: ${row.description}`;
  switch (row.verdict) {
    case 'delivered':
      return { kind: 'delivered', response: { code: 200, reason, body, url } };
    case 'dead-token':
      return { kind: 'dead-token', response: { code: 410, reason, body, url } };
    case 'retryable': {
      const response: ProviderResponse = { code: reply.status, reason, body, url };
      return reply.retryAfterMs === undefined
        ? { kind: 'retryable', response }
        : { kind: 'retryable', response, retryAfterMs: reply.retryAfterMs };
    }
    case 'rejected':
      return { kind: 'rejected', response: { code: reply.status, reason, body, url } };
  }
}

/** No answer from the push service (connection failure, timeout): Sylk's 500 with an empty body, retried. */
export function failedWebPush(url: string, reason: string): SendOutcome {
  return { kind: 'retryable', response: { code: 500, reason, body: {}, url } };
}

/** A push Pushwire refuses to send (a malformed subscription, an endpoint off the allow-list). */
export function refusedWebPush(url: string, reason: string): SendOutcome {
  return { kind: 'rejected', response: { code: 400, reason, body: {}, url } };
}

/** The bounded metrics label of a Web Push outcome (`ok`, `Gone`, `ServerError`, `no-answer` ...). */
export function webPushReasonLabel(outcome: SendOutcome): string {
  if (outcome.kind === 'delivered') return 'ok';
  const body = outcome.response.body as Partial<WebPushBody> | null;
  if (typeof body?.status_code !== 'number') return outcome.response.code === 400 ? 'refused' : 'no-answer';
  return webPushReasonOf(body.status_code).label;
}
