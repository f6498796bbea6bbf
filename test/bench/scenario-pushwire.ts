// The Pushwire scenarios: the async path (202), the same with two workers, the sync path (Apple's answer) closed
// and open loop, and a v2 fan-out, each against a whole stack (private Redis, emulators, and the compiled
// `pushwire ingest` + `pushwire worker` processes, see bench-stack.ts).
import { startBenchStack, type BenchStack, type BenchStackOptions } from './bench-stack.js';
import { runTimeoutMs, startBenchChild, type BenchChild } from './bench-child.js';
import {
  BENCH_APP_SECTION,
  ID_FIELD,
  V1_PUSH_BODY,
  V2_ACCOUNT,
  V2_DEVICES,
  V2_PUSH_BODY,
  v2Device,
} from './bench-pushes.js';
import { withCleanup } from './cleanup.js';
import { waitForDeliveries } from './deliveries.js';
import type { HttpLoadRun } from './http-load.js';
import { perSecond } from './latency.js';
import type { LoadResult } from './load-types.js';
import type { OpenLoopResult, OpenLoopRun } from './open-loop.js';
import type { BenchParams } from './params.js';
import { cpuSeconds, sampleProcess, usageBetween, type ProcessSample } from './proc-stats.js';
import type { OpenLoopScenario, PushwireScenario } from './results.js';

/** What one scenario sends and what a successful answer is. */
interface PushLoad {
  name: string;
  path: string;
  body: Readonly<Record<string, unknown>>;
  expectedStatus: number;
  /** Emulator deliveries each push owes (devices of the account; 1 for v1). */
  devices: number;
}

// A call wake-up's deadline (60 s) would turn a slow machine's backlog into 408s that never reach the
// emulator; an hour keeps every push deliverable, so the bench measures speed, not expiry.
export const BENCH_STACK_OPTIONS: BenchStackOptions = { appExtras: { [BENCH_APP_SECTION]: { call_deadline: '3600' } } };

const ASYNC_PUSH: PushLoad = { name: 'async', path: '/push', body: V1_PUSH_BODY, expectedStatus: 202, devices: 1 };

/** Scenario C: `return_async = false`, so ingest answers 202 once Redis holds the job. */
export function runPushwireAsync(params: BenchParams): Promise<PushwireScenario> {
  return withStack({ ...BENCH_STACK_OPTIONS, server: { return_async: 'false' } }, (stack, load) =>
    measure(stack, load, params, ASYNC_PUSH),
  );
}

/** Scenario H: C with two worker processes on the same queues. */
export function runPushwireAsyncTwoWorkers(params: BenchParams): Promise<PushwireScenario> {
  return withStack({ ...BENCH_STACK_OPTIONS, server: { return_async: 'false' }, workers: 2 }, (stack, load) =>
    measure(stack, load, params, { ...ASYNC_PUSH, name: 'async2' }),
  );
}

/**
 * Scenarios D, E and G on one stack (the default sync mode): v1 pushes, pushes to a 3-device account, then v1
 * pushes open loop at a fixed rate.
 */
export function runPushwireSync(
  params: BenchParams,
): Promise<{ sync: PushwireScenario; v2: PushwireScenario; open: OpenLoopScenario }> {
  return withStack(BENCH_STACK_OPTIONS, async (stack, load) => {
    const sync = await measure(stack, load, params, {
      name: 'sync',
      path: '/push',
      body: V1_PUSH_BODY,
      expectedStatus: 200,
      devices: 1,
    });
    for (let n = 1; n <= V2_DEVICES; n++) {
      const added = await stack.post(`/v2/tokens/${V2_ACCOUNT}`, v2Device(n));
      if (added.status !== 200) throw new Error(`registering v2 device ${n} answered ${added.status}: ${added.text}`);
    }
    const v2 = await measure(stack, load, params, {
      name: 'v2',
      path: `/v2/tokens/${V2_ACCOUNT}/push`,
      body: V2_PUSH_BODY,
      expectedStatus: 200,
      devices: V2_DEVICES,
    });
    const open = await measureOpenLoop(stack, params);
    return { sync, v2, open };
  });
}

function withStack<T>(
  options: BenchStackOptions,
  body: (stack: BenchStack, load: BenchChild) => Promise<T>,
): Promise<T> {
  return withCleanup(async (defer) => {
    const stack = await startBenchStack(options);
    defer('Pushwire stack', () => stack.close());
    const load = await startBenchChild('./http-load.ts');
    defer('HTTP load generator', () => load.close());
    return body(stack, load);
  });
}

async function measure(
  stack: BenchStack,
  load: BenchChild,
  params: BenchParams,
  spec: PushLoad,
): Promise<PushwireScenario> {
  const apns = stack.sandbox.apns;
  const run = async (idPrefix: string, count: number) => {
    const command: HttpLoadRun = {
      origin: stack.url,
      path: spec.path,
      body: { ...spec.body },
      idField: ID_FIELD,
      expectedStatus: spec.expectedStatus,
      idPrefix,
      count,
      concurrency: params.concurrency,
    };
    const startedAt = Date.now();
    const http = await load.call<LoadResult>(command, runTimeoutMs(count * spec.devices));
    const accepted = http.statuses[spec.expectedStatus] ?? 0;
    if (accepted !== count) {
      throw new Error(
        `${spec.name}: ${accepted} of ${count} requests answered ${spec.expectedStatus} (first problem: ${http.firstProblem ?? 'none'})`,
      );
    }
    const delivery = await waitForDeliveries(apns, `${idPrefix}-`, count * spec.devices);
    // Only this run's requests stay in the emulator's log (and memory).
    apns.reset();
    return { http, delivery, startedAt };
  };

  await run(`${spec.name}-warmup`, params.warmup);
  const redisPid = await stack.redisPid();
  const sample = () => ({
    ingest: sampleProcess(stack.ingest.pid),
    workers: stack.workers.map((w) => sampleProcess(w.pid)),
    load: sampleProcess(load.pid),
    redis: sampleProcess(redisPid),
  });
  const before = sample();
  const emulatorBefore = process.cpuUsage();
  const { http, delivery, startedAt } = await run(`${spec.name}-run`, params.n);
  const emulatorCpu = process.cpuUsage(emulatorBefore);
  const after = sample();
  const deliveryMs = Math.max(1, delivery.lastAt - startedAt);
  const workers = after.workers.map((end, i) => usageBetween(before.workers[i]!, end));
  return {
    http,
    delivery: {
      expected: params.n * spec.devices,
      delivered: delivery.delivered,
      arrivals: delivery.arrivals,
      elapsedMs: deliveryMs,
      ratePerS: perSecond(delivery.delivered, deliveryMs),
    },
    processes: {
      ingest: usageBetween(before.ingest, after.ingest),
      worker: sumUsage(workers),
      ...(workers.length > 1 ? { workers } : {}),
      loadGenerator: usageBetween(before.load, after.load),
      redis: usageBetween(before.redis, after.redis),
    },
    emulatorCpuS: cpuSeconds(emulatorCpu),
  };
}

/** Several workers as one: CPU added up, memory of the largest. */
function sumUsage(usages: ReturnType<typeof usageBetween>[]): ReturnType<typeof usageBetween> {
  const largest = (key: 'rssStartMb' | 'rssEndMb' | 'peakRssMb') => Math.max(...usages.map((u) => u[key]));
  return {
    rssStartMb: largest('rssStartMb'),
    rssEndMb: largest('rssEndMb'),
    peakRssMb: largest('peakRssMb'),
    cpuS: Math.round(usages.reduce((sum, u) => sum + u.cpuS, 0) * 100) / 100,
  };
}

/** Scenario G: sync `POST /push` at a fixed rate from a generator that never waits for answers. */
async function measureOpenLoop(stack: BenchStack, params: BenchParams): Promise<OpenLoopScenario> {
  return withCleanup(async (defer) => {
    const load = await startBenchChild('./open-loop.ts');
    defer('open-loop generator', () => load.close());
    const run = (idPrefix: string, durationMs: number) => {
      const command: OpenLoopRun = {
        origin: stack.url,
        path: '/push',
        body: { ...V1_PUSH_BODY },
        idField: ID_FIELD,
        idPrefix,
        expectedStatus: 200,
        ratePerS: params.openRate,
        durationMs,
        connections: 256,
      };
      return load.call<OpenLoopResult>(command, runTimeoutMs(Math.round((params.openRate * durationMs) / 1000)));
    };
    // A short warm-up at the same rate: connections open, code warm.
    await run('open-warmup', 1000);
    stack.sandbox.apns.reset();
    const sample = (): ProcessSample[] => [stack.ingest.pid, stack.workers[0]!.pid].map(sampleProcess);
    const before = sample();
    const result = await run('open-run', params.openSeconds * 1000);
    const after = sample();
    stack.sandbox.apns.reset();
    // Not an error: past the sync wait (4 s) an answer is a 202, and the report shows how many were.
    return { ...result, ingest: usageBetween(before[0]!, after[0]!), worker: usageBetween(before[1]!, after[1]!) };
  });
}
