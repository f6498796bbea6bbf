// SIGTERM is a clean stop: a worker finishes the pushes it holds and exits 0; ingest refuses new pushes
// (503 or connection refused, never a false 202) and everything it accepted is delivered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness/index.js';
import { byStatus, postAll, startLoad, type PushPost } from './support/load.js';
import { appleToken, deliveredIds, duplicateCount, messagePush } from './support/pushes.js';
import { jobCounts, queuesIdle } from './support/queue-state.js';
import { waitUntil } from './support/wait-until.js';

/** Jobs one worker runs at once per queue, kept small so some pushes are still waiting at the signal. */
const CONCURRENCY = 10;
const HELD_PUSHES = 30;
/** Bound on a graceful stop here: the stalled streams are answered at once, so this is generous. */
const STOP_BOUND_MS = 20_000;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    server: { return_async: 'false' },
    env: { PUSHWIRE_WORKER_CONCURRENCY: String(CONCURRENCY) },
  });
});
afterAll(async () => {
  await stack?.close();
});

function withinBound<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${STOP_BOUND_MS} ms`)), STOP_BOUND_MS);
  });
  return Promise.race([promise, bound]).finally(() => clearTimeout(timer));
}

describe('graceful shutdown', () => {
  it('a worker told to stop finishes the pushes it holds, leaves the rest queued, and exits 0', async () => {
    const { apns } = stack.sandbox;
    const tokens = [0, 1, 2].map((n) => appleToken(8, n));
    for (const token of tokens) apns.failToken(token, { stall: true });
    const posts: PushPost[] = Array.from({ length: HELD_PUSHES }, (_, i) => {
      const id = `held-${i}`;
      return { id, path: '/push', body: messagePush({ platform: 'apple', token: tokens[i % tokens.length]!, id }) };
    });
    expect([...byStatus(await postAll(stack.url, posts, 10)).keys()]).toEqual([202]);
    // The worker holds CONCURRENCY streams that APNs does not answer; the other pushes wait in the queue.
    await apns.waitForRequests(CONCURRENCY, 15_000);

    const worker = stack.workers[0]!;
    const exit = worker.stop('SIGTERM');
    await worker.waitFor('SIGTERM: stopping', 10_000);
    apns.clearFaults();
    expect(apns.releaseStalled()).toBe(CONCURRENCY);
    expect(await withinBound(exit, 'the worker’s exit')).toBe(0);

    // What it held was delivered before it exited; nothing is left locked by a dead worker.
    const held = deliveredIds(stack.sandbox);
    expect(held.size).toBe(CONCURRENCY);
    const counts = await jobCounts(stack.redis.url);
    expect(counts).toMatchObject({ active: 0, waiting: HELD_PUSHES - CONCURRENCY, completed: CONCURRENCY });

    await stack.startWorker();
    const delivered = () => deliveredIds(stack.sandbox);
    await waitUntil(() => delivered().size === HELD_PUSHES, {
      describe: () => `${delivered().size} of ${HELD_PUSHES} delivered`,
    });
    await waitUntil(() => queuesIdle(stack.redis.url));
    expect(new Set(delivered().keys())).toEqual(new Set(posts.map((p) => p.id)));
    expect(duplicateCount(delivered())).toBe(0);
  });

  it('ingest told to stop refuses new pushes, and every push it accepted is delivered', async () => {
    const ingest = stack.ingest;
    const load = startLoad(stack.url, 20, (i) => {
      const id = `shutdown-${i}`;
      const platform = i % 2 === 0 ? 'apple' : 'firebase';
      return {
        id,
        path: '/push',
        body: messagePush({
          platform,
          token: platform === 'apple' ? appleToken(9, i % 8) : `fcm-shutdown-${i % 8}`,
          id,
        }),
      };
    });
    const count = (status: number) => load.attempts.filter((a) => a.status === status).length;
    await waitUntil(() => count(202) >= 300, { describe: () => `${count(202)} accepted` });

    const exit = ingest.stop('SIGTERM');
    // Keep sending through the stop, until requests find nobody listening.
    expect(await withinBound(exit, 'the ingest’s exit')).toBe(0);
    const refusedAfterExit = count(0);
    await waitUntil(() => count(0) >= refusedAfterExit + 50, { describe: () => `${count(0)} refused` });
    const attempts = await load.stop();

    const statuses = byStatus(attempts);
    expect([...statuses.keys()].filter((s) => s !== 202 && s !== 503 && s !== 0)).toEqual([]);
    const accepted = new Set(statuses.get(202)!.map((a) => a.id));
    const delivered = () => deliveredIds(stack.sandbox);
    const deliveredAccepted = () => [...accepted].filter((id) => delivered().has(id)).length;
    await waitUntil(() => deliveredAccepted() === accepted.size, {
      describe: () => `${deliveredAccepted()} of ${accepted.size} accepted delivered`,
    });
    await waitUntil(() => queuesIdle(stack.redis.url));

    const notAccepted = attempts.filter((a) => a.status !== 202);
    console.log(
      `graceful-shutdown ingest: ${JSON.stringify({ accepted: accepted.size, refused_503: statuses.get(503)?.length ?? 0, no_answer: statuses.get(0)?.length ?? 0 })}`,
    );
    expect(notAccepted.filter((a) => delivered().has(a.id))).toEqual([]);
  });
});
