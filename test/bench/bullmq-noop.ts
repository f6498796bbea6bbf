// Baseline A (child process): a raw BullMQ pipeline with a no-op processor, in one process: a Queue adding
// jobs with a fixed number of adds in flight, a Worker completing them at Pushwire's default concurrency.
import { readPushwireSettings } from '@pushwire/core';
import { pushJobOptions, type PushJobData } from '@pushwire/queue';
import { createProducerRedis, createWorkerRedis } from '@pushwire/redis';
import { Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { v1PushRequest } from './bench-pushes.js';
import { runBounded } from './bounded-run.js';
import { serveBenchCommands } from './child-rpc.js';
import { LatencyRecorder, perSecond, type LatencySummary } from './latency.js';
import type { LoadResult, LoadRun } from './load-types.js';

export interface BullmqNoopRun extends LoadRun {
  redisUrl: string;
  queueName: string;
  /** Jobs done in the worker must arrive within this time, ms. */
  timeoutMs: number;
}

export interface BullmqNoopResult {
  /** The adds alone: jobs/s while adding, and each `queue.add()`'s latency. */
  add: LoadResult;
  /** From the first add to the last completion, and each job's add → completed latency. */
  completed: { count: number; elapsedMs: number; ratePerS: number; latency: LatencySummary };
  workerConcurrency: number;
}

/** Pushwire's own default, so the baseline runs the worker as Pushwire does out of the box. */
const WORKER_CONCURRENCY = readPushwireSettings({}).workerConcurrency;

interface Pipeline {
  queue: Queue;
  worker: Worker;
  connections: Redis[];
  /** Called with the job id of every completed job. */
  onCompleted: (jobId: string) => void;
}

let pipeline: Pipeline | null = null;

async function openPipeline(redisUrl: string, queueName: string): Promise<Pipeline> {
  // The same connection settings as Pushwire's ingest (fail-fast producer) and worker (blocking consumer).
  const producer = createProducerRedis(redisUrl);
  const consumer = createWorkerRedis(redisUrl);
  const queue = new Queue(queueName, { connection: producer, prefix: 'bench' });
  const worker = new Worker(queueName, async () => undefined, {
    connection: consumer,
    prefix: 'bench',
    concurrency: WORKER_CONCURRENCY,
  });
  const opened: Pipeline = { queue, worker, connections: [producer, consumer], onCompleted: () => undefined };
  worker.on('completed', (job: Job) => opened.onCompleted(job.id ?? ''));
  worker.on('error', (err) => process.stderr.write(`worker error: ${err.message}\n`));
  await Promise.all([queue.waitUntilReady(), worker.waitUntilReady()]);
  return opened;
}

async function run(command: BullmqNoopRun): Promise<BullmqNoopResult> {
  pipeline ??= await openPipeline(command.redisUrl, command.queueName);
  const { queue } = pipeline;
  const { count } = command;
  const addedAt = new Float64Array(count);
  const e2e = new LatencyRecorder(count);
  const prefix = `${command.idPrefix}-`;
  let lastDone = 0;
  let timer: NodeJS.Timeout | undefined;
  const allDone = new Promise<void>((resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${count - e2e.count} of ${count} jobs not completed in ${command.timeoutMs} ms`)),
      command.timeoutMs,
    );
    pipeline!.onCompleted = (jobId) => {
      if (!jobId.startsWith(prefix)) return;
      const i = Number(jobId.slice(prefix.length));
      lastDone = performance.now();
      e2e.record(lastDone - (addedAt[i] ?? lastDone));
      if (e2e.count === count) {
        clearTimeout(timer);
        resolve();
      }
    };
  });
  const started = performance.now();
  // Job data and options as ingest makes them (the push request, Sylk's retries, an hour of history).
  const add = await runBounded(count, command.concurrency, 200, async (i) => {
    const id = `${prefix}${i}`;
    addedAt[i] = performance.now();
    const acceptedAt = Date.now();
    const data: PushJobData = {
      request: v1PushRequest(id),
      requestId: `incoming_session-bench-${id}`,
      acceptedAt,
      deadlineAt: acceptedAt + 60_000,
    };
    await queue.add(id, data, pushJobOptions({ jobId: id, mediaType: 'audio', retryBaseMs: 500 }));
    return { status: 200 };
  });
  if (add.firstProblem !== null) {
    clearTimeout(timer);
    throw new Error(`adding jobs failed after ${add.count} of ${count}: ${add.firstProblem}`);
  }
  await allDone;
  const elapsedMs = lastDone - started;
  return {
    add,
    completed: {
      count,
      elapsedMs: Math.round(elapsedMs),
      ratePerS: perSecond(count, elapsedMs),
      latency: e2e.summary(),
    },
    workerConcurrency: WORKER_CONCURRENCY,
  };
}

serveBenchCommands(
  (command) => run(command as BullmqNoopRun),
  async () => {
    if (!pipeline) return;
    await pipeline.worker.close();
    await pipeline.queue.close();
    for (const c of pipeline.connections) c.disconnect();
  },
);
