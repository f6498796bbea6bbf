// VAPID (RFC 8292) Authorization headers, signed by the web-push library and reused per push service origin.
import webpush from 'web-push';
import type { VapidAuth } from '@pushwire/core';

/** web-push's own default lifetime; push services refuse an `exp` more than 24 h ahead. */
const LIFETIME_S = 12 * 3600;
/** Re-sign this long before `exp`, so a JWT never reaches a push service about to expire. */
const RENEW_BEFORE_S = 3600;

/**
 * One signed JWT per audience (the endpoint's origin) instead of one per push: an ES256 signature per push is
 * the single largest CPU cost of a send. Time comes from `Date.now()` because web-push checks `exp` with it.
 */
export class VapidHeaders {
  private readonly byAudience = new Map<string, { authorization: string; renewAt: number }>();

  constructor(private readonly auth: VapidAuth) {}

  authorization(audience: string): string {
    const now = Math.floor(Date.now() / 1000);
    const cached = this.byAudience.get(audience);
    if (cached && now < cached.renewAt) return cached.authorization;
    const exp = now + LIFETIME_S;
    const headers = webpush.getVapidHeaders(
      audience,
      this.auth.subject,
      this.auth.publicKey,
      this.auth.privateKey,
      'aes128gcm',
      exp,
    );
    const authorization = String(headers.Authorization);
    // A handful of push services per app: the map stays tiny, but never let a stream of origins grow it.
    if (this.byAudience.size >= 64) this.byAudience.clear();
    this.byAudience.set(audience, { authorization, renewAt: exp - RENEW_BEFORE_S });
    return authorization;
  }
}
