// Turns one Push Kit answer into a SendOutcome with the result Pushwire reports (Sylk's shape: 410 = dead token).
import type { ProviderResponse, SendOutcome } from '@pushwire/core';
import { illegalTokensOf, readHuaweiAnswer } from './huawei-answer.js';
import { HUAWEI_RESULT_CODES, huaweiCodeMeaning } from './huawei-result-codes.js';

export interface HuaweiReply {
  status: number;
  /** The parsed JSON body, or its text when it was not JSON. */
  body: unknown;
  /** Delay the service asked for (Retry-After), ms. */
  retryAfterMs?: number;
}

/** Whether this answer says the access token was refused (resend once with a new one). */
export function isAuthRefusal(reply: HuaweiReply): boolean {
  return huaweiCodeMeaning(readHuaweiAnswer(reply.body).code, reply.status) === 'auth';
}

/**
 * Maps an answer for a push to one token:
 * - 80000000: delivered (200);
 * - 80300007, or 80100000 naming the token in `illegal_tokens`: dead token (410);
 * - 81000001, 80600003, HTTP 429 and 5xx (503 = Huawei's traffic control): retryable, with Retry-After;
 * - 80200001/80200003 still refused after a fresh token, 80300008 (too large) and the rest: rejected.
 */
export function mapHuaweiResponse(reply: HuaweiReply, token: string, url: string): SendOutcome {
  const answer = readHuaweiAnswer(reply.body);
  const body = reply.body ?? {};
  const text =
    answer.msg !== ''
      ? answer.msg
      : ((answer.code !== null ? HUAWEI_RESULT_CODES[answer.code]?.text : undefined) ?? `HTTP ${reply.status}`);
  const response = (code: number, reason: string): ProviderResponse => ({ code, reason, body, url });
  const reason = answer.code === null ? text : `${answer.code} ${text}`;
  switch (huaweiCodeMeaning(answer.code, reply.status)) {
    case 'success':
      return { kind: 'delivered', response: response(200, text) };
    case 'partial':
      return illegalTokensOf(answer.msg).includes(token)
        ? { kind: 'dead-token', response: response(410, reason) }
        : { kind: 'delivered', response: response(200, reason) };
    case 'dead-token':
      return { kind: 'dead-token', response: response(410, reason) };
    case 'retry': {
      const code = reply.status >= 500 || reply.status === 429 ? reply.status : 500;
      return reply.retryAfterMs === undefined
        ? { kind: 'retryable', response: response(code, reason) }
        : { kind: 'retryable', response: response(code, reason), retryAfterMs: reply.retryAfterMs };
    }
    case 'auth':
      return { kind: 'rejected', response: response(401, reason) };
    case 'reject':
      return { kind: 'rejected', response: response(Math.max(reply.status, 400), reason) };
  }
}

/** A send that got no answer (no connection, timeout, no access token): reported as 500, as Sylk does. */
export function failedSend(url: string, reason: string): SendOutcome {
  return { kind: 'retryable', response: { code: 500, reason, body: {}, url } };
}
