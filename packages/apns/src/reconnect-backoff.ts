// Jittered backoff before re-opening an APNs connection after failures, so a fleet of workers whose
// connections were all reset at once does not reconnect in lock-step.

export interface ReconnectBackoffOptions {
  /** First ceiling of the wait, ms. Default 100. */
  baseMs?: number;
  /** Largest wait, ms. Default 5000. */
  maxMs?: number;
  /** [0, 1) source; tests pass their own. */
  random?: () => number;
}

/** "Full jitter": a uniform wait in [0, min(max, base·2^(failures-1))); no wait before the first failure. */
export class ReconnectBackoff {
  private failures = 0;
  private readonly baseMs: number;
  private readonly maxMs: number;
  private readonly random: () => number;

  constructor(options: ReconnectBackoffOptions = {}) {
    this.baseMs = options.baseMs ?? 100;
    this.maxMs = options.maxMs ?? 5000;
    this.random = options.random ?? Math.random;
  }

  /** How long to wait before the next connection attempt, ms. */
  nextDelayMs(): number {
    if (this.failures === 0) return 0;
    const ceiling = Math.min(this.maxMs, this.baseMs * 2 ** (this.failures - 1));
    return Math.floor(this.random() * ceiling);
  }

  /** A connection failed to open, or died with an error. */
  failed(): void {
    this.failures = Math.min(this.failures + 1, 30);
  }

  /** A connection reached the server (its SETTINGS arrived). */
  succeeded(): void {
    this.failures = 0;
  }
}
