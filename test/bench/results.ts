// The shape of test/bench/results/latest.json: every figure the bench prints, machine-readable.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { dirname } from 'node:path';
import type { LatencySummary } from './latency.js';
import type { LoadResult } from './load-types.js';
import type { OpenLoopResult } from './open-loop.js';
import type { ProcessUsage } from './proc-stats.js';
import type { StartupScenario } from './scenario-startup.js';

/** Baseline A: raw BullMQ, no-op processor. */
export interface BullmqNoopScenario {
  add: LoadResult;
  completed: { count: number; elapsedMs: number; ratePerS: number; latency: LatencySummary };
  workerConcurrency: number;
  /** The one process holding the Queue and the Worker. */
  process: ProcessUsage;
}

/** Baseline B: a direct HTTP/2 client against the APNs emulator. */
export interface ApnsDirectScenario {
  requests: LoadResult;
  client: ProcessUsage;
  /** CPU time of the bench process, which hosts the emulator, s. */
  emulatorCpuS: number;
}

/** One Pushwire scenario: the callers' view (HTTP) and the push service's view (deliveries). */
export interface PushwireScenario {
  http: LoadResult;
  delivery: {
    /** Deliveries the run owed the emulator (pushes × devices). */
    expected: number;
    /** Distinct pushes the emulator accepted (200). */
    delivered: number;
    /** Every request the emulator saw in the run, retries and duplicates included. */
    arrivals: number;
    /** From the first request sent to the last delivery, ms. */
    elapsedMs: number;
    ratePerS: number;
  };
  /** `worker` is every worker together (CPU added up, memory of the largest); `workers` each, when several. */
  processes: {
    ingest: ProcessUsage;
    worker: ProcessUsage;
    workers?: ProcessUsage[];
    loadGenerator: ProcessUsage;
    redis: ProcessUsage;
  };
  /** CPU time of the bench process, which hosts the emulators, s. */
  emulatorCpuS: number;
}

/** G: sync pushes at a fixed rate from a generator that never waits (latency from each request's due time). */
export type OpenLoopScenario = OpenLoopResult & { ingest: ProcessUsage; worker: ProcessUsage };

/** I: a backlog accepted by ingest alone, then drained by one worker. */
export interface BacklogScenario {
  count: number;
  /** Ingest accepting the backlog with no worker running. */
  fill: { ratePerS: number; ingest: ProcessUsage };
  redis: {
    usedMemoryBeforeMb: number;
    usedMemoryAfterMb: number;
    /** (used_memory after − before) / count: everything one accepted push holds in Redis while it waits. */
    bytesPerWaitingPush: number;
    /** MEMORY USAGE of one job's hash, and of one call's history list. */
    jobHashBytes: number;
    callHistoryBytes: number;
  };
  drain: {
    delivered: number;
    elapsedMs: number;
    ratePerS: number;
    /** The worker's RSS once consuming with the whole backlog waiting, its median (sampled every 250 ms) and peak while draining it. */
    workerRssAtStartMb: number;
    workerMedianRssMb: number;
    workerPeakRssMb: number;
    worker: ProcessUsage;
  };
}

/** One "x = r× baseline" figure. */
export interface Comparison {
  /** Stable name for scripts comparing runs, e.g. `asyncDeliveryRate`. */
  key: string;
  /** e.g. "Pushwire async delivery rate". */
  subject: string;
  value: number;
  /** e.g. "raw BullMQ no-op completed rate". */
  baseline: string;
  baselineValue: number;
  /** value / baselineValue: below 1 is slower for a rate, above 1 is slower for a latency. */
  ratio: number;
}

/** One benchmark target, checked against this run's figures. */
export interface TargetCheck {
  /** e.g. "async delivered / raw BullMQ no-op completed". */
  name: string;
  value: number;
  /** e.g. "≥ 0.5×", "≤ 0.25 ms". */
  target: string;
  met: boolean;
}

export interface BenchResults {
  date: string;
  machine: {
    cpus: number;
    cpuModel: string;
    memoryGb: number;
    node: string;
    kernel: string;
    /** 1-minute load average when the run began: other work on the machine skews every figure. */
    loadAverageAtStart: number;
  };
  params: {
    n: number;
    concurrency: number;
    warmup: number;
    startupRuns: number;
    openRate: number;
    openSeconds: number;
    backlog: number;
  };
  scenarios: {
    bullmqNoop: BullmqNoopScenario;
    apnsDirect: ApnsDirectScenario;
    pushwireAsync: PushwireScenario;
    pushwireSync: PushwireScenario;
    pushwireV2: PushwireScenario & { devicesPerAccount: number };
    /** G: D's pushes open loop at BENCH_OPEN_RATE. */
    pushwireOpenLoop: OpenLoopScenario;
    /** H: C with two worker processes. */
    pushwireAsyncTwoWorkers: PushwireScenario;
    /** I: BENCH_BACKLOG waiting pushes. */
    backlog: BacklogScenario;
    /** F: `pushwire start` compiled (plain node, dist/) against the sources under tsx. */
    startup: StartupScenario;
  };
  comparisons: Comparison[];
  targets: TargetCheck[];
}

/** Call before the run starts (the load average is part of the description). */
export function describeMachine(): BenchResults['machine'] {
  const all = cpus();
  return {
    cpus: all.length,
    cpuModel: all[0]?.model.trim() ?? 'unknown',
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    kernel: release(),
    loadAverageAtStart: Math.round((loadavg()[0] ?? 0) * 100) / 100,
  };
}

export function writeResults(file: string, results: BenchResults): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
}
