// A push load across an unplanned loss of a Redis primary: callers send without retrying (a refused push
// was never accepted), the primary is killed mid-load, and what was answered 2xx is counted at the emulators.
import type { Sandbox } from '@pushwire/sandbox-emulators';
import { startLoad, type PushAttempt } from './load.js';
import { appleToken, deliveredIds, duplicateCount, messagePush } from './pushes.js';
import { waitUntil } from './wait-until.js';

export interface PrimaryKillOptions {
  /** Distinguishes this run's push ids. */
  tag: string;
  /** Concurrent callers. */
  concurrency: number;
  /** This run's deliveries before the kill: the load is well under way. */
  killAfter: number;
  /** Kills the primary (SIGKILL). */
  kill(): Promise<void>;
  /** Resolves once a replica was promoted in its place. */
  promoted(): Promise<void>;
  /** A push to the busy queue accepted after the promotion must be delivered within this bound, ms. */
  resumeWithinMs: number;
  /** Pushes (to any queue) accepted after the promotion and delivered before the load stops. */
  afterPromotion: number;
  /** After the load stops, how long every accepted push has to be delivered, ms. */
  drainMs: number;
}

export interface PrimaryKillResult {
  sent: number;
  /** Push ids answered 2xx. */
  accepted: string[];
  /** Answers other than 2xx (503 while the cluster had no primary for a slot, or too few replicas). */
  refused: number;
  /** Accepted push ids the emulators never received. */
  undelivered: string[];
  duplicates: number;
  /** From the promotion (as polled) to the first delivery of a busy-queue push accepted after it, ms. */
  resumedAfterMs: number;
}

/** The busy queue is Apple's: three pushes in four go there, the rest to Firebase. */
export async function pushThroughPrimaryKill(
  target: { url: string; sandbox: Sandbox },
  o: PrimaryKillOptions,
): Promise<PrimaryKillResult> {
  const ids: string[] = [];
  const apple = new Set<string>();
  const load = startLoad(target.url, o.concurrency, (i) => {
    const id = `${o.tag}-${i}`;
    ids.push(id);
    const platform = i % 4 === 3 ? 'firebase' : 'apple';
    if (platform === 'apple') apple.add(id);
    const token = platform === 'apple' ? appleToken(11, i % 16) : `fcm-${o.tag}-${i % 16}`;
    return { id, path: '/push', body: messagePush({ platform, token, id }) };
  });
  const mine = (delivered: Map<string, number>) => ids.reduce((n, id) => n + (delivered.has(id) ? 1 : 0), 0);
  try {
    await waitUntil(() => mine(deliveredIds(target.sandbox)) >= o.killAfter, {
      timeoutMs: 30_000,
      describe: () => `${mine(deliveredIds(target.sandbox))} delivered`,
    });
    await o.kill();
    await o.promoted();
    const promotedAt = performance.now();
    const acceptedSince = (a: PushAttempt) =>
      a.status >= 200 && a.status < 300 && a.sentAt >= promotedAt && apple.has(a.id);
    const resumed = () => {
      const delivered = deliveredIds(target.sandbox);
      return load.attempts.some((a) => acceptedSince(a) && delivered.has(a.id));
    };
    await waitUntil(resumed, {
      timeoutMs: o.resumeWithinMs,
      describe: () =>
        `no busy-queue push accepted since the promotion was delivered (${load.attempts.filter(acceptedSince).length} accepted)`,
    });
    const resumedAfterMs = Math.round(performance.now() - promotedAt);
    // Every queue keeps going, not only the first push through.
    const deliveredSince = () => {
      const delivered = deliveredIds(target.sandbox);
      return load.attempts.filter(
        (a) => a.status >= 200 && a.status < 300 && a.sentAt >= promotedAt && delivered.has(a.id),
      ).length;
    };
    await waitUntil(() => deliveredSince() >= o.afterPromotion, {
      timeoutMs: 30_000,
      describe: () => `${deliveredSince()} pushes accepted since the promotion delivered`,
    });
    const attempts = await load.stop();
    const accepted = attempts.filter((a) => a.status >= 200 && a.status < 300).map((a) => a.id);
    const undeliveredNow = () => {
      const delivered = deliveredIds(target.sandbox);
      return accepted.filter((id) => !delivered.has(id));
    };
    await waitUntil(() => undeliveredNow().length === 0, { timeoutMs: o.drainMs }).catch(() => undefined);
    const delivered = deliveredIds(target.sandbox);
    const runIds = new Set(ids);
    return {
      sent: attempts.length,
      accepted,
      refused: attempts.length - accepted.length,
      undelivered: undeliveredNow(),
      duplicates: duplicateCount(new Map([...delivered].filter(([id]) => runIds.has(id)))),
      resumedAfterMs,
    };
  } finally {
    await load.stop();
  }
}
