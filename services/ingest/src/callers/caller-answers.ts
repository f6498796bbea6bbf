// The answers only callers with API keys can get: 401 (missing or invalid key) and 429 (over the key's rate),
// in Sylk's envelope, with the headers HTTP clients act on.
import type { Context } from 'hono';

/** 401 with `WWW-Authenticate: Bearer` (RFC 6750: `error="invalid_token"` when a key was sent but is not known). */
export function keyRefused(c: Context, reason: 'missing' | 'invalid'): Response {
  const description = reason === 'missing' ? 'API key required: send Authorization: Bearer <key>' : 'invalid API key';
  const challenge = reason === 'missing' ? 'Bearer realm="pushwire"' : 'Bearer realm="pushwire", error="invalid_token"';
  return c.json({ code: 401, description, data: {} }, 401, { 'WWW-Authenticate': challenge });
}

/** 429 with `Retry-After` in whole seconds, rounded up so a client that waits that long is let in. */
export function rateLimited(c: Context, retryAfterMs: number): Response {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return c.json(
    {
      code: 429,
      description: `rate limit of this API key exceeded: retry after ${seconds} s`,
      data: { retry_after: seconds },
    },
    429,
    { 'Retry-After': String(seconds) },
  );
}
