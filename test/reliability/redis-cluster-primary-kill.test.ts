// A Redis Cluster primary lost without warning (SIGKILL, not CLUSTER FAILOVER) under load, with
// PUSHWIRE_REDIS_MIN_REPLICAS=1 and async answers: every push answered 2xx is delivered, and processing of the
// busy queue resumes within 5 s of the promotion. Repeated to catch an intermittent hang, for ingest + two
// workers and for `pushwire start`. Each primary has two replicas, so the promoted one still has a replica to
// acknowledge pushes; the killed node then comes back as a replica for the next run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { keyPart, keySlot } from '@pushwire/redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../services/pushwire/src/local-redis.js';
import { startSandbox, type Sandbox } from '@pushwire/sandbox-emulators';
import { spawnPushwire, startStack, type ChildService } from '../harness/index.js';
import { clusterSupported, startCluster, type LocalCluster } from '../harness/redis-topologies.js';
import { pushThroughPrimaryKill, type PrimaryKillResult } from './support/primary-kill-load.js';
import { appleToken, messagePush, SYLK_APP } from './support/pushes.js';
import { waitUntil } from './support/wait-until.js';

/** Kills per process layout. CI keeps the default small; run more once locally (e.g. 25). */
const RUNS = Number(process.env.PUSHWIRE_TEST_CLUSTER_KILLS ?? 3);
/** `cluster-node-timeout`: a silent primary is failed over ~1–2 s later. */
const NODE_TIMEOUT_MS = 1000;

const supported = clusterSupported();
if (!supported) console.warn('redis-cluster-primary-kill: skipped, redis-cli is missing (it creates the cluster)');

interface Target {
  url: string;
  sandbox: Sandbox;
  close(): Promise<void>;
}

const ENV = { PUSHWIRE_REDIS_MIN_REPLICAS: '1' };
const SERVER = { return_async: 'false' };

async function separateProcesses(redisUrl: string): Promise<Target> {
  const stack = await startStack({ server: SERVER, env: { REDIS_URL: redisUrl, ...ENV }, workers: 2 });
  return { url: stack.url, sandbox: stack.sandbox, close: () => stack.close() };
}

async function oneProcess(redisUrl: string, dir: string): Promise<Target> {
  const port = await freePort();
  const sandbox = await startSandbox({ dir: join(dir, 'config'), server: { port: String(port), ...SERVER } });
  const proc: ChildService = spawnPushwire(['start', '--config_dir', sandbox.configDir], {
    REDIS_URL: redisUrl,
    PUSHWIRE_HOME: join(dir, 'home'),
    ...ENV,
  });
  try {
    await Promise.all([proc.waitFor('Pushwire ingest listening'), proc.waitFor('Pushwire worker consuming')]);
  } catch (error) {
    await proc.stop('SIGKILL');
    await sandbox.close();
    throw error;
  }
  return {
    url: `http://127.0.0.1:${port}`,
    sandbox,
    async close() {
      await proc.stop();
      await sandbox.close();
    },
  };
}

async function post(target: Target, body: unknown): Promise<number> {
  const res = await fetch(`${target.url}/push`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

/** Runs `action` while every replica of `primary` is stopped (SIGSTOP), then waits for them to catch up. */
async function withReplicasFrozen<T>(primary: number, action: () => Promise<T>): Promise<T> {
  const replicas = await cluster.replicasOf(primary);
  for (const port of replicas) cluster.freeze(port, true);
  try {
    return await action();
  } finally {
    for (const port of replicas) cluster.freeze(port, false);
    await cluster.replicasInSync(primary, replicas.length);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'pushwire-cluster-kill-'));
let cluster: LocalCluster;
beforeAll(async () => {
  if (supported)
    cluster = await startCluster(join(dir, 'cluster'), { replicas: 2, nodeTimeoutMs: NODE_TIMEOUT_MS, aof: false });
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const layouts = [
  { name: 'ingest + two workers', start: (url: string) => separateProcesses(url) },
  { name: 'pushwire start', start: (url: string) => oneProcess(url, join(dir, 'start')) },
];

describe.skipIf(!supported).each(layouts)('Redis Cluster primary killed under load: $name', ({ name, start }) => {
  let target: Target;
  beforeAll(async () => {
    target = await start(cluster.url);
  }, 60_000);
  afterAll(async () => {
    await target?.close();
  });

  // The primary serving the Apple queue's slot: the one most pushes go to.
  const slot = keySlot(`{pushwire:push.apple.${SYLK_APP}}`);

  // WAIT must reach the primary that holds what was written: with its replicas silent, a push is refused.
  it.runIf(name === layouts[0]!.name)(
    "refuses a push whose slot's replicas do not acknowledge it, accepts others",
    async () => {
      const primary = await cluster.primaryOfSlot(slot);
      const other = await cluster.primaryOfSlot(keySlot(`{pushwire:push.firebase.${SYLK_APP}}`));
      const results = await withReplicasFrozen(primary, () =>
        Promise.all([
          ...Array.from({ length: 6 }, (_, i) =>
            post(target, messagePush({ platform: 'apple', token: appleToken(12, i), id: `frozen-apple-${i}` })),
          ),
          post(target, messagePush({ platform: 'firebase', token: 'fcm-frozen', id: 'frozen-firebase' })),
        ]),
      );
      expect(results.slice(0, 6)).toEqual(Array(6).fill(503));
      if (other !== primary) expect(results[6]).toBe(202);
    },
  );

  it.runIf(name === layouts[0]!.name)("refuses a cancel whose markers' replicas do not acknowledge them", async () => {
    const jobPrimary = await cluster.primaryOfSlot(slot);
    // Call-ids whose cancel markers live on another primary than the Apple queue's jobs.
    const primaries = await cluster.primaries();
    const markers = primaries.find((p) => p !== jobPrimary)!;
    const callIds: string[] = [];
    for (let i = 0; callIds.length < 3; i++) {
      const id = `frozen-cancel-${i}`;
      if (
        (await cluster.primaryOfSlot(keySlot(`pushwire:cancelled:{${keyPart(SYLK_APP)}:${keyPart(id)}}`))) === markers
      )
        callIds.push(id);
    }
    const cancel = (id: string) => ({
      ...messagePush({ platform: 'apple', token: appleToken(13, 1), id }),
      event: 'cancel',
      'media-type': 'audio',
    });
    const results = await withReplicasFrozen(markers, () =>
      Promise.all([
        ...callIds.map((id) => post(target, cancel(id))),
        post(target, messagePush({ platform: 'apple', token: appleToken(13, 2), id: 'frozen-not-cancel' })),
      ]),
    );
    expect(results).toEqual([503, 503, 503, 202]);
  });

  it.each(Array.from({ length: RUNS }, (_, i) => i + 1))(`run %i of ${RUNS}`, async (run) => {
    const victim = await cluster.primaryOfSlot(slot);
    const replicas = await cluster.replicasOf(victim);
    // The promoted replica needs one of its own to acknowledge pushes.
    expect(replicas.length).toBeGreaterThanOrEqual(2);
    let promoted = 0;
    let result: PrimaryKillResult;
    try {
      result = await pushThroughPrimaryKill(target, {
        tag: `kill-${name.replace(/\W+/g, '-')}-${run}`,
        concurrency: 6,
        killAfter: 100,
        kill: () => cluster.kill(victim),
        promoted: () =>
          waitUntil(
            async () => {
              const primaries = await cluster.primaries();
              promoted = replicas.find((port) => primaries.includes(port)) ?? 0;
              return promoted !== 0;
            },
            { timeoutMs: 20_000, describe: () => `no replica of ${victim} promoted` },
          ),
        resumeWithinMs: 5000,
        afterPromotion: 100,
        drainMs: 30_000,
      });
    } finally {
      // The killed node comes back as a replica of the promoted one: the next run kills that.
      if (promoted !== 0) await cluster.restart(victim, promoted);
    }
    console.log(
      `redis-cluster-primary-kill ${name} run ${run}: ${JSON.stringify({ ...result, accepted: result.accepted.length, undelivered: result.undelivered.length })}`,
    );
    expect(result.undelivered).toEqual([]);
    expect(result.accepted.length).toBeGreaterThan(200);
    // At least once: a push completed just before the kill, whose completion had not reached the replica, repeats
    // (with a busy CPU a replica lags: up to ~20% of a run was seen in 50 runs).
    expect(result.duplicates).toBeLessThanOrEqual(result.accepted.length * 0.3);
  });
});
