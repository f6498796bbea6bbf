// Jobs per state in every push queue, counted when Prometheus scrapes, within a time bound.
import { QueueHandles } from '@pushwire/queue';
import type { JobType } from 'bullmq';
import type { Redis } from 'ioredis';
import { Gauge, type Registry } from 'prom-client';

/** Every state BullMQ reports. */
export const QUEUE_STATES: readonly JobType[] = [
  'waiting',
  'active',
  'delayed',
  'prioritized',
  'waiting-children',
  'completed',
  'failed',
];

export interface QueueSource {
  /** Connection the counts are read on. */
  redis: Redis;
  /** BullMQ key prefix. */
  prefix: string;
  /** Redis Cluster: each queue has a hash tag of its own (`queuePrefix`). Default false. */
  cluster?: boolean;
  /** The queues to count now (the current configuration's; a reload changes them). */
  queueNames(): readonly string[];
}

export class QueueDepthMetrics {
  private source: QueueSource | null = null;
  /** Handles on the watched source's connection; read errors become "unknown" per scrape. */
  private handles: QueueHandles | null = null;

  /**
   * @param timeoutMs Longest a scrape waits for the counts, ms: a slow or absent Redis must not hang
   * Prometheus (it reports the queues as unknown instead, `pushwire_queue_metrics_up` 0). Default 1000.
   */
  constructor(options: { registry: Registry; timeoutMs?: number }) {
    const timeoutMs = options.timeoutMs ?? 1000;
    const registers = [options.registry];
    // A scrape collects every metric at once: both gauges join the one read in flight, so `up` always
    // describes the very counts shown beside it (set from inside the other gauge, it lagged a scrape).
    let inFlight: Promise<Map<string, Record<string, number>> | null> | null = null;
    const read = () => {
      inFlight ??= this.read(timeoutMs).finally(() => {
        inFlight = null;
      });
      return inFlight;
    };
    new Gauge({
      name: 'pushwire_queue_metrics_up',
      help: "1 when the last scrape read every push queue's job counts in time, else 0",
      registers,
      async collect() {
        this.set((await read()) === null ? 0 : 1);
      },
    });
    new Gauge({
      name: 'pushwire_queue_jobs',
      help: 'Jobs in each push queue by state (waiting, active, delayed, completed, failed ...), read at scrape time',
      labelNames: ['queue', 'state'],
      registers,
      async collect() {
        const counts = await read();
        this.reset();
        for (const [queue, byState] of counts ?? []) {
          for (const state of QUEUE_STATES) this.set({ queue, state }, byState[state] ?? 0);
        }
      },
    });
  }

  /** Start counting these queues (ingest calls it once its Redis connection exists). */
  watch(source: QueueSource): void {
    this.source = source;
    // Queues opened on a previous source's connection are no use on this one.
    const stale = this.handles;
    this.handles = new QueueHandles({ redis: source.redis, prefix: source.prefix, cluster: source.cluster ?? false });
    void stale?.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    this.source = null;
    const handles = this.handles;
    this.handles = null;
    await handles?.close();
  }

  private async read(timeoutMs: number): Promise<Map<string, Record<string, number>> | null> {
    const { source, handles } = this;
    // BullMQ would wait for a connection rather than fail: answer "unknown" at once instead.
    if (source === null || handles === null || source.redis.status !== 'ready') return null;
    const names = source.queueNames();
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<null>((resolve) => {
      timer = setTimeout(() => resolve(null), timeoutMs);
    });
    const counting = Promise.all(
      names.map(async (name) => [name, await handles.get(name).getJobCounts(...QUEUE_STATES)] as const),
    )
      .then((entries) => new Map(entries))
      .catch(() => null);
    try {
      return await Promise.race([counting, bound]);
    } finally {
      clearTimeout(timer);
    }
  }
}
