// Counts what the APNs emulator accepted during a run: distinct pushes (device + call-id), and when the last came.
import type { ApnsEmulator } from '@pushwire/sandbox-emulators';

export interface DeliveryCount {
  /** Distinct (device token, call-id) pairs accepted with 200. */
  delivered: number;
  /** Every request recorded, retries and duplicates included. */
  arrivals: number;
  /** `Date.now()` when the delivery that completed the count arrived. */
  lastAt: number;
  /** The first non-200 answer the emulator gave, if any. */
  firstRejection: string | null;
}

/** How long the emulator may stay (nearly) silent before the deliveries count as stopped. */
export const DELIVERY_STALL_MS = 30_000;
/** Wake up at least every this many requests to count (each wake-up copies the emulator's log once). */
const WAKE_EVERY = 500;

/**
 * Waits until the emulator has accepted `expected` distinct pushes whose call-id starts with `idPrefix`,
 * then returns the count; rejects when fewer than the awaited requests (at most 500) arrive within
 * {@link DELIVERY_STALL_MS}. The emulator's log must hold only this run's requests (reset it between runs).
 */
export async function waitForDeliveries(
  apns: ApnsEmulator,
  idPrefix: string,
  expected: number,
): Promise<DeliveryCount> {
  const seen = new Set<string>();
  let scanned = 0;
  let lastAt = 0;
  let firstRejection: string | null = null;
  const scan = () => {
    const requests = apns.requests;
    for (; scanned < requests.length; scanned++) {
      const r = requests[scanned]!;
      const callId = callIdOf(r.json);
      if (callId === null || !callId.startsWith(idPrefix)) continue;
      if (!r.delivered) {
        firstRejection ??= `${r.status} ${r.reason ?? ''}`.trim();
        continue;
      }
      const key = `${r.token ?? ''} ${callId}`;
      if (!seen.has(key)) {
        seen.add(key);
        lastAt = r.at;
      }
    }
  };
  scan();
  while (seen.size < expected) {
    // Each missing delivery needs at least one more request.
    const target = scanned + Math.min(expected - seen.size, WAKE_EVERY);
    const waitStarted = Date.now();
    try {
      await apns.waitForRequests(target, DELIVERY_STALL_MS);
    } catch (error) {
      // Not a stall: the emulator closed under the wait (the bench is stopping).
      if (Date.now() - waitStarted < DELIVERY_STALL_MS) throw error;
      scan();
      if (apns.requests.length < target) {
        throw new Error(
          `deliveries stopped: the APNs emulator accepted ${seen.size} of ${expected} pushes and received nothing for ` +
            `${DELIVERY_STALL_MS / 1000} s${firstRejection ? ` (first rejection: ${firstRejection})` : ''}`,
        );
      }
    }
    scan();
  }
  return { delivered: seen.size, arrivals: apns.requests.length, lastAt, firstRejection };
}

function callIdOf(payload: unknown): string | null {
  const id =
    typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>)['call-id'] : undefined;
  return typeof id === 'string' ? id : null;
}
