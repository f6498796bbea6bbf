// Real Redis topologies for the scale-out tests, as processes on free loopback ports: a Sentinel
// group (primary, replica, three Sentinels) and a Redis Cluster (3 primaries + 3 replicas).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, redisAnswers } from '../../services/pushwire/src/local-redis.js';

interface RedisProcess {
  readonly port: number;
  /** SIGSTOP / SIGCONT: the node keeps its connections but answers nothing. */
  freeze(frozen: boolean): void;
  stop(): Promise<void>;
}

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `redis-server` with `args` on `port`; resolves once it answers PING. */
async function startRedisProcess(dir: string, port: number, args: string[], sentinel = false): Promise<RedisProcess> {
  mkdirSync(dir, { recursive: true });
  let child: ChildProcess;
  if (sentinel) {
    // A Sentinel rewrites its config file: it needs one of its own.
    const conf = join(dir, 'sentinel.conf');
    writeFileSync(conf, `${args.join('\n')}\n`);
    child = spawn(
      'redis-server',
      [
        conf,
        '--sentinel',
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--logfile',
        join(dir, 'sentinel.log'),
      ],
      { stdio: 'ignore' },
    );
  } else {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--logfile',
        join(dir, 'redis.log'),
        '--save',
        '',
        '--maxmemory-policy',
        'noeviction',
        ...args,
      ],
      { stdio: 'ignore' },
    );
  }
  let exited = false;
  child.once('exit', () => (exited = true));
  await until(async () => {
    if (exited) throw new Error(`redis-server on ${port} exited; see ${dir}`);
    return redisAnswers('127.0.0.1', port);
  }, `redis-server on ${port}`);
  return {
    port,
    freeze(frozen) {
      if (!exited) child.kill(frozen ? 'SIGSTOP' : 'SIGCONT');
    },
    async stop() {
      if (exited) return;
      child.kill('SIGCONT');
      const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      await done;
    },
  };
}

export interface SentinelGroupOptions {
  /** The primary's name. Default `pwprimary`. */
  name?: string;
  /** Replicas of the primary. Default 1. */
  replicas?: number;
  /** Sentinel `down-after-milliseconds`. Default 2000. */
  downAfterMs?: number;
  /** Sentinel `failover-timeout`. Default 10000. */
  failoverTimeoutMs?: number;
}

export interface PrimaryKill {
  /** Port of the primary that was killed. */
  killed: number;
  /** Port of the replica the Sentinels promoted. */
  promoted: number;
  /** `performance.now()` when the kill was sent and when the promoted replica answered as a primary. */
  killedAt: number;
  promotedAt: number;
}

/** One private `redis-server` (no persistence, `noeviction`) on a free port, for tests that measure it whole. */
export async function startPrivateRedis(dir: string): Promise<{ url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const server = await startRedisProcess(dir, port, ['--appendonly', 'no']);
  return { url: `redis://127.0.0.1:${port}`, stop: () => server.stop() };
}

export interface SentinelGroup {
  /** `redis+sentinel://127.0.0.1:<s1>,.../<name>` */
  readonly url: string;
  readonly name: string;
  /** Port of the current primary, as the Sentinels report it. */
  primaryPort(): Promise<number>;
  /** `SENTINEL FAILOVER`, resolved once the Sentinels name the former replica as primary and it accepts writes. */
  failover(): Promise<void>;
  /** SIGKILL the current primary (an unplanned loss); resolves once the Sentinels promoted a replica and it answers as a primary. */
  killPrimary(): Promise<PrimaryKill>;
  /**
   * Starts the killed node again (on its port, with its data) and resolves once the Sentinels made it a
   * replica of the current primary and every replica is in sync: the group can lose a primary again.
   */
  restartKilled(port: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startSentinelGroup(
  dir: string,
  options: SentinelGroupOptions | string = {},
): Promise<SentinelGroup> {
  const o = typeof options === 'string' ? { name: options } : options;
  const name = o.name ?? 'pwprimary';
  const replicaCount = o.replicas ?? 1;
  const ports = await Promise.all(Array.from({ length: 1 + replicaCount + 3 }, () => freePort()));
  const dataPorts = ports.slice(0, 1 + replicaCount);
  const [s1, s2, s3] = ports.slice(1 + replicaCount);
  const p1 = dataPorts[0]!;
  const nodes = new Map<number, { process: RedisProcess; start: (primary: number) => Promise<RedisProcess> }>();
  const sentinels: RedisProcess[] = [];
  // AOF always on every node: "accepted" must survive the switch (docs/decisions/0010-accepted-means-stored.md).
  const durable = ['--appendonly', 'yes', '--appendfsync', 'always'];
  for (const [i, port] of dataPorts.entries()) {
    const nodeDir = join(dir, i === 0 ? 'primary' : `replica-${i}`);
    // A node restarted after a kill comes back as a replica of the current primary, as a supervisor would
    // start it (Sentinel alone would take ~10 s to notice and demote a returning primary).
    const start = (primary: number | null) =>
      startRedisProcess(nodeDir, port, [
        ...durable,
        ...(primary === null ? [] : ['--replicaof', '127.0.0.1', String(primary)]),
      ]);
    nodes.set(port, { process: await start(i === 0 ? null : p1), start });
  }
  const sentinelConf = [
    `sentinel monitor ${name} 127.0.0.1 ${p1} 2`,
    `sentinel down-after-milliseconds ${name} ${o.downAfterMs ?? 2000}`,
    `sentinel failover-timeout ${name} ${o.failoverTimeoutMs ?? 10000}`,
    `sentinel parallel-syncs ${name} ${replicaCount}`,
  ];
  for (const [i, port] of [s1!, s2!, s3!].entries())
    sentinels.push(await startRedisProcess(join(dir, `sentinel-${i}`), port, sentinelConf, true));
  const sentinel = new Redis({ port: s1!, host: '127.0.0.1', lazyConnect: true });
  await sentinel.connect();
  const primaryPort = async () =>
    Number(((await sentinel.call('SENTINEL', 'get-master-addr-by-name', name)) as string[])[1]);
  const roleOf = async (port: number): Promise<unknown[] | null> => {
    const r = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      retryStrategy: () => null,
      maxRetriesPerRequest: 0,
      connectTimeout: 500,
    });
    r.on('error', () => undefined);
    try {
      await r.connect();
      return (await r.role()) as unknown[];
    } catch {
      return null;
    } finally {
      r.disconnect();
    }
  };
  // Healthy: the Sentinels know each other and see every replica up, and the primary streams to all of them.
  const healthy = async () => {
    const replicas = ((await sentinel.call('SENTINEL', 'replicas', name)) as string[][]).map(fieldsOf);
    const others = (await sentinel.call('SENTINEL', 'sentinels', name)) as unknown[];
    const role = await roleOf(await primaryPort());
    const streaming = role?.[0] === 'master' ? (role[2] as unknown[]).length : 0;
    const up = replicas.filter((r) => !/s_down|o_down|disconnected/.test(r.flags ?? ''));
    return up.length >= replicaCount && others.length === 2 && streaming === replicaCount;
  };
  await until(healthy, 'sentinels ready');
  return {
    url: `redis+sentinel://127.0.0.1:${s1},127.0.0.1:${s2},127.0.0.1:${s3}/${name}`,
    name,
    primaryPort,
    async failover() {
      const before = await primaryPort();
      await sentinel.call('SENTINEL', 'FAILOVER', name);
      await until(async () => (await primaryPort()) !== before, 'sentinel switch-master');
      await until(async () => (await roleOf(await primaryPort()))?.[0] === 'master', 'new primary role');
    },
    async killPrimary() {
      const killed = await primaryPort();
      const node = nodes.get(killed);
      if (!node) throw new Error(`no node on ${killed}`);
      const killedAt = performance.now();
      await node.process.stop();
      let promoted = killed;
      await until(
        async () => {
          promoted = await primaryPort();
          return promoted !== killed && (await roleOf(promoted))?.[0] === 'master';
        },
        'sentinel promotion',
        30_000,
      );
      return { killed, promoted, killedAt, promotedAt: performance.now() };
    },
    async restartKilled(port) {
      const node = nodes.get(port);
      if (!node) throw new Error(`no node on ${port}`);
      node.process = await node.start(await primaryPort());
      await until(healthy, 'killed node back as a replica', 60_000);
    },
    async stop() {
      sentinel.disconnect();
      await Promise.all([...sentinels, ...[...nodes.values()].map((n) => n.process)].map((p) => p.stop()));
    },
  };
}

/** A Sentinel reply entry (`[k1, v1, k2, v2, …]`) as an object. */
function fieldsOf(entry: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (let i = 0; i + 1 < entry.length; i += 2) fields[entry[i]!] = entry[i + 1]!;
  return fields;
}

export interface LocalCluster {
  /** `redis+cluster://127.0.0.1:<p1>,...` */
  readonly url: string;
  readonly ports: readonly number[];
  /** Ports of the current primaries. */
  primaries(): Promise<number[]>;
  /** Port of the primary now serving `slot`, as the live nodes report it. */
  primaryOfSlot(slot: number): Promise<number>;
  /** Ports of the live replicas of the primary on `primaryPort`. */
  replicasOf(primaryPort: number): Promise<number[]>;
  /** Resolves once `count` replicas of `primaryPort` have their replication link up. */
  replicasInSync(primaryPort: number, count: number): Promise<void>;
  /** `CLUSTER FAILOVER` on a replica of the primary on `primaryPort`; resolves once the roles switched. */
  failover(primaryPort: number): Promise<number>;
  /** SIGSTOP (true) or SIGCONT (false) the node on `port`. */
  freeze(port: number, frozen: boolean): void;
  /** SIGKILL the node on `port` (an unplanned failure); resolves once the process is gone. */
  kill(port: number): Promise<void>;
  /**
   * Starts a killed node again on its own data and cluster config; resolves once it is a replica of
   * `primaryPort` (the replica promoted in its place) with its replication link up.
   */
  restart(port: number, primaryPort: number): Promise<void>;
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Primaries. Default 3. */
  primaries?: number;
  /** Replicas per primary. Default 1. */
  replicas?: number;
  /** `cluster-node-timeout`, ms: how long a silent primary takes to be failed over. Default 3000. */
  nodeTimeoutMs?: number;
  /**
   * AOF with `appendfsync always` on every node. Default true. Off where replicas alone hold what was accepted
   * (PUSHWIRE_REDIS_MIN_REPLICAS): a node then restarts empty and resyncs from its primary.
   */
  aof?: boolean;
}

export function clusterSupported(): boolean {
  const cli = spawnSync('redis-cli', ['--version'], { encoding: 'utf8' });
  return cli.status === 0;
}

export async function startCluster(dir: string, options: ClusterOptions = {}): Promise<LocalCluster> {
  const replicas = options.replicas ?? 1;
  const count = (options.primaries ?? 3) * (1 + replicas);
  const ports: number[] = [];
  const busPorts: number[] = [];
  for (let i = 0; i < count; i++) {
    ports.push(await freePort());
    busPorts.push(await freePort());
  }
  const durable = options.aof === false ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', 'always'];
  const startNode = (i: number) =>
    startRedisProcess(join(dir, `node-${i}`), ports[i]!, [
      ...durable,
      '--cluster-enabled',
      'yes',
      '--cluster-config-file',
      join(dir, `node-${i}`, 'nodes.conf'),
      '--cluster-port',
      String(busPorts[i]),
      '--cluster-node-timeout',
      String(options.nodeTimeoutMs ?? 3000),
      // A node that comes back resyncs at once (the default waits 5 s for more replicas to share the transfer).
      '--repl-diskless-sync-delay',
      '0',
      // Replicas stay with the primary they were given, whatever the kills and restarts do.
      '--cluster-allow-replica-migration',
      'no',
    ]);
  const processes: RedisProcess[] = await Promise.all(ports.map((_, i) => startNode(i)));
  const create = spawnSync(
    'redis-cli',
    [
      '--cluster',
      'create',
      ...ports.map((p) => `127.0.0.1:${p}`),
      '--cluster-replicas',
      String(replicas),
      '--cluster-yes',
    ],
    { encoding: 'utf8' },
  );
  if (create.status !== 0) {
    await Promise.all(processes.map((p) => p.stop()));
    throw new Error(`redis-cli --cluster create failed: ${create.stdout}\n${create.stderr}`);
  }
  const node = (port: number) => new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1 });
  const info = async (port: number, cmd: string[]) => {
    const r = node(port);
    try {
      await r.connect();
      return String(await r.call(cmd[0]!, ...cmd.slice(1)));
    } finally {
      r.disconnect();
    }
  };
  await until(async () => {
    const states = await Promise.all(ports.map((p) => info(p, ['CLUSTER', 'INFO'])));
    return states.every((s) => s.includes('cluster_state:ok') && s.includes(`cluster_known_nodes:${count}`));
  }, 'cluster state ok');
  // Only nodes that answer: a killed one is skipped.
  const ask = async <T>(port: number, cmd: string[]): Promise<T | undefined> => {
    const r = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
      connectTimeout: 500,
    });
    r.on('error', () => undefined);
    try {
      await r.connect();
      return (await r.call(cmd[0]!, ...cmd.slice(1))) as T;
    } catch {
      return undefined;
    } finally {
      r.disconnect();
    }
  };
  const primariesNow = async () => {
    const all = await Promise.all(
      ports.map(async (port) => ({ port, role: (await ask<unknown[]>(port, ['ROLE']))?.[0] })),
    );
    return all.filter((x) => x.role === 'master').map((x) => x.port);
  };
  const replicasOf = async (primaryPort: number) => {
    const found: number[] = [];
    for (const port of ports) {
      const role = await ask<unknown[]>(port, ['ROLE']);
      if (role?.[0] === 'slave' && Number(role[2]) === primaryPort) found.push(port);
    }
    return found;
  };
  return {
    url: `redis+cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`,
    ports,
    primaries: primariesNow,
    async primaryOfSlot(slot: number) {
      for (const port of ports) {
        const ranges = await ask<[number, number, [string, number]][]>(port, ['CLUSTER', 'SLOTS']);
        const owner = ranges?.find(([from, to]) => slot >= from && slot <= to)?.[2][1];
        if (owner !== undefined) return owner;
      }
      throw new Error(`no live node knows slot ${slot}`);
    },
    replicasOf,
    async replicasInSync(primaryPort: number, count: number) {
      await until(async () => {
        let synced = 0;
        for (const port of await replicasOf(primaryPort)) {
          if ((await ask<string>(port, ['INFO', 'replication']))?.includes('master_link_status:up')) synced++;
        }
        return synced >= count;
      }, `${count} replicas of ${primaryPort} in sync`);
    },
    freeze(port: number, frozen: boolean) {
      processes[ports.indexOf(port)]!.freeze(frozen);
    },
    async kill(port: number) {
      await processes[ports.indexOf(port)]!.stop();
    },
    async restart(port: number, primaryPort: number) {
      const i = ports.indexOf(port);
      processes[i] = await startNode(i);
      await until(async () => {
        const info = await ask<string>(port, ['INFO', 'replication']);
        return (
          !!info &&
          info.includes('role:slave') &&
          info.includes(`master_port:${primaryPort}`) &&
          info.includes('master_link_status:up')
        );
      }, `node ${port} back as a replica of ${primaryPort}`);
    },
    async failover(primaryPort: number) {
      // The replica whose primary is `primaryPort`.
      let replicaPort: number | undefined;
      for (const port of ports) {
        const r = node(port);
        try {
          await r.connect();
          const role = (await r.role()) as unknown[];
          if (role[0] === 'slave' && Number(role[2]) === primaryPort) replicaPort = port;
        } finally {
          r.disconnect();
        }
      }
      if (replicaPort === undefined) throw new Error(`no replica of ${primaryPort}`);
      // A manual failover: the replica catches up with its primary's stream before it takes over (no loss).
      await info(replicaPort, ['CLUSTER', 'FAILOVER']);
      await until(async () => (await primariesNow()).includes(replicaPort!), 'cluster failover');
      return replicaPort;
    },
    async stop() {
      await Promise.all(processes.map((p) => p.stop()));
    },
  };
}
