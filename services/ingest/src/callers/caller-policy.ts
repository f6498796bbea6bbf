// The callers part of a settings snapshot: API keys by hash, whether one is required, trusted proxies.
import { createHash } from 'node:crypto';
import { DEFAULT_CALLERS_CONFIG, type CallerRate, type CallersConfig } from '@pushwire/core';
import { NetworkSet } from './network-set.js';

/** A caller known by its key. Holds no key material: only what scope and rate checks need. */
export interface CallerIdentity {
  /** The configured name (`[caller:<name>]`): what logs show. */
  readonly name: string;
  /** App ids it may use; null = every app. */
  readonly apps: ReadonlySet<string> | null;
  readonly rate: CallerRate | null;
}

export type Identification =
  /** No key configured at all, or none sent while keys are optional: allowed_hosts alone decides. */
  | { kind: 'anonymous' }
  | { kind: 'caller'; caller: CallerIdentity }
  /** 401: `missing` when a key is required, `invalid` for a malformed header or an unknown key. */
  | { kind: 'refused'; reason: 'missing' | 'invalid' };

// RFC 6750's b64token after "Bearer" (case-insensitive scheme, as HTTP auth schemes are).
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export class CallerPolicy {
  readonly requireKey: boolean;
  readonly trustedProxies: NetworkSet;
  private readonly byHash: ReadonlyMap<string, CallerIdentity>;

  constructor(config: CallersConfig = DEFAULT_CALLERS_CONFIG) {
    this.requireKey = config.requireKey;
    this.trustedProxies = new NetworkSet(config.trustedProxies);
    this.byHash = new Map(
      config.keys.map((k) => [
        k.keySha256,
        { name: k.name, apps: k.apps === null ? null : new Set(k.apps), rate: k.rate },
      ]),
    );
  }

  /** Whether any key is configured; without one the Authorization header is ignored, as Sylk ignores it. */
  get hasKeys(): boolean {
    return this.byHash.size > 0;
  }

  /**
   * Who the Authorization header names. The presented key is hashed and looked up by its hash: the lookup
   * time depends on the hash, not on how much of a real key was guessed, and no key is kept in memory.
   */
  identify(authorization: string | undefined): Identification {
    if (!this.hasKeys) return { kind: 'anonymous' };
    if (authorization === undefined || authorization.trim() === '') {
      return this.requireKey ? { kind: 'refused', reason: 'missing' } : { kind: 'anonymous' };
    }
    const key = BEARER.exec(authorization)?.[1];
    const caller =
      key === undefined ? undefined : this.byHash.get(createHash('sha256').update(key, 'utf8').digest('hex'));
    return caller ? { kind: 'caller', caller } : { kind: 'refused', reason: 'invalid' };
  }
}

/** The snapshot's policy, or Sylk's behaviour when the settings carry none (hand-built test apps): no keys, no proxies. */
export const NO_CALLERS = new CallerPolicy({ requireKey: false, keys: [], trustedProxies: [] });
