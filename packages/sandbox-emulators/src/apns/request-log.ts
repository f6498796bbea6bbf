// The emulator's record of requests, and the promises that wait for it to reach a given length.
import type { RecordedApnsRequest } from './types.js';

interface Waiter {
  count: number;
  resolve: (requests: RecordedApnsRequest[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export const DEFAULT_WAIT_TIMEOUT_MS = 5000;

export class RequestLog {
  /** Kept as one array (cleared in place) so `emulator.requests` stays the same live object. */
  readonly requests: RecordedApnsRequest[] = [];
  private readonly waiters = new Set<Waiter>();

  add(request: RecordedApnsRequest): void {
    this.requests.push(request);
    for (const waiter of this.waiters) {
      if (this.requests.length >= waiter.count) this.settle(waiter, null);
    }
  }

  clear(): void {
    this.requests.length = 0;
  }

  /** Resolves with a snapshot once `count` requests are recorded; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS): Promise<RecordedApnsRequest[]> {
    if (this.requests.length >= count) return Promise.resolve([...this.requests]);
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        count,
        resolve,
        reject,
        timer: setTimeout(() => {
          const statuses = this.requests.map((r) => `${r.status}${r.reason ? ` ${r.reason}` : ''}`).join(', ');
          this.settle(
            waiter,
            new Error(
              `APNs emulator: waited ${timeoutMs} ms for ${count} request(s), got ${this.requests.length}` +
                (statuses ? ` (${statuses})` : ''),
            ),
          );
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Rejects every pending wait (the emulator is closing). */
  abandon(reason: string): void {
    for (const waiter of this.waiters) this.settle(waiter, new Error(`APNs emulator: ${reason}`));
  }

  private settle(waiter: Waiter, error: Error | null): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    if (error === null) waiter.resolve([...this.requests]);
    else waiter.reject(error);
  }
}
