// Per-device-token fault injection: each token holds a queue of faults, each used a number of times.
import type { ApnsFault } from './types.js';

interface QueuedFault {
  fault: ApnsFault;
  remaining: number;
  /** An alternating fault answered last time: this request passes. */
  passNext?: boolean;
}

export class FaultBook {
  private readonly byToken = new Map<string, QueuedFault[]>();

  /** Queues a fault for the token, after any already queued; throws on a fault that cannot be answered. */
  add(token: string, fault: ApnsFault): void {
    const times = fault.times ?? Number.POSITIVE_INFINITY;
    if (!(times === Number.POSITIVE_INFINITY || (Number.isInteger(times) && times >= 1))) {
      throw new RangeError(`APNs fault for ${token}: times must be a positive integer or Infinity, got ${times}`);
    }
    if ('status' in fault) {
      if (!Number.isInteger(fault.status) || fault.status < 400 || fault.status > 599) {
        throw new RangeError(`APNs fault for ${token}: status must be a 4xx or 5xx code, got ${fault.status}`);
      }
      const retryAfter = fault.retryAfterSeconds;
      if (retryAfter !== undefined && !(Number.isInteger(retryAfter) && retryAfter >= 0)) {
        throw new RangeError(`APNs fault for ${token}: retryAfterSeconds must be a whole number, got ${retryAfter}`);
      }
    }
    const queue = this.byToken.get(token) ?? [];
    queue.push({ fault, remaining: times });
    this.byToken.set(token, queue);
  }

  /** The fault to apply to this request for the token, if any; uses it up once. */
  take(token: string): ApnsFault | undefined {
    const queue = this.byToken.get(token);
    const head = queue?.[0];
    if (queue === undefined || head === undefined) return undefined;
    if ('alternate' in head.fault && head.fault.alternate) {
      head.passNext = !head.passNext;
      return head.passNext ? head.fault : undefined;
    }
    head.remaining -= 1;
    if (head.remaining <= 0) queue.shift();
    if (queue.length === 0) this.byToken.delete(token);
    return head.fault;
  }

  clear(): void {
    this.byToken.clear();
  }
}
