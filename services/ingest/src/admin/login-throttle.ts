// Failed audit logins counted per client address, so guessing the admin password is slow and cheap to refuse.
import { isIP } from 'node:net';
import { parseNetwork } from '@pushwire/core';

export interface LoginThrottleOptions {
  /** Failed logins from one address within `windowMs` before it is refused. Default 5. */
  maxFailures?: number;
  /** Window that starts at an address's first failed login, ms. Default 60000. */
  windowMs?: number;
  /** Addresses tracked at most (the oldest is forgotten first), so a flood of addresses cannot grow memory. Default 10000. */
  maxTracked?: number;
  now?: () => number;
}

interface Entry {
  failures: number;
  since: number;
}

export class LoginThrottle {
  private readonly entries = new Map<string, Entry>();
  private readonly maxFailures: number;
  private readonly windowMs: number;
  private readonly maxTracked: number;
  private readonly now: () => number;

  constructor(options: LoginThrottleOptions = {}) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 60_000;
    this.maxTracked = options.maxTracked ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  /** How long this address must wait before trying again, ms; 0 when it may try now. */
  retryAfterMs(address: string | undefined): number {
    const key = keyOf(address);
    const entry = this.entries.get(key);
    if (!entry) return 0;
    const left = entry.since + this.windowMs - this.now();
    if (left <= 0) {
      this.entries.delete(key);
      return 0;
    }
    return entry.failures >= this.maxFailures ? left : 0;
  }

  failed(address: string | undefined): void {
    const key = keyOf(address);
    const now = this.now();
    const entry = this.entries.get(key);
    if (entry && entry.since + this.windowMs > now) {
      entry.failures += 1;
      return;
    }
    this.entries.delete(key);
    if (this.entries.size >= this.maxTracked) this.evict(now);
    this.entries.set(key, { failures: 1, since: now });
  }

  succeeded(address: string | undefined): void {
    this.entries.delete(keyOf(address));
  }

  private evict(now: number): void {
    for (const [key, entry] of this.entries) {
      if (entry.since + this.windowMs <= now) this.entries.delete(key);
    }
    // Still full: forget the oldest (Map keeps insertion order).
    while (this.entries.size >= this.maxTracked) {
      const oldest = this.entries.keys().next().value;
      if (oldest === undefined) break;
      this.entries.delete(oldest);
    }
  }
}

/** IPv6 clients are counted per /64: one host usually holds a whole /64 and could rotate through it. */
function keyOf(address: string | undefined): string {
  if (address === undefined) return 'unknown';
  if (isIP(address) !== 6) return address;
  try {
    return `${(parseNetwork(`${address}/128`).address >> 64n).toString(16)}::/64`;
  } catch {
    return address;
  }
}
