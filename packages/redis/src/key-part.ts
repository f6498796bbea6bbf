// Every caller-supplied part of a Redis key goes through here, so no caller text can add a key separator,
// a Cluster hash tag or an invalid string to a key name.

/**
 * URI-encodes one key part. A lone surrogate (legal in a JSON string, so in a call-id) makes
 * encodeURIComponent throw; it becomes `%uXXXX` instead, which that function never produces.
 */
export function keyPart(value: string): string {
  // Nearly every value has no lone surrogate: one call encodes it, as the per-character loop would.
  try {
    return encodeURIComponent(value);
  } catch {
    // A lone surrogate somewhere: per character below.
  }
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    out += cp >= 0xd800 && cp <= 0xdfff ? `%u${cp.toString(16).toUpperCase()}` : encodeURIComponent(ch);
  }
  return out;
}
