// Reads a `retry-after` header (RFC 9110 §10.2.3), as APNs, FCM and other push services send it with 429 and 503.

/**
 * @param value delay-seconds or an HTTP date.
 * @param now current time, ms since the epoch (to read an HTTP date).
 * @returns the delay in ms (never negative), or undefined when the value is neither form.
 */
export function parseRetryAfter(value: string, now: number = Date.now()): number | undefined {
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date) || !/[a-z]/i.test(text)) return undefined;
  return Math.max(0, date - now);
}
