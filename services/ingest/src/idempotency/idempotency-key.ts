// The Idempotency-Key request header (IETF httpapi draft): read it, check it, and say whose key it is.
import { HttpError } from '@pushwire/core';
import type { IdempotencyScope } from '@pushwire/queue';
import type { Context } from 'hono';
import { callerOf } from '../callers/authorize.js';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';

/** Longest key accepted, characters (UUIDs and Stripe-style keys fit many times over). */
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

/** Printable ASCII, as a Structured Field string may hold. */
const KEY_TEXT = /^[\x20-\x7e]+$/;

/**
 * The key of the request, or null without the header. The draft defines it as a Structured Field string
 * (`"8e03978e-…"`); the bare form most clients send (Stripe's) is read too. A malformed key answers 400 in
 * Sylk's envelope before anything is stored or sent.
 */
export function idempotencyKeyOf(c: Context): string | null {
  const raw = c.req.header(IDEMPOTENCY_HEADER);
  if (raw === undefined) return null;
  const trimmed = raw.trim();
  const key = trimmed.length >= 2 && trimmed.startsWith('"') && trimmed.endsWith('"') ? trimmed.slice(1, -1) : trimmed;
  if (key.length === 0 || key.length > MAX_IDEMPOTENCY_KEY_LENGTH || !KEY_TEXT.test(key)) {
    throw HttpError.envelope(
      400,
      `${IDEMPOTENCY_HEADER} must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} printable ASCII characters`,
    );
  }
  return key;
}

/**
 * Keys are private to a caller on a route: its API key's name when it sent one, else its client address (two
 * SIP servers behind no key cannot collide, nor one route's key answer another route's request).
 */
export function idempotencyScopeOf(c: Context, route: string, key: string): IdempotencyScope {
  const { ip, caller } = callerOf(c);
  return { caller: caller ? `key:${caller.name}` : `address:${ip ?? 'unknown'}`, route, key };
}
