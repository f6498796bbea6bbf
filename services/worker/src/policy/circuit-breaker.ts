// Per-app circuit breaker: when an app's push service keeps failing (transport errors, 5xx), stop sending
// to it for a cool-down and let its jobs go back to delayed retries; then one probe decides.
import { systemClock, type Clock } from '@pushwire/core';

export interface CircuitBreakerOptions {
  /** Consecutive failures (no success between them) that open the circuit. Default 20. */
  failureThreshold?: number;
  /** Those failures must all fall within this window, ms. Default 60000. */
  windowMs?: number;
  /** How long the circuit stays open before it lets one probe through, ms. Default 30000. */
  cooldownMs?: number;
  /**
   * Failures closer than this to the last counted one are the same incident and count once, ms. Default 250:
   * one dropped connection fails every stream in flight at once, which says nothing more than one failure.
   */
  burstMs?: number;
  clock?: Clock;
  /** Told about every state change (for logs). */
  onChange?: (from: CircuitState, to: CircuitState) => void;
}

export type CircuitState = 'closed' | 'open' | 'half-open';

/** The answer to "may I send now?": a probe must report back (success, failure or release). */
export type CircuitPermit = { allowed: true; probe: boolean } | { allowed: false; retryInMs: number };

export class CircuitBreaker {
  private readonly threshold: number;
  private readonly windowMs: number;
  private readonly cooldownMs: number;
  private readonly burstMs: number;
  private readonly clock: Clock;
  /** Times of the current run of consecutive failures, at most `threshold`. */
  private failures: number[] = [];
  private current: CircuitState = 'closed';
  private openedAt = 0;
  /** When the half-open probe went out; null when none is out. */
  private probeAt: number | null = null;

  constructor(private readonly options: CircuitBreakerOptions = {}) {
    this.threshold = options.failureThreshold ?? 20;
    this.windowMs = options.windowMs ?? 60_000;
    this.cooldownMs = options.cooldownMs ?? 30_000;
    this.burstMs = options.burstMs ?? 250;
    this.clock = options.clock ?? systemClock;
    if (!(Number.isInteger(this.threshold) && this.threshold >= 1))
      throw new RangeError(`failureThreshold must be a whole number ≥ 1, got ${this.threshold}`);
    if (!(this.windowMs > 0 && this.cooldownMs > 0)) throw new RangeError('windowMs and cooldownMs must be positive');
  }

  state(): CircuitState {
    return this.current;
  }

  /** Ask before every send. */
  acquire(): CircuitPermit {
    const now = this.clock.now();
    if (this.current === 'closed') return { allowed: true, probe: false };
    if (this.current === 'open') {
      const until = this.openedAt + this.cooldownMs;
      if (now < until) return { allowed: false, retryInMs: until - now };
      this.move('half-open');
    }
    // Half-open: one probe at a time. A probe that never reported back (its job died) is replaced after a cool-down.
    if (this.probeAt === null || now - this.probeAt >= this.cooldownMs) {
      this.probeAt = now;
      return { allowed: true, probe: true };
    }
    return { allowed: false, retryInMs: this.probeAt + this.cooldownMs - now };
  }

  /** The push service answered (anything but a 5xx): it is reachable. */
  recordSuccess(): void {
    this.failures = [];
    this.probeAt = null;
    if (this.current !== 'closed') this.move('closed');
  }

  /** A transport failure or a 5xx. */
  recordFailure(): void {
    const now = this.clock.now();
    if (this.current === 'half-open') {
      this.probeAt = null;
      this.open(now);
      return;
    }
    if (this.current === 'open') return; // a send that started before the circuit opened
    const last = this.failures[this.failures.length - 1];
    if (last !== undefined && now - last < this.burstMs) return;
    this.failures.push(now);
    if (this.failures.length > this.threshold) this.failures.shift();
    const oldest = this.failures[0] ?? now;
    if (this.failures.length >= this.threshold && now - oldest <= this.windowMs) this.open(now);
  }

  /** A permitted send whose outcome says nothing about the service (aborted by its own deadline). */
  release(permit: CircuitPermit): void {
    if (permit.allowed && permit.probe) this.probeAt = null;
  }

  private open(now: number): void {
    this.failures = [];
    this.openedAt = now;
    this.move('open');
  }

  private move(to: CircuitState): void {
    const from = this.current;
    if (from === to) return;
    this.current = to;
    this.options.onChange?.(from, to);
  }
}
