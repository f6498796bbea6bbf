// Checks an admin login against [admin] credentials in constant time (plain password or scrypt hash), with a
// bound on the scrypt checks running at once.
import { createHash, scrypt, timingSafeEqual } from 'node:crypto';
import type { AdminCredentials } from '@pushwire/core';

const sha256 = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/** Equal-length digests, so neither the length nor the first differing byte shows in the timing. */
function sameText(a: string, b: string): boolean {
  return timingSafeEqual(sha256(a), sha256(b));
}

function scryptAsync(password: string, salt: Buffer, length: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, length, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `ok`, `wrong`, or `busy`: too many scrypt checks already running, none started. */
export type PasswordVerdict = 'ok' | 'wrong' | 'busy';

export interface PasswordCheckOptions {
  /**
   * scrypt checks running at once, at most. Each holds one of libuv's 4 pool threads (which DNS lookups and
   * file reads share) for tens of ms: a few leave the rest for pushes. Default 2.
   */
  maxConcurrent?: number;
}

/**
 * Logins that passed an scrypt check, by a digest of user, password and the configured login: the board loads
 * a dozen assets per page, each with the same Authorization header, and scrypt is slow on purpose.
 */
const MAX_REMEMBERED = 32;

export class AdminPasswordCheck {
  private readonly remembered = new Set<string>();
  /** The login the remembered set was made for: a different one (a reload) forgets them all. */
  private rememberedFor: AdminCredentials | null = null;
  private running = 0;
  private readonly maxConcurrent: number;

  constructor(options: PasswordCheckOptions = {}) {
    this.maxConcurrent = options.maxConcurrent ?? 2;
  }

  /** Whether `username`/`password` match `credentials`; `wrong` for any mismatch or when none are configured. */
  async verify(credentials: AdminCredentials | null, username: string, password: string): Promise<PasswordVerdict> {
    if (credentials === null) return 'wrong';
    const userOk = sameText(username, credentials.username);
    const { secret } = credentials;
    if (secret.kind === 'plain') return sameText(password, secret.password) && userOk ? 'ok' : 'wrong';

    if (this.rememberedFor !== credentials) {
      this.remembered.clear();
      this.rememberedFor = credentials;
    }
    const memo = createHash('sha256')
      .update(credentials.username)
      .update('\0')
      .update(username)
      .update('\0')
      .update(password)
      .update('\0')
      .update(secret.salt)
      .update('\0')
      .update(secret.hash)
      .digest('hex');
    if (userOk && this.remembered.has(memo)) return 'ok';
    if (this.running >= this.maxConcurrent) return 'busy';
    this.running += 1;
    let derived: Buffer;
    try {
      derived = await scryptAsync(password, secret.salt, secret.hash.length);
    } finally {
      this.running -= 1;
    }
    const ok = timingSafeEqual(derived, secret.hash) && userOk;
    if (ok && this.rememberedFor === credentials) {
      if (this.remembered.size >= MAX_REMEMBERED) this.remembered.clear();
      this.remembered.add(memo);
    }
    return ok ? 'ok' : 'wrong';
  }
}
