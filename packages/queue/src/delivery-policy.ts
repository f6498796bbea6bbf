// The event-class delivery policy (docs/decisions/0007-delivery-deadlines-and-retries.md, docs/decisions/0009-idempotency-and-cancel.md): which pushes have a deadline, which a cancel supersedes.
import { DEFAULT_CALL_DEADLINE_MS, type PushEvent } from '@pushwire/core';

export interface EventPolicy {
  /**
   * `call`: worth delivering only until the app's call deadline (a wake-up for a call that is over rings
   * for nothing; a cancel that late has nothing left to cancel). `sylk`: Sylk's retry schedule alone
   * (~34 min for sms or no media type, 127.5 s otherwise), no extra deadline.
   */
  deadline: 'call' | 'sylk';
  /** A `cancel` for the same call supersedes it while it is pending or retrying. */
  supersededByCancel: boolean;
}

/** One row per event; attempts stay Sylk's (by media type, push-job.ts). */
export const EVENT_POLICY: Readonly<Record<PushEvent, EventPolicy>> = Object.freeze({
  incoming_session: { deadline: 'call', supersededByCancel: true },
  incoming_conference_request: { deadline: 'call', supersededByCancel: true },
  cancel: { deadline: 'call', supersededByCancel: false },
  message: { deadline: 'sylk', supersededByCancel: false },
  transfer: { deadline: 'sylk', supersededByCancel: false },
});

/**
 * When a push accepted at `acceptedAt` stops being worth sending (ms since epoch), or undefined when only
 * Sylk's attempts bound it.
 *
 * @param callDeadlineMs the app's `call_deadline`, ms. Default 60000.
 */
export function deadlineAtFor(
  event: PushEvent,
  acceptedAt: number,
  callDeadlineMs: number = DEFAULT_CALL_DEADLINE_MS,
): number | undefined {
  return EVENT_POLICY[event].deadline === 'call' ? acceptedAt + callDeadlineMs : undefined;
}

export function isSupersededByCancel(event: PushEvent): boolean {
  return EVENT_POLICY[event].supersededByCancel;
}

/**
 * How long a cancel marker lives, ms: twice the call deadline, so it outlives every wake-up of that call
 * accepted before the cancel, and also one that arrives (reordered) up to a deadline after it.
 */
export function cancelMarkTtlMs(callDeadlineMs: number = DEFAULT_CALL_DEADLINE_MS): number {
  return 2 * callDeadlineMs;
}
