// Token-based auth as APNs enforces it: ES256 JWTs from known keys, their age, and how often they change.
//
// Source: "Establishing a token-based connection to APNs",
// https://developer.apple.com/documentation/usernotifications/establishing-a-token-based-connection-to-apns
import { createPublicKey, type KeyObject } from 'node:crypto';
import { compactVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import type { Clock } from '@pushwire/core';
import { reject, type ApnsRejection } from './reasons.js';
import type { ApnsRequestAuth, ApnsSigningKey } from './types.js';

/** APNs rejects a token whose `iat` is more than one hour old. */
export const PROVIDER_TOKEN_MAX_AGE_MS = 60 * 60_000;
/** Apple asks for one token refresh per 20 minutes at most and answers faster changes with 429. */
export const PROVIDER_TOKEN_MIN_REFRESH_MS = 20 * 60_000;
/** Clock skew tolerated on an `iat` in the future before the token is called invalid. */
export const PROVIDER_TOKEN_FUTURE_SKEW_MS = 60_000;

interface RegisteredKey {
  teamId: string;
  keyId: string;
  publicKey: KeyObject;
}

interface KeyHistory {
  /** Distinct tokens signed by the key, oldest first. */
  seen: string[];
  /** The token APNs currently holds for the key, and when it was first accepted. */
  current: { jwt: string; since: number } | null;
}

export interface ProviderTokenCheck {
  auth: ApnsRequestAuth;
  /** Null when the token is accepted. */
  rejection: ApnsRejection | null;
}

export class ProviderTokenAuthority {
  private readonly keys = new Map<string, RegisteredKey>();
  private readonly history = new Map<string, KeyHistory>();

  constructor(
    private readonly clock: Clock,
    keys: readonly ApnsSigningKey[] = [],
  ) {
    for (const key of keys) this.addKey(key);
  }

  /** Registers (or replaces, by key id) a signing key; throws unless it is a P-256 public key. */
  addKey(key: ApnsSigningKey): void {
    const publicKey = createPublicKey(key.publicKeyPem);
    if (publicKey.asymmetricKeyType !== 'ec' || publicKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new TypeError(`APNs key ${key.keyId}: ES256 needs a P-256 (prime256v1) EC public key`);
    }
    this.keys.set(key.keyId, { teamId: key.teamId, keyId: key.keyId, publicKey });
  }

  tokensSeen(teamId: string, keyId: string): string[] {
    return [...(this.history.get(historyKey(teamId, keyId))?.seen ?? [])];
  }

  /** Forgets every token seen (keys stay). */
  reset(): void {
    this.history.clear();
  }

  async check(jwt: string): Promise<ProviderTokenCheck> {
    let kid: unknown;
    let alg: unknown;
    let claims: Record<string, unknown>;
    try {
      ({ kid, alg } = decodeProtectedHeader(jwt));
      claims = decodeJwt(jwt);
    } catch {
      return { auth: { kind: 'none' }, rejection: reject('InvalidProviderToken') };
    }
    const auth: ApnsRequestAuth = {
      kind: 'token',
      jwt,
      teamId: typeof claims.iss === 'string' ? claims.iss : '',
      keyId: typeof kid === 'string' ? kid : '',
      // NaN when the claim is missing or not a number: still "a number", and never a plausible time.
      iat: typeof claims.iat === 'number' ? claims.iat : Number.NaN,
    };
    const key = typeof kid === 'string' ? this.keys.get(kid) : undefined;
    if (alg !== 'ES256' || key === undefined) return { auth, rejection: reject('InvalidProviderToken') };
    try {
      await compactVerify(jwt, key.publicKey, { algorithms: ['ES256'] });
    } catch {
      return { auth, rejection: reject('InvalidProviderToken') };
    }

    const history = this.historyOf(key);
    if (!history.seen.includes(jwt)) history.seen.push(jwt);

    const now = this.clock.now();
    if (claims.iss !== key.teamId || !Number.isFinite(auth.iat)) {
      return { auth, rejection: reject('InvalidProviderToken') };
    }
    const issuedAt = auth.iat * 1000;
    if (issuedAt > now + PROVIDER_TOKEN_FUTURE_SKEW_MS) return { auth, rejection: reject('InvalidProviderToken') };
    if (now - issuedAt > PROVIDER_TOKEN_MAX_AGE_MS) return { auth, rejection: reject('ExpiredProviderToken') };

    // One current token per key: a different one within 20 minutes of the current one is a refresh too many
    // (N workers each minting their own token trip this), later it replaces the current one.
    if (history.current === null || now - history.current.since >= PROVIDER_TOKEN_MIN_REFRESH_MS) {
      if (history.current?.jwt !== jwt) history.current = { jwt, since: now };
    } else if (history.current.jwt !== jwt) {
      return { auth, rejection: reject('TooManyProviderTokenUpdates') };
    }
    return { auth, rejection: null };
  }

  private historyOf(key: RegisteredKey): KeyHistory {
    const id = historyKey(key.teamId, key.keyId);
    let history = this.history.get(id);
    if (history === undefined) {
      history = { seen: [], current: null };
      this.history.set(id, history);
    }
    return history;
  }
}

function historyKey(teamId: string, keyId: string): string {
  return `${teamId}.${keyId}`;
}
