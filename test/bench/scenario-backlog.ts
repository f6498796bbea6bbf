// Scenario I: a backlog. Ingest alone accepts BENCH_BACKLOG pushes (no worker yet), which gives Redis's memory
// per waiting push; then one worker starts with them all waiting and drains them, which gives the worker's
// memory with a full queue (it must not grow with the backlog) and its drain rate.
import { Redis } from 'ioredis';
import { pushQueueName } from '@pushwire/queue';
import { startBenchStack } from './bench-stack.js';
import { runTimeoutMs, startBenchChild } from './bench-child.js';
import { BENCH_APP_ID, ID_FIELD, V1_PUSH_BODY } from './bench-pushes.js';
import { withCleanup } from './cleanup.js';
import { DELIVERY_STALL_MS } from './deliveries.js';
import type { HttpLoadRun } from './http-load.js';
import { perSecond } from './latency.js';
import type { LoadResult } from './load-types.js';
import type { BenchParams } from './params.js';
import { sampleProcess, usageBetween } from './proc-stats.js';
import type { BacklogScenario } from './results.js';
import { BENCH_STACK_OPTIONS } from './scenario-pushwire.js';

/** How often the drain is looked at (deliveries counted, the emulator's log emptied, the worker's RSS read), ms. */
const POLL_MS = 250;

export function runBacklog(params: BenchParams): Promise<BacklogScenario> {
  return withCleanup(async (defer) => {
    const stack = await startBenchStack({
      ...BENCH_STACK_OPTIONS,
      server: { return_async: 'false' },
      workers: 0,
      // Admission control would refuse pushes past 100,000 waiting: this scenario wants them all.
      env: { PUSHWIRE_MAX_QUEUE_DEPTH: '0' },
    });
    defer('Pushwire stack', () => stack.close());
    const load = await startBenchChild('./http-load.ts');
    defer('HTTP load generator', () => load.close());
    const redis = new Redis(stack.redis.url);
    defer('Redis connection', async () => redis.disconnect());

    const count = params.backlog;
    const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1] ?? NaN);
    const memoryBefore = await usedMemory();
    const ingestBefore = sampleProcess(stack.ingest.pid);
    const command: HttpLoadRun = {
      origin: stack.url,
      path: '/push',
      body: { ...V1_PUSH_BODY },
      idField: ID_FIELD,
      expectedStatus: 202,
      idPrefix: 'backlog',
      count,
      concurrency: params.concurrency,
    };
    const fill = await load.call<LoadResult>(command, runTimeoutMs(count));
    if (fill.firstProblem !== null) throw new Error(`backlog: ${fill.firstProblem}`);
    const ingestAfter = sampleProcess(stack.ingest.pid);
    const memoryAfter = await usedMemory();
    const queue = pushQueueName(BENCH_APP_ID, 'apple');
    const waiting = await redis.llen(`pushwire:${queue}:wait`);
    if (waiting !== count) throw new Error(`backlog: ${waiting} of ${count} pushes waiting in ${queue}`);
    // What one push holds: its job hash and the call's history list (one call per push here).
    const jobBytes = await redis.memory(
      'USAGE',
      `pushwire:${queue}:${(await redis.lindex(`pushwire:${queue}:wait`, 0)) ?? ''}`,
    );
    const historyBytes = await redis.memory('USAGE', 'pushwire:call:backlog-0');

    const startedAt = Date.now();
    const worker = await stack.startWorker();
    const atStart = sampleProcess(worker.pid);
    const rssSamples: number[] = [];
    const delivered = await drain(stack.sandbox.apns, 'backlog-', count, () => {
      rssSamples.push(sampleProcess(worker.pid).rssMb);
    });
    const atEnd = sampleProcess(worker.pid);
    const elapsedMs = Math.max(1, delivered.lastAt - startedAt);
    const round1 = (v: number) => Math.round(v * 10) / 10;
    return {
      count,
      fill: { ratePerS: fill.ratePerS, ingest: usageBetween(ingestBefore, ingestAfter) },
      redis: {
        usedMemoryBeforeMb: round1(memoryBefore / 2 ** 20),
        usedMemoryAfterMb: round1(memoryAfter / 2 ** 20),
        bytesPerWaitingPush: Math.round((memoryAfter - memoryBefore) / count),
        jobHashBytes: jobBytes ?? 0,
        callHistoryBytes: historyBytes ?? 0,
      },
      drain: {
        delivered: delivered.count,
        elapsedMs,
        ratePerS: perSecond(delivered.count, elapsedMs),
        workerRssAtStartMb: round1(atStart.rssMb),
        workerMedianRssMb: round1(median(rssSamples) ?? atStart.rssMb),
        workerPeakRssMb: round1(Math.max(atEnd.peakRssMb, ...rssSamples)),
        worker: usageBetween(atStart, atEnd),
      },
    };
  });
}

/**
 * Counts distinct deliveries of pushes whose call-id starts with `idPrefix` until there are `expected`, emptying
 * the emulator's log as it goes (a 100,000-push log would weigh on the process hosting the emulator).
 */
async function drain(
  apns: Awaited<ReturnType<typeof startBenchStack>>['sandbox']['apns'],
  idPrefix: string,
  expected: number,
  onPoll: () => void,
) {
  const seen = new Set<string>();
  let lastAt = 0;
  let progressAt = Date.now();
  while (seen.size < expected) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    onPoll();
    const before = seen.size;
    // Counted and emptied in one synchronous step: nothing arrives in between (the emulator runs here).
    for (const r of apns.requests) {
      const callId = (r.json as Record<string, unknown> | null)?.['call-id'];
      if (r.delivered && typeof callId === 'string' && callId.startsWith(idPrefix) && !seen.has(callId)) {
        seen.add(callId);
        lastAt = Math.max(lastAt, r.at);
      }
    }
    apns.reset();
    if (seen.size > before) progressAt = Date.now();
    else if (Date.now() - progressAt > DELIVERY_STALL_MS) {
      throw new Error(
        `backlog drain stopped: ${seen.size} of ${expected} delivered, nothing for ${DELIVERY_STALL_MS / 1000} s`,
      );
    }
  }
  return { count: seen.size, lastAt };
}

function median(values: readonly number[]): number | undefined {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
