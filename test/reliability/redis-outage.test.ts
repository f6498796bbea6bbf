// Redis (AOF `appendfsync always`, docs/decisions/0010-accepted-means-stored.md) stopped under load: ingest answers 503, never a false 202;
// once the same Redis is back, everything accepted before is delivered by the same ingest and worker.
//
// A 503 is "not known to be accepted", not "certainly not accepted": a job Redis wrote to its AOF just before
// exiting, whose reply the stop cut off, is delivered after the restart. Only requests in flight at the
// stop can be in that state, and a caller that retries its 503s (as it should) with the same Idempotency-Key
// still gets each push once: the key's record names the job ids, so the retry finds the job already queued.
// A retry can also hear 409 (the first attempt's acceptance had not ended when Redis stopped): it retries
// again. The test holds the services to exactly that.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness/index.js';
import { byStatus, postAll, postPush, startLoad } from './support/load.js';
import { appleToken, deliveredIds, duplicateCount, messagePush } from './support/pushes.js';
import { queuesIdle } from './support/queue-state.js';
import { waitUntil } from './support/wait-until.js';

const CONCURRENCY = 20;
/** Accepted pushes before the stop, and refused ones after it, so both sides of the stop are exercised. */
const ACCEPTED_BEFORE_STOP = 600;
const REFUSED_DURING_OUTAGE = 200;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    server: { return_async: 'false' },
    redisAppendfsync: 'always',
    env: { PUSHWIRE_RETRY_BASE_MS: '100' },
  });
});
afterAll(async () => {
  await stack?.close();
});

const push = (id: string, i: number) => {
  const platform = i % 2 === 0 ? 'apple' : 'firebase';
  return {
    id,
    path: '/push',
    body: messagePush({ platform, token: platform === 'apple' ? appleToken(2, i % 8) : `fcm-outage-${i % 8}`, id }),
    headers: { 'idempotency-key': id },
  };
};

describe('Redis outage', () => {
  it('answers 503 while Redis is down and delivers every 202 after it returns, with no restart', async () => {
    const load = startLoad(stack.url, CONCURRENCY, (i) => push(`outage-${i}`, i));
    const count = (status: number) => load.attempts.filter((a) => a.status === status).length;
    await waitUntil(() => count(202) >= ACCEPTED_BEFORE_STOP, { describe: () => `${count(202)} accepted` });

    await stack.redis.stop();
    const redisGoneAt = performance.now();
    await waitUntil(() => count(503) >= REFUSED_DURING_OUTAGE, {
      timeoutMs: 30_000,
      describe: () => `${count(503)} refused`,
    });
    const attempts = await load.stop();

    // Everyone waits for Redis: no service exited.
    expect(stack.ingest.process.exitCode).toBeNull();
    expect(stack.workers[0]!.process.exitCode).toBeNull();
    const statuses = byStatus(attempts);
    expect([...statuses.keys()].sort()).toEqual([202, 503]);

    await stack.redis.restart();
    const accepted = new Set(statuses.get(202)!.map((a) => a.id));
    const refused = new Set(statuses.get(503)!.map((a) => a.id));
    const deliveredAccepted = () => [...deliveredIds(stack.sandbox).keys()].filter((id) => accepted.has(id)).length;
    await waitUntil(() => deliveredAccepted() === accepted.size, {
      timeoutMs: 100_000,
      describe: () => `${deliveredAccepted()} of ${accepted.size} accepted pushes delivered`,
    });

    // The same ingest accepts again once it has reconnected, and the same worker delivers.
    await waitUntil(async () => (await fetch(`${stack.url}/readyz`)).status === 200, { timeoutMs: 15_000 });
    const after = await postPush(stack.url, push('outage-after', 0));
    expect(after.status).toBe(202);
    await waitUntil(() => deliveredIds(stack.sandbox).has('outage-after'), { timeoutMs: 15_000 });
    await waitUntil(() => queuesIdle(stack.redis.url), { timeoutMs: 60_000 });

    const delivered = deliveredIds(stack.sandbox);
    const refusedButDelivered = statuses.get(503)!.filter((a) => delivered.has(a.id));
    const stats = {
      accepted: accepted.size,
      refused: refused.size,
      refused_but_delivered: refusedButDelivered.length,
      duplicates: duplicateCount(delivered),
    };
    console.log(`redis-outage: ${JSON.stringify(stats)}`);
    // Only a request sent while Redis was still running can have been written before the cut.
    expect(refusedButDelivered.filter((a) => a.sentAt > redisGoneAt)).toEqual([]);
    expect(refusedButDelivered.length).toBeLessThanOrEqual(CONCURRENCY);
    expect(
      [...delivered.keys()].filter((id) => !accepted.has(id) && !refused.has(id) && id !== 'outage-after'),
    ).toEqual([]);

    // The caller retries its 503s: each is accepted now, and none reaches the device twice.
    const again = (attempts: readonly { id: string }[]) =>
      postAll(
        stack.url,
        attempts.map((a) => push(a.id, Number(a.id.slice('outage-'.length)))),
        CONCURRENCY,
      );
    let retried = await again(statuses.get(503)!);
    const retryUntil = Date.now() + 30_000;
    while (retried.some((a) => a.status === 409) && Date.now() < retryUntil) {
      await new Promise((r) => setTimeout(r, 200));
      retried = [...retried.filter((a) => a.status !== 409), ...(await again(retried.filter((a) => a.status === 409)))];
    }
    expect([...byStatus(retried).keys()]).toEqual([202]);
    await waitUntil(() => refused.size === [...refused].filter((id) => deliveredIds(stack.sandbox).has(id)).length, {
      timeoutMs: 30_000,
      describe: () =>
        `${[...refused].filter((id) => deliveredIds(stack.sandbox).has(id)).length} of ${refused.size} retried pushes delivered`,
    });
    await waitUntil(() => queuesIdle(stack.redis.url), { timeoutMs: 30_000 });
    const final = deliveredIds(stack.sandbox);
    expect([...refused].filter((id) => final.get(id) !== 1)).toEqual([]);
    expect(stack.ingest.process.exitCode).toBeNull();
    expect(stack.workers[0]!.process.exitCode).toBeNull();
  });
});
