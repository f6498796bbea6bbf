// Real Redis topologies for the scale-out tests (issue 10), as processes on free loopback ports: a Sentinel
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
    child = spawn('redis-server', [conf, '--sentinel', '--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--logfile', join(dir, 'sentinel.log')], { stdio: 'ignore' });
  } else {
    child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--logfile', join(dir, 'redis.log'), '--save', '', '--maxmemory-policy', 'noeviction', ...args], { stdio: 'ignore' });
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

export interface SentinelGroup {
  /** `redis+sentinel://127.0.0.1:<s1>,.../<name>` */
  readonly url: string;
  readonly name: string;
  /** Port of the current primary, as the Sentinels report it. */
  primaryPort(): Promise<number>;
  /** `SENTINEL FAILOVER`, resolved once the Sentinels name the former replica as primary and it accepts writes. */
  failover(): Promise<void>;
  stop(): Promise<void>;
}

export async function startSentinelGroup(dir: string, name = 'pwprimary'): Promise<SentinelGroup> {
  const [p1, p2, s1, s2, s3] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const processes: RedisProcess[] = [];
  // AOF always on both: "accepted" must survive the switch (DECISIONS 10).
  const durable = ['--appendonly', 'yes', '--appendfsync', 'always'];
  processes.push(await startRedisProcess(join(dir, 'primary'), p1!, durable));
  processes.push(await startRedisProcess(join(dir, 'replica'), p2!, [...durable, '--replicaof', '127.0.0.1', String(p1)]));
  const sentinelConf = [
    `sentinel monitor ${name} 127.0.0.1 ${p1} 2`,
    `sentinel down-after-milliseconds ${name} 2000`,
    `sentinel failover-timeout ${name} 10000`,
    `sentinel parallel-syncs ${name} 1`,
  ];
  for (const [i, port] of [s1!, s2!, s3!].entries()) processes.push(await startRedisProcess(join(dir, `sentinel-${i}`), port, sentinelConf, true));
  const sentinel = new Redis({ port: s1!, host: '127.0.0.1', lazyConnect: true });
  await sentinel.connect();
  const primaryPort = async () => Number(((await sentinel.call('SENTINEL', 'get-master-addr-by-name', name)) as string[])[1]);
  // Ready when the Sentinels see the replica (a failover needs one) and know each other.
  await until(async () => {
    const replicas = (await sentinel.call('SENTINEL', 'replicas', name)) as string[][];
    const sentinels = (await sentinel.call('SENTINEL', 'sentinels', name)) as unknown[];
    return replicas.length === 1 && sentinels.length === 2;
  }, 'sentinels ready');
  return {
    url: `redis+sentinel://127.0.0.1:${s1},127.0.0.1:${s2},127.0.0.1:${s3}/${name}`,
    name,
    primaryPort,
    async failover() {
      const before = await primaryPort();
      await sentinel.call('SENTINEL', 'FAILOVER', name);
      await until(async () => (await primaryPort()) !== before, 'sentinel switch-master');
      const next = new Redis({ port: await primaryPort(), host: '127.0.0.1', lazyConnect: true });
      await next.connect();
      try {
        await until(async () => ((await next.role()) as unknown[])[0] === 'master', 'new primary role');
      } finally {
        next.disconnect();
      }
    },
    async stop() {
      sentinel.disconnect();
      await Promise.all(processes.map((p) => p.stop()));
    },
  };
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
      ...durable, '--cluster-enabled', 'yes', '--cluster-config-file', join(dir, `node-${i}`, 'nodes.conf'),
      '--cluster-port', String(busPorts[i]), '--cluster-node-timeout', String(options.nodeTimeoutMs ?? 3000),
      // A node that comes back resyncs at once (the default waits 5 s for more replicas to share the transfer).
      '--repl-diskless-sync-delay', '0',
      // Replicas stay with the primary they were given, whatever the kills and restarts do.
      '--cluster-allow-replica-migration', 'no',
    ]);
  const processes: RedisProcess[] = await Promise.all(ports.map((_, i) => startNode(i)));
  const create = spawnSync('redis-cli', ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', String(replicas), '--cluster-yes'], { encoding: 'utf8' });
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
    const r = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 500 });
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
    const all = await Promise.all(ports.map(async (port) => ({ port, role: (await ask<unknown[]>(port, ['ROLE']))?.[0] })));
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
        return !!info && info.includes('role:slave') && info.includes(`master_port:${primaryPort}`) && info.includes('master_link_status:up');
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
