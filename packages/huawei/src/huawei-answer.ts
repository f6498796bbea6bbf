// Reading a messages:send answer: `{"code": "80000000", "msg": "Success", "requestId": "..."}`.
import { isRecord } from '@pushwire/core';

export interface HuaweiAnswer {
  code: string | null;
  msg: string;
  requestId: string | null;
}

/** The answer's fields; a body that is not Push Kit's JSON (a proxy's error page) has a null code. */
export function readHuaweiAnswer(body: unknown): HuaweiAnswer {
  if (!isRecord(body))
    return { code: null, msg: typeof body === 'string' ? body.trim().slice(0, 200) : '', requestId: null };
  const code = typeof body.code === 'string' || typeof body.code === 'number' ? String(body.code) : null;
  return {
    code,
    msg: typeof body.msg === 'string' ? body.msg : '',
    requestId: typeof body.requestId === 'string' ? body.requestId : null,
  };
}

/**
 * The tokens an 80100000 answer names as refused: its `msg` is itself JSON,
 * `{"success":1,"failure":1,"illegal_tokens":["..."]}`.
 */
export function illegalTokensOf(msg: string): string[] {
  try {
    const parsed: unknown = JSON.parse(msg);
    const tokens = isRecord(parsed) ? (parsed.illegal_tokens ?? parsed.illegalTokens) : undefined;
    return Array.isArray(tokens) ? tokens.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}

/**
 * A bounded metrics label: the 8-digit result code, `no-answer` when Push Kit never answered (the provider's
 * own failures carry `{}`), else `other` (a bare 503 page, an unknown shape).
 */
export function huaweiReasonLabel(body: unknown): string {
  if (!isRecord(body)) return 'other';
  if (Object.keys(body).length === 0) return 'no-answer';
  const { code } = readHuaweiAnswer(body);
  return code !== null && /^\d{8}$/.test(code) ? code : 'other';
}
