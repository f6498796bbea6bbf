// One send: build the app type's headers and payload, hand them to the push service, abort a send still
// running at the call deadline, and time it.
import { platformLabel, type Clock, type OutgoingPush, type SendOutcome } from '@pushwire/core';
import type { Logger } from '@pushwire/logging';
import type { PushJobData } from '@pushwire/queue';
import type { AppRuntime } from './app-runtime.js';
import { withExpirationFromDeadline } from './policy/expiration.js';

export interface Sent {
  outcome: SendOutcome;
  /** The call deadline aborted the send: the push service was not judged. */
  cutByDeadline: boolean;
  push: OutgoingPush;
  /** Building and sending, seconds. */
  seconds: number;
}

export async function sendPush(
  data: PushJobData,
  app: AppRuntime,
  deadlineAt: number | undefined,
  clock: Clock,
  log: Logger,
): Promise<Sent> {
  const startedAt = performance.now();
  const { outcome, cutByDeadline, push } = await send(data, app, deadlineAt, clock, log);
  return { outcome, cutByDeadline, push, seconds: (performance.now() - startedAt) / 1000 };
}

async function send(
  data: PushJobData,
  app: AppRuntime,
  deadlineAt: number | undefined,
  clock: Clock,
  log: Logger,
): Promise<Omit<Sent, 'seconds'>> {
  const { request, requestId } = data;
  const label = platformLabel(request.platform);
  const nowMs = clock.now();
  const now = new Date(nowMs);
  let push =
    request.platform === 'apple'
      ? app.appType.apple(request, { now })
      : request.platform === 'webpush'
        ? app.appType.webpush(request, { now, ...(deadlineAt === undefined ? {} : { deadlineAt }) })
        : app.appType.firebase(request, {
            now,
            legacy: app.config.platform === 'firebase' && app.config.auth.kind === 'legacy-key',
          });
  // A Web Push TTL always follows the deadline (the builder sets it): there is no Sylk literal to keep.
  if (
    deadlineAt !== undefined &&
    app.config.delivery?.expirationFromDeadline === true &&
    request.platform !== 'webpush'
  ) {
    push = withExpirationFromDeadline(push, request.platform, deadlineAt, nowMs);
  }
  log.info(`outgoing ${label} request ${requestId}`);
  log.debug({ headers: push.headers }, `outgoing ${label} request ${requestId} headers`);
  log.debug({ body: push.payload }, `outgoing ${label} request ${requestId} body`);
  if (deadlineAt === undefined) return { outcome: await app.provider.send(push), cutByDeadline: false, push };
  const cut = deadlineSignal(Math.max(1, deadlineAt - nowMs));
  try {
    const outcome = await app.provider.send(push, { signal: cut.signal });
    return { outcome, cutByDeadline: cut.signal.aborted && outcome.kind === 'retryable', push };
  } finally {
    cut.clear();
  }
}

/**
 * Aborts after `ms` with AbortSignal.timeout's reason, and is cleared once the send is over. (AbortSignal.timeout
 * keeps every signal in a FinalizationRegistry with a weakly held timer until garbage collection: a cost on
 * every push, for a deadline that almost never fires.)
 */
function deadlineSignal(ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')),
    ms,
  );
  timer.unref();
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}
