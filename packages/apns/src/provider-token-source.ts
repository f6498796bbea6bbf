// Where ApnsProvider gets its provider token (the JWT of token-based APNs auth).

/**
 * A shared source of APNs provider tokens. Apple wants one token per (team id, key id), reused by every
 * connection and refreshed between 20 and 60 minutes of age, so the source, not the provider, owns it.
 */
export interface ProviderTokenSource {
  /** A current token, minting one only when none is fresh. */
  get(): Promise<string>;
  /** APNs rejected `rejected` (ExpiredProviderToken / InvalidProviderToken): drop it, unless already replaced. */
  invalidate(rejected: string): Promise<void>;
}
