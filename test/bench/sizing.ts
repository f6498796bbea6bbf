// `pnpm bench:sizing`: the figures behind the README's Sizing table, measured on private stacks (a Redis, the
// sandbox emulators, `pushwire ingest` and `pushwire worker` processes), async answers (`return_async = false`):
//   - Redis memory per waiting job (INFO memory before/after N pushes accepted with no worker running), and per
//     delivered job while BullMQ keeps it (the audit window);
//   - CPU per push of ingest, of the workers and of Redis (/proc and INFO cpu), Redis commands per push, and the
//     end-to-end delivery rate, with 1 and then 2 worker processes.
// From those: pushes/s one Redis primary carries (Redis runs commands on one core), and pushes/s per core of a
// worker and of ingest (each Node process uses one core for its JavaScript). SIZING_N (default 5000) pushes
// per measured run, after a warm-up of SIZING_N / 10; figures go to stdout and test/bench/results/sizing.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { startStack, type Stack, type StackOptions } from '../harness/stack.js';
import { runTimeoutMs, startBenchChild, type BenchChild } from './bench-child.js';
import { BENCH_APP_SECTION, ID_FIELD, V1_PUSH_BODY } from './bench-pushes.js';
import { closeEverythingOnSignals, withCleanup } from './cleanup.js';
import { waitForDeliveries } from './deliveries.js';
import type { HttpLoadRun } from './http-load.js';
import type { LoadResult } from './load-types.js';
import { sampleProcess } from './proc-stats.js';
import { describeMachine } from './results.js';

const N = positive('SIZING_N', 5000);
const WARMUP = Math.max(100, Math.round(N / 10));
const CONCURRENCY = 50;
const OUT = fileURLToPath(new URL('./results/sizing.json', import.meta.url));
// Call wake-ups whose 60 s deadline would expire in a long backlog: an hour keeps every push deliverable.
const STACK: StackOptions = {
  server: { return_async: 'false' },
  appExtras: { [BENCH_APP_SECTION]: { call_deadline: '3600' } },
};

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  const value = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isInteger(value) || value < 100)
    throw new Error(`${name} must be a whole number of at least 100, got ${raw}`);
  return value;
}

/** INFO fields of the stack's Redis, as numbers. */
async function info(redis: Redis, section: string): Promise<Record<string, number>> {
  const text = await redis.info(section);
  return Object.fromEntries(
    text
      .split('\r\n')
      .map((line) => line.split(':'))
      .filter((kv): kv is [string, string] => kv.length === 2 && kv[1] !== '' && !Number.isNaN(Number(kv[1])))
      .map(([k, v]) => [k, Number(v)]),
  );
}
const redisCpuS = async (redis: Redis) => {
  const cpu = await info(redis, 'cpu');
  return (cpu.used_cpu_sys ?? 0) + (cpu.used_cpu_user ?? 0);
};
const usedMemory = async (redis: Redis) => (await info(redis, 'memory')).used_memory ?? 0;
const commandsProcessed = async (redis: Redis) => (await info(redis, 'stats')).total_commands_processed ?? 0;

/** Sends `count` async pushes with call-ids `<prefix>-<i>`; every one must be answered 202. */
async function send(stack: Stack, load: BenchChild, prefix: string, count: number): Promise<LoadResult> {
  const command: HttpLoadRun = {
    origin: stack.url,
    path: '/push',
    body: { ...V1_PUSH_BODY },
    idField: ID_FIELD,
    expectedStatus: 202,
    idPrefix: prefix,
    count,
    concurrency: CONCURRENCY,
  };
  const result = await load.call<LoadResult>(command, runTimeoutMs(count));
  if ((result.statuses['202'] ?? 0) !== count)
    throw new Error(
      `${prefix}: not every push was accepted: ${JSON.stringify(result.statuses)} (${result.firstProblem})`,
    );
  return result;
}

async function withBenchStack<T>(
  options: StackOptions,
  body: (stack: Stack, load: BenchChild, redis: Redis) => Promise<T>,
): Promise<T> {
  return withCleanup(async (defer) => {
    const stack = await startStack(options);
    defer('stack', () => stack.close());
    const load = await startBenchChild('./http-load.ts');
    defer('load generator', () => load.close());
    const redis = new Redis(stack.redis.url);
    defer('redis client', async () => redis.disconnect());
    return body(stack, load, redis);
  });
}

/** Memory: N pushes accepted while no worker runs (all waiting), then delivered by one worker (kept as completed). */
async function measureMemory() {
  return withBenchStack({ ...STACK, workers: 0 }, async (stack, load, redis) => {
    await send(stack, load, 'mem-warmup', WARMUP);
    const before = await usedMemory(redis);
    await send(stack, load, 'mem', N);
    const waiting = await usedMemory(redis);
    const queue = 'push.apple.com.pushwire.sandbox.sylk.dev';
    const waitingJobs = await redis.llen(`pushwire:${queue}:wait`);
    if (waitingJobs !== N + WARMUP) throw new Error(`expected ${N + WARMUP} waiting jobs, found ${waitingJobs}`);
    const sampleIds = await redis.lrange(`pushwire:${queue}:wait`, 0, 99);
    const hashBytes = await Promise.all(
      sampleIds.map(async (id) =>
        Number(await redis.call('MEMORY', 'USAGE', `pushwire:${queue}:${id}`, 'SAMPLES', '0')),
      ),
    );
    await stack.startWorker();
    await waitForDeliveries(stack.sandbox.apns, 'mem', N + WARMUP);
    // Until the last job is marked completed, not only sent.
    for (
      let i = 0;
      (await redis.llen(`pushwire:${queue}:wait`)) + (await redis.llen(`pushwire:${queue}:active`)) > 0;
      i++
    ) {
      if (i > 600) throw new Error('jobs still waiting or active 30 s after their delivery');
      await new Promise((r) => setTimeout(r, 50));
    }
    const completed = await usedMemory(redis);
    return {
      pushes: N,
      bytesPerWaitingJob: Math.round((waiting - before) / N),
      jobHashBytes: Math.round(hashBytes.reduce((a, b) => a + b, 0) / hashBytes.length),
      bytesPerCompletedJobKept: Math.round((completed - before) / N),
      usedMemoryMb: { before: mb(before), waiting: mb(waiting), completed: mb(completed) },
    };
  });
}

/** CPU and rate with `workers` worker processes. */
async function measureThroughput(workers: number) {
  return withBenchStack({ ...STACK, workers }, async (stack, load, redis) => {
    const { apns } = stack.sandbox;
    await send(stack, load, `w${workers}-warmup`, WARMUP);
    await waitForDeliveries(apns, `w${workers}-warmup`, WARMUP);
    apns.reset();
    const pids = { ingest: stack.ingest.pid, workers: stack.workers.map((w) => w.pid) };
    const cpu = () => ({
      ingest: sampleProcess(pids.ingest).cpuS,
      workers: pids.workers.map((pid) => sampleProcess(pid).cpuS),
    });
    const start = {
      at: Date.now(),
      cpu: cpu(),
      redisCpu: await redisCpuS(redis),
      commands: await commandsProcessed(redis),
    };
    const http = await send(stack, load, `w${workers}-run`, N);
    const delivery = await waitForDeliveries(apns, `w${workers}-run-`, N);
    const end = { cpu: cpu(), redisCpu: await redisCpuS(redis), commands: await commandsProcessed(redis) };
    const elapsedS = Math.max(1, delivery.lastAt - start.at) / 1000;
    const workerCpuS = end.cpu.workers.reduce((a, b) => a + b, 0) - start.cpu.workers.reduce((a, b) => a + b, 0);
    const perPushMs = (s: number) => round2((s * 1000) / N);
    return {
      workers,
      pushes: N,
      acceptedPerS: Math.round(http.ratePerS),
      deliveredPerS: Math.round(N / elapsedS),
      cpuMsPerPush: {
        ingest: perPushMs(end.cpu.ingest - start.cpu.ingest),
        workers: perPushMs(workerCpuS),
        redis: perPushMs(end.redisCpu - start.redisCpu),
      },
      redisCommandsPerPush: round2((end.commands - start.commands) / N),
    };
  });
}

const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
const round2 = (x: number) => Math.round(x * 100) / 100;
const perCore = (cpuMsPerPush: number) => Math.round(1000 / cpuMsPerPush);

async function main(): Promise<void> {
  const machine = describeMachine();
  process.stderr.write(`sizing: N=${N} (warm-up ${WARMUP}), ${CONCURRENCY} callers, ${machine.cpus} cores\n`);
  const memory = await measureMemory();
  process.stderr.write(`sizing: memory ${JSON.stringify(memory)}\n`);
  const runs = [];
  for (const workers of [1, 2]) {
    const run = await measureThroughput(workers);
    process.stderr.write(`sizing: ${JSON.stringify(run)}\n`);
    runs.push(run);
  }
  // The per-push CPU of the 1-worker run: a second worker on 2 shared cores adds contention, not work.
  const base = runs[0]!;
  const derived = {
    redisPushesPerSPerPrimary: perCore(base.cpuMsPerPush.redis),
    workerPushesPerSPerCore: perCore(base.cpuMsPerPush.workers),
    ingestPushesPerSPerCore: perCore(base.cpuMsPerPush.ingest),
  };
  // Other processes on the machine slow the rates down; the CPU per push moves much less.
  const loadAverageAtEnd = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const results = {
    date: new Date().toISOString(),
    machine,
    loadAverageAtEnd,
    n: N,
    concurrency: CONCURRENCY,
    memory,
    runs,
    derived,
  };
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
  const rows = [
    [
      'Redis memory per waiting job',
      `${(memory.bytesPerWaitingJob / 1024).toFixed(1)} KiB (job hash alone ${(memory.jobHashBytes / 1024).toFixed(1)} KiB)`,
    ],
    ['Redis memory per delivered job kept', `${(memory.bytesPerCompletedJobKept / 1024).toFixed(1)} KiB`],
    ...runs.map((r) => [
      `${r.workers} worker(s): accepted / delivered`,
      `${r.acceptedPerS} / ${r.deliveredPerS} pushes/s`,
    ]),
    ...runs.map((r) => [
      `${r.workers} worker(s): CPU per push`,
      `ingest ${r.cpuMsPerPush.ingest} ms, workers ${r.cpuMsPerPush.workers} ms, Redis ${r.cpuMsPerPush.redis} ms; ${r.redisCommandsPerPush} Redis commands`,
    ]),
    ['pushes/s one Redis primary carries (1 core)', String(derived.redisPushesPerSPerPrimary)],
    ['pushes/s per core: a worker / ingest', `${derived.workerPushesPerSPerCore} / ${derived.ingestPushesPerSPerCore}`],
    ['load average at start / end', `${machine.loadAverageAtStart} / ${loadAverageAtEnd} (${machine.cpus} cores)`],
  ];
  const width = Math.max(...rows.map(([k]) => k!.length));
  process.stdout.write(
    `\n${rows.map(([k, v]) => `${k!.padEnd(width)}  ${v}`).join('\n')}\n\nfigures in ${join('test/bench/results', 'sizing.json')}\n`,
  );
}

const run = main();
closeEverythingOnSignals(run);
run.then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `\nsizing failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
