// Rounds of "SIGKILL the Redis primary under load": async v1 pushes from several callers, the primary killed
// ~1.5 s in, and per round what an operator would check: every push answered 202 reaches the push service,
// processing resumes soon after the promotion, and every Pushwire process reconnects all its connections
// to the new primary.
import type { PrimaryKill, SentinelGroup } from '../../harness/redis-topologies.js';
import type { Sandbox } from '@pushwire/sandbox-emulators';
import { postPush, type PushPost } from './load.js';
import { appleToken, deliveredIds, linphoneCallPush, messagePush } from './pushes.js';
import { tcpPortOwners } from './socket-owners.js';
import { waitUntil } from './wait-until.js';

export interface KillRoundOptions {
  /** The push API. */
  url: string;
  sandbox: Sandbox;
  group: SentinelGroup;
  /** The Pushwire processes whose connections must follow the new primary. */
  pids: readonly number[];
  tag: string;
  /** Concurrent callers. */
  callers: number;
  /** The load runs this long before the kill, ms. */
  killAfterMs: number;
  /** Pushes accepted after the promotion before the load stops (processing is shown to go on). */
  afterPromotion: number;
}

export interface KillRoundResult {
  kill: PrimaryKill;
  /** Pushes answered 2xx (accepted: 202 with return_async = false). */
  accepted: number;
  /** Pushes answered anything else (the caller would retry them): not owed. */
  refused: number;
  /** Accepted pushes never delivered. */
  lost: string[];
  /** Deliveries beyond the first of accepted pushes. */
  duplicates: number;
  /** From the promotion to the first delivery after it, ms; null when none came within 30 s. */
  resumeMs: number | null;
  /** From the promotion until every process had all its connections on the new primary, ms; null: not within 30 s. */
  reconnectedMs: number | null;
  /** Each process's connections to the old primary before the kill and to the new one after. */
  connections: { before: Record<number, number>; after: Record<number, number> };
  /** Whether `afterPromotion` pushes were accepted after the promotion (within 30 s). */
  acceptingAgain: boolean;
}

/** `performance.now()` when `check` first held, or null when it did not within `timeoutMs`. */
async function timeOf(check: () => boolean, timeoutMs: number): Promise<number | null> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (check()) return performance.now();
    await new Promise((r) => setTimeout(r, 20));
  }
  return null;
}

/** Each process's open TCP connections to a Redis on `port`. */
function connectionsTo(pids: readonly number[], port: number): Map<number, number> {
  const counts = new Map<number, number>(pids.map((pid) => [pid, 0]));
  for (const pid of tcpPortOwners(pids, port).values()) counts.set(pid, (counts.get(pid) ?? 0) + 1);
  return counts;
}

/** A mix of `message` pushes (no deadline) and Linphone call wake-ups (60 s deadline), on both platforms. */
function pushFor(tag: string, i: number): PushPost {
  const id = `${tag}-${i}`;
  const platform = i % 2 === 0 ? 'apple' : 'firebase';
  const token = platform === 'apple' ? appleToken(7, i % 16) : `fcm-${tag}-${i % 16}`;
  const body = i % 3 === 2 ? linphoneCallPush({ platform, token, id }) : messagePush({ platform, token, id });
  return { id, path: '/push', body };
}

export async function killPrimaryUnderLoad(o: KillRoundOptions): Promise<KillRoundResult> {
  const primary = await o.group.primaryPort();
  const before = connectionsTo(o.pids, primary);
  const accepted: string[] = [];
  let refused = 0;
  let next = 0;
  let stopped = false;
  let acceptedAfterPromotion = 0;
  let promotedAt = Number.POSITIVE_INFINITY;
  const caller = async () => {
    while (!stopped) {
      const attempt = await postPush(o.url, pushFor(o.tag, next++));
      if (attempt.status >= 200 && attempt.status < 300) {
        accepted.push(attempt.id);
        if (attempt.sentAt > promotedAt) acceptedAfterPromotion++;
      } else {
        refused++;
        // The outage answers at once (503): a caller backs off a little instead of spinning.
        await new Promise((r) => setTimeout(r, 20));
      }
    }
  };
  const load = Promise.all(Array.from({ length: o.callers }, caller));
  try {
    await new Promise((r) => setTimeout(r, o.killAfterMs));
    const deliveredAtKill = deliveredIds(o.sandbox).size;
    const kill = await o.group.killPrimary();
    promotedAt = kill.promotedAt;
    const deliveredAtPromotion = deliveredIds(o.sandbox).size;
    if (deliveredAtKill === 0) throw new Error('nothing was delivered before the kill: the load never ran');

    const resumedAt = await timeOf(() => deliveredIds(o.sandbox).size > deliveredAtPromotion, 30_000);
    // Every process is back with at least as many connections as it had to the old primary.
    const reconnectedAt = await timeOf(() => {
      const now = connectionsTo(o.pids, kill.promoted);
      return o.pids.every((pid) => (now.get(pid) ?? 0) >= (before.get(pid) ?? 0));
    }, 30_000);
    const connections = {
      before: Object.fromEntries(before),
      after: Object.fromEntries(connectionsTo(o.pids, kill.promoted)),
    };
    // Ingest accepts again (a stuck producer would refuse every push from here on).
    const acceptingAgain = (await timeOf(() => acceptedAfterPromotion >= o.afterPromotion, 30_000)) !== null;
    stopped = true;
    await load;

    const delivered = () => deliveredIds(o.sandbox);
    // Jobs the dead primary held as active come back through the stalled check (lock 10 s + check 5 s).
    await waitUntil(() => accepted.every((id) => delivered().has(id)), {
      timeoutMs: 45_000,
      describe: () =>
        `${accepted.filter((id) => delivered().has(id)).length} of ${accepted.length} accepted pushes delivered`,
    }).catch(() => undefined);
    const counts = delivered();
    return {
      kill,
      accepted: accepted.length,
      refused,
      lost: accepted.filter((id) => !counts.has(id)),
      duplicates: accepted.reduce((sum, id) => sum + Math.max(0, (counts.get(id) ?? 0) - 1), 0),
      resumeMs: resumedAt === null ? null : Math.round(resumedAt - kill.promotedAt),
      reconnectedMs: reconnectedAt === null ? null : Math.round(reconnectedAt - kill.promotedAt),
      connections,
      acceptingAgain,
    };
  } finally {
    stopped = true;
    await load;
  }
}
