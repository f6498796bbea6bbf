// A worker SIGKILLed mid-load loses nothing: the jobs it held come back to the next worker (at-least-once).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness/index.js';
import { byStatus, startLoad } from './support/load.js';
import { appleToken, deliveredIds, duplicateCount, messagePush } from './support/pushes.js';
import { jobCounts, queuesIdle } from './support/queue-state.js';
import { waitUntil } from './support/wait-until.js';

const TOTAL = 5000;
/** Bounded parallelism of the HTTP client: enough to keep ingest busy without queueing in the client. */
const CONCURRENCY = 50;
/** The worker is killed once this many pushes arrived, so thousands are still queued or in flight. */
const KILL_AFTER_DELIVERED = 1000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ server: { return_async: 'false' } });
});
afterAll(async () => {
  await stack?.close();
});

describe('worker crash', () => {
  it('delivers every accepted push after a SIGKILL, through a new worker', async () => {
    const ids = Array.from({ length: TOTAL }, (_, i) => `crash-${i}`);
    // Half to APNs, half to FCM; a few tokens each, as a handful of busy devices would.
    const load = startLoad(stack.url, CONCURRENCY, (i) => {
      const id = ids[i];
      if (id === undefined) return null;
      const platform = i % 2 === 0 ? 'apple' : 'firebase';
      const token = platform === 'apple' ? appleToken(1, i % 16) : `fcm-crash-${i % 16}`;
      return { id, path: '/push', body: messagePush({ platform, token, id }) };
    });

    const delivered = () => deliveredIds(stack.sandbox).size;
    await waitUntil(() => delivered() >= KILL_AFTER_DELIVERED, {
      timeoutMs: 60_000,
      describe: () => `${delivered()} delivered`,
    });
    const [first] = stack.workers;
    await first!.stop('SIGKILL');
    const deliveredAtKill = delivered();

    const attempts = await load.done;
    const statuses = byStatus(attempts);
    // Ingest does not depend on a worker: every push is accepted.
    expect([...statuses.keys()]).toEqual([202]);
    expect(statuses.get(202)).toHaveLength(TOTAL);
    const backlog = await jobCounts(stack.redis.url);

    await stack.startWorker();
    // Idle too: what the dead worker held stays active until BullMQ's stalled-job check hands it back (within
    // two check intervals of 30 s), and may be sent again then; counts are final only after that.
    await waitUntil(async () => delivered() === TOTAL && (await queuesIdle(stack.redis.url)), {
      timeoutMs: 100_000,
      describe: () =>
        `${delivered()} of ${TOTAL} delivered; queues ${JSON.stringify(backlog)} when the new worker started`,
    });

    const counts = deliveredIds(stack.sandbox);
    expect(new Set(counts.keys())).toEqual(new Set(ids));
    const stats = {
      delivered_at_kill: deliveredAtKill,
      waiting_after_kill: backlog.waiting,
      held_by_dead_worker: backlog.active,
      duplicates: duplicateCount(counts),
    };
    console.log(`worker-crash: ${JSON.stringify(stats)}`);
    // A crash may repeat only what the dead worker held (at most its concurrency per queue, 50 × 2 queues).
    expect(stats.duplicates).toBeLessThanOrEqual(backlog.active);
    // The crash happened with work outstanding: accepted pushes sat in Redis with no worker alive.
    expect(backlog.waiting + backlog.active).toBeGreaterThan(0);
  });
});
