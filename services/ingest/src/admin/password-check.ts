// Checks an admin login against [admin] credentials in constant time (plain password or scrypt hash).
import { createHash, scrypt, timingSafeEqual } from 'node:crypto';
import type { AdminCredentials } from '@pushwire/core';

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Equal-length digests, so neither the length nor the first differing byte shows in the timing. */
function sameText(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

function scryptAsync(password: string, salt: Buffer, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) => scrypt(password, salt, length, (error, key) => (error ? reject(error) : resolve(key))));
}

/**
 * Logins that passed an scrypt check, by a digest of user, password and the configured hash: the board loads
 * a dozen assets per page, each with the same Authorization header, and scrypt is slow on purpose.
 */
const MAX_REMEMBERED = 32;

export class AdminPasswordCheck {
  private readonly remembered = new Set<string>();

  /** True when `username`/`password` match `credentials`; false for any mismatch or when none are configured. */
  async verify(credentials: AdminCredentials | null, username: string, password: string): Promise<boolean> {
    if (credentials === null) return false;
    const userOk = sameText(username, credentials.username);
    const { secret } = credentials;
    if (secret.kind === 'plain') return sameText(password, secret.password) && userOk;

    const memo = createHash('sha256').update(username).update('\0').update(password).update('\0').update(secret.hash).digest('hex');
    if (this.remembered.has(memo)) return true;
    const derived = await scryptAsync(password, secret.salt, secret.hash.length);
    const ok = timingSafeEqual(derived, secret.hash) && userOk;
    if (ok) {
      if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
      this.remembered.add(memo);
    }
    return ok;
  }
}
