// Push Kit's result codes (the `code` of a messages:send answer) and what each means for one push.
//
// Huawei's reference, "Downlink Message Sending" > Error codes:
//   https://developer.huawei.com/consumer/en/doc/HMSCore-References/https-send-api-0000001050986197
// The same table in Huawei's Java server SDK (HMS-Core/hms-push-serverdemo-java, util/ResponceCodeProcesser.java);
// 80200003 / 80200001 described in Huawei's FAQ on server error codes; HTTP 503 = traffic control
// (https://developer.huawei.com/consumer/en/doc/harmonyos-references/push-scenariozed-api-response).

/** How Pushwire treats a result code. */
export type HuaweiCodeMeaning =
  | 'success'
  /** Only some tokens were accepted: the others are listed in `msg` (`illegal_tokens`). */
  | 'partial'
  | 'dead-token'
  /** The access token was refused: get a new one and resend once. */
  | 'auth'
  | 'retry'
  | 'reject';

export const HUAWEI_RESULT_CODES: Readonly<Record<string, { meaning: HuaweiCodeMeaning; text: string }>> =
  Object.freeze({
    '80000000': { meaning: 'success', text: 'Success' },
    '80100000': { meaning: 'partial', text: 'Some tokens are right, the others are illegal' },
    '80100001': { meaning: 'reject', text: 'Parameters check error' },
    '80100003': { meaning: 'reject', text: 'Message structure error' },
    '80100004': { meaning: 'reject', text: 'TTL is less than current time' },
    '80100016': { meaning: 'reject', text: 'Message contains sensitive information' },
    '80100018': { meaning: 'reject', text: 'Invalid message body' },
    '80200001': { meaning: 'auth', text: 'Oauth authentication error' },
    '80200003': { meaning: 'auth', text: 'Oauth Token expired' },
    '80300002': { meaning: 'reject', text: 'APP is forbidden to send' },
    '80300007': { meaning: 'dead-token', text: 'Invalid Token' },
    '80300008': { meaning: 'reject', text: 'The message body size exceeds the default value set by the system (4K)' },
    // Not a rate limit (as sometimes assumed): the token array is empty or too long, a malformed request.
    '80300010': { meaning: 'reject', text: 'Tokens exceed the default value' },
    '80300011': { meaning: 'reject', text: 'No permission to send high-level notification messages' },
    '80600003': { meaning: 'retry', text: 'Request OAuth service failed' },
    '81000001': { meaning: 'retry', text: 'System inner error' },
  });

/** The meaning of a result code, by the HTTP status when the code is unknown (5xx, 429 = retry; 401 = auth). */
export function huaweiCodeMeaning(code: string | null, status: number): HuaweiCodeMeaning {
  const known = code === null ? undefined : HUAWEI_RESULT_CODES[code];
  if (known !== undefined) return known.meaning;
  if (status === 429 || status >= 500) return 'retry';
  if (status === 401) return 'auth';
  return 'reject';
}
