// A browser's PushSubscription, as Pushwire takes it for a device token: the JSON of `subscription.toJSON()`.
import { createPublicKey } from 'node:crypto';
import { isRecord } from '@pushwire/core';
import { isAllowedHost } from './endpoint-hosts.js';

export interface WebPushSubscription {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

export type SubscriptionCheck = { ok: true; subscription: WebPushSubscription } | { ok: false; problem: string };

/** Browsers write unpadded base64url; padding is tolerated. */
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;
/** An uncompressed P-256 point (RFC 8291 §3.1) and the 16-byte auth secret (§3.2). */
const P256DH_BYTES = 65;
const AUTH_BYTES = 16;

/**
 * Checks a token as a Web Push subscription whose endpoint is on one of `allowedHosts`. The problem texts
 * avoid the words Sylk's validation handler turns into a 404, so every one of them answers 400.
 */
export function checkSubscription(token: string, allowedHosts: readonly string[]): SubscriptionCheck {
  const fail = (problem: string): SubscriptionCheck => ({
    ok: false,
    problem: `invalid Web Push subscription: ${problem}`,
  });
  let json: unknown;
  try {
    json = JSON.parse(token);
  } catch {
    return fail('the token must be the PushSubscription as JSON ({"endpoint","keys":{"p256dh","auth"}})');
  }
  if (!isRecord(json)) return fail('the token must be a JSON object');
  const { endpoint, keys } = json;
  if (typeof endpoint !== 'string' || !URL.canParse(endpoint)) return fail('endpoint must be a URL');
  const url = new URL(endpoint);
  if (url.protocol !== 'https:') return fail(`endpoint must be https, got ${url.protocol.slice(0, -1)}`);
  if (url.username !== '' || url.password !== '') return fail('endpoint must not carry credentials');
  if (!isAllowedHost(url.hostname, allowedHosts)) {
    return fail(`endpoint host ${url.hostname} is not an allowed push service (webpush_allowed_hosts)`);
  }
  if (!isRecord(keys)) return fail('keys must be an object with p256dh and auth');
  const p256dh = keyBytes(keys.p256dh);
  if (typeof p256dh === 'string') return fail(`keys.p256dh ${p256dh}`);
  if (p256dh.length !== P256DH_BYTES || p256dh[0] !== 0x04 || !isP256Point(p256dh)) {
    return fail(
      `keys.p256dh must be an uncompressed P-256 public key (${P256DH_BYTES} bytes), got ${p256dh.length} bytes`,
    );
  }
  const auth = keyBytes(keys.auth);
  if (typeof auth === 'string') return fail(`keys.auth ${auth}`);
  if (auth.length !== AUTH_BYTES) return fail(`keys.auth must be ${AUTH_BYTES} bytes, got ${auth.length}`);
  return { ok: true, subscription: { endpoint, keys: { p256dh: keys.p256dh as string, auth: keys.auth as string } } };
}

/** The decoded key, or why it is not one. */
function keyBytes(value: unknown): Buffer | string {
  if (typeof value !== 'string' || value === '') return 'must be a base64url string';
  if (!BASE64URL.test(value)) return 'is not base64url';
  return Buffer.from(value, 'base64url');
}

/** A point off the curve would only fail at encryption time, in the worker: refuse it at the door. */
function isP256Point(point: Buffer): boolean {
  try {
    const x = point.subarray(1, 33).toString('base64url');
    const y = point.subarray(33).toString('base64url');
    createPublicKey({ key: { kty: 'EC', crv: 'P-256', x, y }, format: 'jwk' });
    return true;
  } catch {
    return false;
  }
}
