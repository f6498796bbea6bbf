// A push load across a Redis failover: every push is sent until accepted (a client retries a 503 or
// a dropped connection, as SylkServer's caller would), and the failover is triggered mid-load.
import type { Stack } from '../../harness/index.js';
import { postPush, startLoad } from './load.js';
import { appleToken, deliveredIds, duplicateCount, messagePush } from './pushes.js';
import { waitUntil } from './wait-until.js';

export interface FailoverLoadResult {
  ids: string[];
  /** Answers other than 202 seen before a retry was accepted (the failover window). */
  refused: number;
  delivered: Map<string, number>;
  duplicates: number;
}

export async function pushThroughFailover(
  stack: Stack,
  options: { total: number; tag: string; failoverAfter: number; failover: () => Promise<void> },
): Promise<FailoverLoadResult> {
  const ids = Array.from({ length: options.total }, (_, i) => `${options.tag}-${i}`);
  const post = (i: number) => {
    const id = ids[i]!;
    const platform = i % 2 === 0 ? 'apple' : 'firebase';
    const token = platform === 'apple' ? appleToken(9, i % 16) : `fcm-${options.tag}-${i % 16}`;
    return { id, path: '/push', body: messagePush({ platform, token, id }) };
  };
  const load = startLoad(stack.url, 20, (i) => (i < ids.length ? post(i) : null));
  const delivered = () => deliveredIds(stack.sandbox).size;
  await waitUntil(() => delivered() >= options.failoverAfter, {
    timeoutMs: 60_000,
    describe: () => `${delivered()} delivered`,
  });
  await options.failover();
  const attempts = await load.done;

  // Every push not accepted yet is sent again until it is (bounded): only 202 means accepted.
  let refused = 0;
  const pending = attempts.filter((a) => a.status !== 202).map((a) => ids.indexOf(a.id));
  for (const i of pending) {
    refused++;
    const deadline = Date.now() + 30_000;
    for (;;) {
      const again = await postPush(stack.url, post(i));
      if (again.status === 202) break;
      if (Date.now() > deadline)
        throw new Error(`${ids[i]} never accepted again: ${again.status} ${again.error ?? ''}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  await waitUntil(() => ids.every((id) => deliveredIds(stack.sandbox).has(id)), {
    timeoutMs: 90_000,
    describe: () => `${ids.filter((id) => deliveredIds(stack.sandbox).has(id)).length} of ${ids.length} delivered`,
  });
  const counts = deliveredIds(stack.sandbox);
  return {
    ids,
    refused,
    delivered: counts,
    duplicates: duplicateCount(new Map([...counts].filter(([id]) => ids.includes(id)))),
  };
}
