// FCM HTTP v1 `message.data` must be a map of strings (docs/decisions/0003-deliberate-differences.md): the one place that makes it so.

/**
 * Turns Sylk's `data` dict into what FCM v1 accepts: strings pass unchanged, `null`/`undefined` entries are
 * dropped, anything else (objects, arrays, numbers, booleans) is sent JSON-encoded, e.g. transfer's
 * `metadata` becomes `'{"filename":"a.jpg","filetype":"image/jpeg"}'`. Sylk sends these raw and FCM rejects
 * the message with 400 INVALID_ARGUMENT. Never applied to Linphone's legacy payload, which is sent as Sylk does.
 */
export function toFcmData(data: Readonly<Record<string, unknown>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(data)) {
    if (value === null || value === undefined) continue;
    out[key] = typeof value === 'string' ? value : JSON.stringify(value);
  }
  return out;
}
