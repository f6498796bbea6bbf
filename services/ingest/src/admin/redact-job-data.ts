// What Bull Board shows of a job's data: never a secret, and no message text when `[admin] redact_content`.
import { redactUrlsInText } from '@pushwire/core';
import { REDACTED_CONTENT } from '@pushwire/queue';

/** Keys whose values are secrets wherever they appear (a safety net: job data is built without them). */
const SECRET_KEY =
  /^(authorization|private_key|private_key_id|key_pem|keypem|cert_pem|certpem|log_remote_key|jwt|bearer|password)$/i;
/** A bearer token or a JWT inside text (e.g. an outgoing header line recorded by a log sink). */
const SECRET_TEXT =
  /(bearer\s+)[A-Za-z0-9._~+/=-]+|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]+|-----BEGIN [^-]+-----[\s\S]*?-----END [^-]+-----/gi;

export interface RedactOptions {
  /** Replace every `content` value (message text) by "[redacted]". */
  redactContent: boolean;
}

/**
 * A copy of a job's data for display. Push jobs carry the validated request (`content` sits under
 * `request.content`); log-sink jobs carry Sylk's record, where the text also travels inside the JSON string
 * `outgoing_body`, which is parsed, redacted and re-serialised.
 */
export function redactJobData(data: unknown, options: RedactOptions): unknown {
  return redact(data, options, null);
}

function redact(value: unknown, options: RedactOptions, key: string | null): unknown {
  if (key !== null && SECRET_KEY.test(key) && value !== null && value !== undefined) return '[redacted]';
  if (key === 'content' && options.redactContent && value !== null && value !== undefined) return REDACTED_CONTENT;
  if (typeof value === 'string') {
    if (key === 'outgoing_body' && options.redactContent) return redactJsonText(value, options);
    // URLs: a log sink job of an older release carries its sink's URL, possibly with `user:pass@` or `key=`.
    return redactUrlsInText(
      value.replace(SECRET_TEXT, (_match, bearer: string | undefined) =>
        bearer ? `${bearer}[redacted]` : '[redacted]',
      ),
    );
  }
  if (Array.isArray(value)) return value.map((item) => redact(item, options, null));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v, options, k)]));
  }
  return value;
}

function redactJsonText(text: string, options: RedactOptions): string {
  try {
    return JSON.stringify(redact(JSON.parse(text) as unknown, options, null));
  } catch {
    // Not JSON: it cannot be redacted field by field, so none of it is shown.
    return REDACTED_CONTENT;
  }
}
