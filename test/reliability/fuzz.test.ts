// Ingest under hostile input: 10,000 generated requests in process plus an HTTP batch against the real
// `pushwire ingest`. No 5xx (with Redis up, not even 503), the process stays up, its memory stays flat.
import { randomUUID } from 'node:crypto';
import { request as httpRequest, Agent } from 'node:http';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIngestPolicy } from '@pushwire/queue';
import { createProducerRedis } from '@pushwire/redis';
import { RedisTokenStorage } from '../../packages/storage/src/index.js';
import { createTestIngest, TEST_APPS } from '../../services/ingest/src/test-support/ingest-app.js';
import { startStack, type Stack } from '../harness/index.js';
import { fuzzRequest, type FuzzRequest } from './support/fuzz-requests.js';
import { rssBytes } from './support/process-memory.js';
import { LINPHONE_APP, SYLK_APP } from './support/pushes.js';

const IN_PROCESS_RUNS = 10_000;
/** Fixed seeds keep the suite deterministic; run with another PUSHWIRE_FUZZ_SEED to explore further. */
const SEED = Number(process.env.PUSHWIRE_FUZZ_SEED ?? 20_261_125);
const HTTP_WARMUP = 300;
const HTTP_RUNS = 2000;
const HTTP_CONCURRENCY = 16;
const MAX_BODY_BYTES = 65_536;
/** Generous: a leak of even a few hundred bytes per request would pass it only at far larger counts. */
const MAX_RSS_GROWTH_BYTES = 100 * 1024 * 1024;
const MB = 1024 * 1024;

/**
 * A server-side failure. 503 ("not accepted, retry") is a fault too here: Redis is up and the queues are
 * nearly empty, so a 503 would be a false refusal (one was: a lone surrogate in a cancel's call-id).
 */
const serverFault = (status: number) => status >= 500;

describe('fuzzing ingest in process (createIngestApp)', () => {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  /** Key prefix of the token storage and the policy's cancel markers (the queues use the test ingest's own). */
  const storagePrefix = `pwfuzz-${randomUUID()}`;
  const storageRedis = createProducerRedis(redisUrl);
  storageRedis.on('error', () => undefined);
  // As `pushwire ingest` runs it: cancel markers, call deadlines, admission control.
  const policy = createIngestPolicy({ redis: storageRedis, prefix: storagePrefix, apps: [] });
  let ingest: Awaited<ReturnType<typeof createTestIngest>>;

  beforeAll(async () => {
    // A fail-fast connection refuses commands until ready: that would be a 503, which this test counts.
    if (storageRedis.status !== 'ready') await new Promise((resolve) => storageRedis.once('ready', resolve));
    ingest = await createTestIngest({
      returnAsync: false,
      maxBodyBytes: MAX_BODY_BYTES,
      storage: new RedisTokenStorage({ redis: storageRedis, prefix: storagePrefix }),
      policy,
    });
  });
  afterAll(async () => {
    await ingest?.close();
    await policy.close();
    const cleanup = new Redis(redisUrl);
    const keys = await cleanup.keys(`${storagePrefix}:*`);
    if (keys.length) await cleanup.del(...keys);
    cleanup.disconnect();
    storageRedis.disconnect();
  });

  it(`answers ${IN_PROCESS_RUNS} generated requests without a server fault, always in JSON`, async () => {
    const appIds = [...new Set(Object.keys(TEST_APPS).map((k) => k.split('/')[0]!))];
    const statuses = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(fuzzRequest({ appIds, maxBodyBytes: MAX_BODY_BYTES }), async (req) => {
        const res = await ingest.app.request(`http://ingest.test${req.path}`, {
          method: req.method,
          headers: req.headers,
          ...(req.body ? { body: req.body } : {}),
        });
        const text = await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expect(serverFault(res.status), `${res.status} ${text.slice(0, 300)}`).toBe(false);
        // Sylk answers JSON whatever happens (HEAD has no body).
        if (req.method !== 'HEAD') expect(() => JSON.parse(text), text.slice(0, 300)).not.toThrow();
      }),
      { numRuns: IN_PROCESS_RUNS, seed: SEED },
    );
    console.log(`fuzz in process: statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
    expect(ingest.logLines.filter((l) => l.includes('unhandled error in ingest'))).toEqual([]);
    // The generators reach past validation: some requests were accepted, most refused.
    expect(statuses.get(202) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(400) ?? 0).toBeGreaterThan(0);
  });
});

describe('fuzzing the running ingest over HTTP', () => {
  let stack: Stack;
  const agent = new Agent({ keepAlive: true, maxSockets: HTTP_CONCURRENCY });
  beforeAll(async () => {
    stack = await startStack({
      server: { return_async: 'false' },
      env: { PUSHWIRE_MAX_BODY_BYTES: String(MAX_BODY_BYTES) },
    });
  });
  afterAll(async () => {
    agent.destroy();
    await stack?.close();
  });

  /** Sends raw bytes as given (content-length set, or chunked), and reads the whole answer. */
  function send(req: FuzzRequest, chunked = false): Promise<{ status: number; text: string }> {
    return new Promise((resolve) => {
      const headers: Record<string, string | number> = { ...req.headers };
      if (req.body && !chunked) headers['content-length'] = req.body.byteLength;
      const r = httpRequest(`${stack.url}${req.path}`, { method: req.method, headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
        res.on('error', (e) => resolve({ status: 0, text: e.message }));
      });
      r.on('error', (e) => resolve({ status: 0, text: e.message }));
      if (req.body) r.write(req.body);
      r.end();
    });
  }

  async function sendAll(requests: readonly FuzzRequest[], chunkedEvery = 0): Promise<Map<number, string[]>> {
    const seen = new Map<number, string[]>();
    let next = 0;
    await Promise.all(
      Array.from({ length: HTTP_CONCURRENCY }, async () => {
        for (let i = next++; i < requests.length; i = next++) {
          const { status, text } = await send(requests[i]!, chunkedEvery > 0 && i % chunkedEvery === 0);
          seen.set(status, [
            ...(seen.get(status) ?? []),
            `${requests[i]!.method} ${requests[i]!.path}: ${text.slice(0, 200)}`,
          ]);
        }
      }),
    );
    return seen;
  }

  it('keeps the ingest process up and its memory flat', async () => {
    const arb = fuzzRequest({ appIds: [SYLK_APP, LINPHONE_APP], maxBodyBytes: MAX_BODY_BYTES });
    const pid = stack.ingest.pid;
    await sendAll(fc.sample(arb, { numRuns: HTTP_WARMUP, seed: SEED + 1 }));
    const rssBefore = rssBytes(pid);

    const seen = await sendAll(fc.sample(arb, { numRuns: HTTP_RUNS, seed: SEED + 2 }), 7);
    // Bodies over the limit, declared or streamed (chunked), answered 413 without being read to the end.
    const oversized: FuzzRequest[] = [MAX_BODY_BYTES + 1, 256 * 1024, 4 * MB].flatMap((n) => {
      const body = new TextEncoder().encode(JSON.stringify({ 'app-id': SYLK_APP, content: 'x'.repeat(n) }));
      return [{ method: 'POST', path: '/push', headers: { 'content-type': 'application/json' }, body }];
    });
    const big = [...(await sendAll(oversized)).entries(), ...(await sendAll(oversized, 1)).entries()];
    const rssAfter = rssBytes(pid);

    const statuses = Object.fromEntries([...seen.entries()].map(([s, l]) => [s, l.length]));
    console.log(
      `fuzz over HTTP: statuses ${JSON.stringify(statuses)}; oversized ${JSON.stringify(big.map(([s, l]) => [s, l.length]))}; ` +
        `ingest RSS ${(rssBefore / MB).toFixed(1)} MB -> ${(rssAfter / MB).toFixed(1)} MB`,
    );

    expect([...seen.keys()].filter(serverFault).map((s) => seen.get(s)!.slice(0, 3))).toEqual([]);
    // Every request got an answer (no connection reset by a crashed or wedged server).
    expect(seen.get(0) ?? []).toEqual([]);
    // An over-limit body is refused, or the connection is cut while it is still being sent.
    expect(big.filter(([s]) => s !== 413 && s !== 0)).toEqual([]);
    expect(big.some(([s]) => s === 413)).toBe(true);
    expect(stack.ingest.process.exitCode).toBeNull();
    expect((await fetch(`${stack.url}/healthz`)).status).toBe(200);
    expect(rssAfter - rssBefore).toBeLessThan(MAX_RSS_GROWTH_BYTES);
  });
});
