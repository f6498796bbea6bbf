// The delivery policy's verdict on a push before it is sent: dropped (deadline passed, call cancelled),
// held back (circuit open) or let through; and what the send then tells the app's circuit breaker.
import { appKey, type Clock, type Platform, type SendOutcome } from '@pushwire/core';
import { isSupersededByCancel, type PushJobData } from '@pushwire/queue';
import type { AppRuntime } from '../app-runtime.js';
import type { CircuitBreaker, CircuitPermit } from './circuit-breaker.js';
import { circuitOpenResponse } from './policy-results.js';
import { isServiceFailure, type WorkerPolicy } from './worker-policy.js';

export type Verdict =
  | { kind: 'expired'; why: string }
  | { kind: 'superseded' }
  /** Back to delayed retries without touching the push service; no sooner than the breaker may let one through. */
  | { kind: 'held'; outcome: SendOutcome }
  | { kind: 'send'; breaker: CircuitBreaker | undefined; permit: CircuitPermit };

export type SendVerdict = Extract<Verdict, { kind: 'send' }>;

/** Deadline first, then a cancel accepted after the push, then the app's circuit (which takes a permit). */
export async function gate(
  data: PushJobData,
  app: AppRuntime,
  deadlineAt: number | undefined,
  policy: WorkerPolicy,
  clock: Clock,
): Promise<Verdict> {
  const { request } = data;
  if (deadlineAt !== undefined && clock.now() >= deadlineAt)
    return { kind: 'expired', why: 'the call deadline passed before it could be sent' };
  if (isSupersededByCancel(request.event)) {
    const scope = { appId: request.appId, callId: request.callId, deviceId: request.deviceId };
    if (await policy.cancels.isCancelled(scope, data.acceptedAt)) return { kind: 'superseded' };
  }
  const breaker = policy.breaker(appKey(request.appId, request.platform));
  const permit: CircuitPermit = breaker?.acquire() ?? { allowed: true, probe: false };
  if (!permit.allowed) {
    return {
      kind: 'held',
      outcome: {
        kind: 'retryable',
        response: circuitOpenResponse(SERVICE_NAMES[app.config.platform]),
        retryAfterMs: permit.retryInMs,
      },
    };
  }
  return { kind: 'send', breaker, permit };
}

/** A send cut by the call deadline says nothing about the push service: its permit is given back unjudged. */
export function reportToCircuit(
  { breaker, permit }: SendVerdict,
  sent: { outcome: SendOutcome; cutByDeadline: boolean },
): void {
  if (!breaker) return;
  if (sent.cutByDeadline) breaker.release(permit);
  else if (isServiceFailure(sent.outcome)) breaker.recordFailure();
  else breaker.recordSuccess();
}

const SERVICE_NAMES: Readonly<Record<Platform, string>> = {
  apple: 'APNs',
  firebase: 'FCM',
  huawei: 'Push Kit',
  webpush: 'Web Push',
};
