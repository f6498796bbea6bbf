// Scale-out topology: 1 ingest + 3 worker processes on one Redis. 3,000 pushes are all delivered, APNs sees at
// most one connection per Apple app per worker process, and a worker SIGKILLed mid-run loses nothing.
import { apnsBaseTopic } from '@pushwire/apps';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PUSH_TYPE_TOPIC_SUFFIX, type RecordedApnsRequest } from '@pushwire/sandbox-emulators';
import { startStack, type Stack } from '../harness/index.js';
import { byStatus, startLoad, type PushPost } from './support/load.js';
import {
  appleToken,
  deliveredIds,
  duplicateCount,
  LINPHONE_APP,
  linphoneCallPush,
  messagePush,
  SYLK_APP,
} from './support/pushes.js';
import { jobCounts, queuesIdle } from './support/queue-state.js';
import { tcpPortOwners } from './support/socket-owners.js';
import { waitUntil } from './support/wait-until.js';

const TOTAL = 3000;
const WORKERS = 3;
const CONCURRENCY = 50;
/** One worker is killed once this many pushes arrived: most of the run is still queued or in flight. */
const KILL_AFTER_DELIVERED = 800;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({
    workers: WORKERS,
    // 202 at once: the load measures the topology, not sync round trips.
    server: { return_async: 'false' },
    // Linphone wake-ups carry a call deadline; a slow shared machine must not turn this into an expiry test.
    appExtras: { 'linphone-apple': { call_deadline: '3600' } },
  });
});
afterAll(async () => {
  await stack?.close();
});

/** Three apps' queues: two Apple apps (one HTTP/2 connection each per worker) and one Firebase app. */
function pushFor(i: number, id: string): PushPost {
  switch (i % 3) {
    case 0:
      return { id, path: '/push', body: messagePush({ platform: 'apple', token: appleToken(7, i % 32), id }) };
    case 1:
      return { id, path: '/push', body: linphoneCallPush({ platform: 'apple', token: appleToken(8, i % 32), id }) };
    default:
      return { id, path: '/push', body: messagePush({ platform: 'firebase', token: `fcm-topology-${i % 32}`, id }) };
  }
}

/** The Apple app a request was for (its bundle id): the `apns-topic` without the push type's suffix (`.voip` ...). */
function appOf(request: RecordedApnsRequest): string {
  const topic = request.headers['apns-topic'] ?? '';
  const suffix = Object.values(PUSH_TYPE_TOPIC_SUFFIX).find((s) => s !== '' && topic.endsWith(s)) ?? '';
  return topic.slice(0, topic.length - suffix.length);
}

describe('topology: 1 ingest + 3 workers + Redis', () => {
  it('delivers 3,000 pushes with one APNs connection per app per worker, and survives a worker SIGKILL', async () => {
    const { apns } = stack.sandbox;
    const workerPids = stack.workers.map((w) => w.pid);
    // APNs connection id → the worker process that holds its socket, looked up while the connection is open.
    const owners = new Map<number, number>();
    const attribute = () => {
      const open = apns.connections().filter((c) => c.open && !owners.has(c.id));
      if (open.length === 0) return;
      const byPort = tcpPortOwners(workerPids, apns.port);
      for (const c of open) {
        const pid = byPort.get(c.remotePort);
        if (pid !== undefined) owners.set(c.id, pid);
      }
    };

    const ids = Array.from({ length: TOTAL }, (_, i) => `topology-${i}`);
    const load = startLoad(stack.url, CONCURRENCY, (i) => (ids[i] === undefined ? null : pushFor(i, ids[i]!)));
    const delivered = () => {
      attribute();
      return deliveredIds(stack.sandbox).size;
    };

    await waitUntil(() => delivered() >= KILL_AFTER_DELIVERED, {
      timeoutMs: 60_000,
      describe: () => `${delivered()} delivered`,
    });
    const victim = stack.workers[1]!;
    attribute();
    await victim.stop('SIGKILL');
    const deliveredAtKill = deliveredIds(stack.sandbox).size;
    const backlog = await jobCounts(stack.redis.url);

    const attempts = await load.done;
    expect([...byStatus(attempts).keys()]).toEqual([202]);
    // The kill came mid-run: pushes were in flight, and most of the load was still to come.
    expect(backlog.active + backlog.waiting).toBeGreaterThan(0);
    expect(deliveredAtKill).toBeLessThan(TOTAL / 2);
    // The two survivors take over what the dead worker held once BullMQ finds its jobs stalled (~15 s).
    await waitUntil(async () => delivered() === TOTAL && (await queuesIdle(stack.redis.url)), {
      timeoutMs: 90_000,
      describe: () => `${deliveredIds(stack.sandbox).size} of ${TOTAL} delivered`,
    });

    const counts = deliveredIds(stack.sandbox);
    expect(new Set(counts.keys())).toEqual(new Set(ids));
    // At least once: only what some worker held when the victim died may have been sent twice.
    expect(duplicateCount(counts)).toBeLessThanOrEqual(backlog.active);

    // Every APNs connection belongs to one of the workers, and each worker used at most one per Apple app.
    const connections = apns.connections();
    expect(
      connections
        .filter((c) => !owners.has(c.id))
        .map((c) => `connection ${c.id} (port ${c.remotePort}): no owner found`),
    ).toEqual([]);
    const perWorkerApp = new Map<string, Set<number>>();
    for (const request of apns.requests) {
      const key = `${owners.get(request.connection)} ${appOf(request)}`;
      perWorkerApp.set(key, (perWorkerApp.get(key) ?? new Set()).add(request.connection));
    }
    const connectionsUsed = [...perWorkerApp].map(([key, set]) => [key, set.size] as const);
    expect(connectionsUsed.filter(([, n]) => n > 1)).toEqual([]);
    const apps = new Set(apns.requests.map(appOf));
    expect(apps).toEqual(new Set([SYLK_APP, LINPHONE_APP].map(apnsBaseTopic)));
    expect(connections.length).toBeLessThanOrEqual(WORKERS * apps.size);
    // The load was shared: every worker, the victim included, sent to APNs.
    expect(new Set(owners.values())).toEqual(new Set(workerPids));

    console.log(
      `topology: ${JSON.stringify({
        delivered_at_kill: deliveredAtKill,
        waiting_at_kill: backlog.waiting,
        active_at_kill: backlog.active,
        duplicates: duplicateCount(counts),
        apns_connections: connections.length,
        connections_per_worker_app: Object.fromEntries(connectionsUsed),
      })}`,
    );
  });
});
