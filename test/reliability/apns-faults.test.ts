// APNs misbehaving under load (GOAWAY, dropped connections, a stalled stream, 429 with Retry-After):
// every push is still delivered, duplicates are counted, and the services stay up.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness/index.js';
import { byStatus, startLoad } from './support/load.js';
import { appleToken, deliveredIds, duplicateCount, messagePush } from './support/pushes.js';
import { queuesIdle } from './support/queue-state.js';
import { waitUntil } from './support/wait-until.js';

const TOTAL = 2000;
const CONCURRENCY = 40;
/**
 * Token sets, 3 tokens each. Each fault fires once per token, so a push meets at most 3 drops + its own
 * stall or 429 + a GOAWAY refusal: fewer failures than the 8 attempts a chat message gets (Sylk's 7 retries).
 */
const NORMAL = [0, 1, 2, 3, 4, 5].map((n) => appleToken(3, n));
const DROPPED = [10, 11, 12].map((n) => appleToken(3, n));
const STALLED = [20, 21, 22].map((n) => appleToken(3, n));
const LIMITED = [30, 31, 32].map((n) => appleToken(3, n));
const TOKENS = [...NORMAL, ...DROPPED, ...STALLED, ...LIMITED];

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    server: { return_async: 'false' },
    env: { PUSHWIRE_RETRY_BASE_MS: '50', PUSHWIRE_CIRCUIT_COOLDOWN_MS: '2000' },
  });
});
afterAll(async () => {
  await stack?.close();
});

describe('APNs faults under load', () => {
  it('delivers every push through GOAWAY, drops, a stall and 429s', async () => {
    const { apns } = stack.sandbox;
    for (const token of STALLED) apns.failToken(token, { stall: true, times: 1 });
    for (const token of LIMITED)
      apns.failToken(token, { status: 429, reason: 'TooManyRequests', retryAfterSeconds: 1, times: 1 });

    const ids = Array.from({ length: TOTAL }, (_, i) => `fault-${i}`);
    const load = startLoad(stack.url, CONCURRENCY, (i) => {
      const id = ids[i];
      return id === undefined
        ? null
        : { id, path: '/push', body: messagePush({ platform: 'apple', token: TOKENS[i % TOKENS.length]!, id }) };
    });

    // Faults that act on the connection start once traffic flows, so they hit streams in flight.
    await apns.waitForRequests(200, 30_000);
    for (const token of DROPPED) apns.failToken(token, { drop: true, times: 1 });
    await apns.waitForRequests(600, 30_000);
    const sessionsBefore = apns.totalSessions();
    apns.goaway();
    await apns.waitForRequests(1000, 30_000);
    apns.goaway();

    const attempts = await load.done;
    expect([...byStatus(attempts).keys()]).toEqual([202]);

    const delivered = () => deliveredIds(stack.sandbox);
    await waitUntil(() => delivered().size === TOTAL, {
      timeoutMs: 90_000,
      describe: () => `${delivered().size} of ${TOTAL} delivered`,
    });
    await waitUntil(() => queuesIdle(stack.redis.url), { timeoutMs: 30_000 });

    const counts = delivered();
    expect(new Set(counts.keys())).toEqual(new Set(ids));
    const outcomes = { dropped: 0, stalled: 0, limited: 0 };
    for (const r of apns.requests) {
      if (r.status === 0 && DROPPED.includes(r.token ?? '')) outcomes.dropped += 1;
      if (r.status === 0 && STALLED.includes(r.token ?? '')) outcomes.stalled += 1;
      if (r.status === 429) outcomes.limited += 1;
    }
    console.log(
      `apns-faults: ${JSON.stringify({ ...outcomes, sessions: apns.totalSessions(), duplicates: duplicateCount(counts) })}`,
    );
    // Every fault really fired, and the GOAWAYs and drops made the worker open new connections.
    expect(outcomes).toEqual({ dropped: DROPPED.length, stalled: STALLED.length, limited: LIMITED.length });
    expect(apns.totalSessions()).toBeGreaterThan(sessionsBefore);
    expect(stack.ingest.process.exitCode).toBeNull();
    expect(stack.workers[0]!.process.exitCode).toBeNull();
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
  });
});
