// An emulator's record of requests, and the promises that wait for it to reach a given length (every emulator).

interface Waiter<T> {
  count: number;
  resolve: (requests: T[]) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export const DEFAULT_WAIT_TIMEOUT_MS = 5000;

export interface RequestLogOptions<T> {
  /** Who waits, for error messages ("APNs emulator"). */
  name: string;
  /** How one request reads in a timeout message (its status), if at all. */
  describe?: (request: T) => string;
}

export class RequestLog<T> {
  /** Kept as one array (cleared in place) so `emulator.requests` stays the same live object. */
  readonly requests: T[] = [];
  private readonly waiters = new Set<Waiter<T>>();

  constructor(private readonly options: RequestLogOptions<T>) {}

  add(request: T): void {
    this.requests.push(request);
    for (const waiter of this.waiters) {
      if (this.requests.length >= waiter.count) this.settle(waiter, null);
    }
  }

  clear(): void {
    this.requests.length = 0;
  }

  /** Resolves with a snapshot once `count` requests are recorded; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs = DEFAULT_WAIT_TIMEOUT_MS): Promise<T[]> {
    if (this.requests.length >= count) return Promise.resolve([...this.requests]);
    return new Promise((resolve, reject) => {
      const waiter: Waiter<T> = {
        count,
        resolve,
        reject,
        timer: setTimeout(() => {
          const describe = this.options.describe;
          const statuses = describe ? this.requests.map(describe).join(', ') : '';
          this.settle(
            waiter,
            new Error(
              `${this.options.name}: waited ${timeoutMs} ms for ${count} request(s), got ${this.requests.length}` +
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
    for (const waiter of this.waiters) this.settle(waiter, new Error(`${this.options.name}: ${reason}`));
  }

  private settle(waiter: Waiter<T>, error: Error | null): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    if (error === null) waiter.resolve([...this.requests]);
    else waiter.reject(error);
  }
}
