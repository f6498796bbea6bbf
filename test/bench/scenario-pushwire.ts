// The Pushwire scenarios: the async path (202), the sync path (Apple's answer) and a v2 fan-out, each against
// a whole stack (private Redis, emulators, `pushwire ingest` + `pushwire worker` processes).
import { startStack, type Stack, type StackOptions } from '../harness/stack.js';
import { runTimeoutMs, startBenchChild, type BenchChild } from './bench-child.js';
import { BENCH_APP_SECTION, ID_FIELD, V1_PUSH_BODY, V2_ACCOUNT, V2_DEVICES, V2_PUSH_BODY, v2Device } from './bench-pushes.js';
import { withCleanup } from './cleanup.js';
import { waitForDeliveries } from './deliveries.js';
import type { HttpLoadRun } from './http-load.js';
import { perSecond } from './latency.js';
import type { LoadResult } from './load-types.js';
import type { BenchParams } from './params.js';
import { cpuSeconds, sampleProcess, usageBetween } from './proc-stats.js';
import type { PushwireScenario } from './results.js';

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
const STACK_OPTIONS: StackOptions = { appExtras: { [BENCH_APP_SECTION]: { call_deadline: '3600' } } };

/** Scenario 3: `return_async = false`, so ingest answers 202 once Redis holds the job. */
export function runPushwireAsync(params: BenchParams): Promise<PushwireScenario> {
  return withStack({ ...STACK_OPTIONS, server: { return_async: 'false' } }, (stack, load) =>
    measure(stack, load, params, { name: 'async', path: '/push', body: V1_PUSH_BODY, expectedStatus: 202, devices: 1 }),
  );
}

/** Scenarios 4 and 5 on one stack (the default sync mode): v1 pushes, then pushes to a 3-device account. */
export function runPushwireSync(params: BenchParams): Promise<{ sync: PushwireScenario; v2: PushwireScenario }> {
  return withStack(STACK_OPTIONS, async (stack, load) => {
    const sync = await measure(stack, load, params, { name: 'sync', path: '/push', body: V1_PUSH_BODY, expectedStatus: 200, devices: 1 });
    for (let n = 1; n <= V2_DEVICES; n++) {
      const added = await stack.post(`/v2/tokens/${V2_ACCOUNT}`, v2Device(n));
      if (added.status !== 200) throw new Error(`registering v2 device ${n} answered ${added.status}: ${added.text}`);
    }
    const v2 = await measure(stack, load, params, {
      name: 'v2', path: `/v2/tokens/${V2_ACCOUNT}/push`, body: V2_PUSH_BODY, expectedStatus: 200, devices: V2_DEVICES,
    });
    return { sync, v2 };
  });
}

function withStack<T>(options: StackOptions, body: (stack: Stack, load: BenchChild) => Promise<T>): Promise<T> {
  return withCleanup(async (defer) => {
    const stack = await startStack(options);
    defer('Pushwire stack', () => stack.close());
    const load = await startBenchChild('./http-load.ts');
    defer('HTTP load generator', () => load.close());
    return body(stack, load);
  });
}

async function measure(stack: Stack, load: BenchChild, params: BenchParams, spec: PushLoad): Promise<PushwireScenario> {
  const apns = stack.sandbox.apns;
  const ingest = stack.ingest.pid;
  const worker = stack.workers[0]!.pid;
  const run = async (idPrefix: string, count: number) => {
    const command: HttpLoadRun = {
      origin: stack.url, path: spec.path, body: { ...spec.body }, idField: ID_FIELD, expectedStatus: spec.expectedStatus,
      idPrefix, count, concurrency: params.concurrency,
    };
    const startedAt = Date.now();
    const http = await load.call<LoadResult>(command, runTimeoutMs(count * spec.devices));
    const accepted = http.statuses[spec.expectedStatus] ?? 0;
    if (accepted !== count) {
      throw new Error(`${spec.name}: ${accepted} of ${count} requests answered ${spec.expectedStatus} (first problem: ${http.firstProblem ?? 'none'})`);
    }
    const delivery = await waitForDeliveries(apns, `${idPrefix}-`, count * spec.devices);
    // Only this run's requests stay in the emulator's log (and memory).
    apns.reset();
    return { http, delivery, startedAt };
  };

  await run(`${spec.name}-warmup`, params.warmup);
  const before = { ingest: sampleProcess(ingest), worker: sampleProcess(worker), load: sampleProcess(load.pid) };
  const emulatorBefore = process.cpuUsage();
  const { http, delivery, startedAt } = await run(`${spec.name}-run`, params.n);
  const emulatorCpu = process.cpuUsage(emulatorBefore);
  const after = { ingest: sampleProcess(ingest), worker: sampleProcess(worker), load: sampleProcess(load.pid) };
  const deliveryMs = Math.max(1, delivery.lastAt - startedAt);
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
      worker: usageBetween(before.worker, after.worker),
      loadGenerator: usageBetween(before.load, after.load),
    },
    emulatorCpuS: cpuSeconds(emulatorCpu),
  };
}
