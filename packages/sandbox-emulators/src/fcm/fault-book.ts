// Per-token fault queue: the first fault with uses left answers, then the next, then normal behaviour.
import type { FcmFault } from './types.js';

interface Entry {
  fault: FcmFault;
  left: number;
  /** An alternating fault answered last time: this send passes. */
  passNext?: boolean;
}

export class FaultBook {
  private readonly byToken = new Map<string, Entry[]>();

  add(token: string, fault: FcmFault): void {
    const left = fault.times ?? Infinity;
    if (!(left > 0)) throw new RangeError(`fault times must be positive, got ${String(fault.times)}`);
    const list = this.byToken.get(token) ?? [];
    list.push({ fault, left });
    this.byToken.set(token, list);
  }

  /** The fault due for this token, or null; consumes one use when `consume` accepts it. */
  take(token: string | null, consume: (fault: FcmFault) => boolean): FcmFault | null {
    if (token === null) return null;
    const list = this.byToken.get(token);
    const head = list?.[0];
    if (list === undefined || head === undefined || !consume(head.fault)) return null;
    if ('alternate' in head.fault && head.fault.alternate) {
      head.passNext = !head.passNext;
      return head.passNext ? head.fault : null;
    }
    head.left -= 1;
    if (head.left <= 0) list.shift();
    if (list.length === 0) this.byToken.delete(token);
    return head.fault;
  }

  clear(): void {
    this.byToken.clear();
  }
}
