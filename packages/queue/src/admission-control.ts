// Admission control: refuse new pushes for an app whose queue already holds too many waiting or delayed
// ones (its push service is down or slow), instead of letting Redis fill up. Counts are cached per queue.
import { systemClock, type Clock, type Platform } from '@pushwire/core';
import type { Redis } from 'ioredis';
import { QueueHandles } from './queue-handles.js';
import { pushQueueName } from './queue-names.js';

export interface AdmissionControlOptions {
  /** Connection the counts are read on (ingest's fail-fast producer connection is right). */
  redis: Redis;
  /** BullMQ key prefix. */
  prefix: string;
  /** Redis Cluster: queues have a hash tag of their own (`queuePrefix`). Default false. */
  cluster?: boolean;
  /** Refuse once a queue holds this many waiting + delayed jobs; 0 = unlimited. */
  maxDepth: number;
  /** How long one count is reused, ms. Default 250. */
  refreshMs?: number;
  clock?: Clock;
}

export type Admission = { admitted: true } | { admitted: false; queue: string; depth: number; maxDepth: number };

interface DepthCache {
  /** Waiting + delayed when last counted, plus the jobs this process added since. */
  depth: number;
  countedAt: number;
  pending: Promise<number> | null;
}

/** The job states that mean "not sent yet and nobody working on it". */
const QUEUED_STATES = ['waiting', 'delayed', 'prioritized'] as const;

export class AdmissionControl {
  private readonly queues: QueueHandles;
  private readonly cache = new Map<string, DepthCache>();
  private readonly refreshMs: number;
  private readonly clock: Clock;

  constructor(private readonly options: AdmissionControlOptions) {
    if (!(Number.isInteger(options.maxDepth) && options.maxDepth >= 0)) {
      throw new RangeError(`maxDepth must be a whole number, got ${options.maxDepth}`);
    }
    this.refreshMs = options.refreshMs ?? 250;
    this.clock = options.clock ?? systemClock;
    // Read errors are handled per count (fail open).
    this.queues = new QueueHandles({ redis: options.redis, prefix: options.prefix, cluster: options.cluster ?? false });
  }

  get maxDepth(): number {
    return this.options.maxDepth;
  }

  /**
   * Whether `count` more pushes for this app may be queued (a v2 push queues one per device, and all of them
   * count). A count that cannot be read admits: the enqueue that follows meets the same Redis and answers 503
   * itself if it is really gone.
   */
  async check(appId: string, platform: Platform, count = 1): Promise<Admission> {
    const { maxDepth } = this.options;
    // BullMQ waits for a connection rather than failing: never hold a request on a count.
    if (maxDepth === 0 || this.options.redis.status !== 'ready') return { admitted: true };
    const queue = pushQueueName(appId, platform);
    let depth: number;
    try {
      depth = await this.depth(queue);
    } catch {
      return { admitted: true };
    }
    return depth + count > maxDepth ? { admitted: false, queue, depth, maxDepth } : { admitted: true };
  }

  /** Counts jobs this process just queued, so a burst inside one refresh window is not waved through. */
  noteQueued(appId: string, platform: Platform, count = 1): void {
    const entry = this.cache.get(pushQueueName(appId, platform));
    if (entry) entry.depth += count;
  }

  async close(): Promise<void> {
    await this.queues.close();
    this.cache.clear();
  }

  private async depth(queueName: string): Promise<number> {
    const now = this.clock.now();
    let entry = this.cache.get(queueName);
    if (entry && now - entry.countedAt < this.refreshMs) return entry.depth;
    if (!entry) {
      entry = { depth: 0, countedAt: Number.NEGATIVE_INFINITY, pending: null };
      this.cache.set(queueName, entry);
    }
    // One count in flight per queue, whatever the request rate.
    if (!entry.pending) {
      const current = entry;
      current.pending = this.queues
        .get(queueName)
        .getJobCountByTypes(...QUEUED_STATES)
        .then((depth) => {
          current.depth = depth;
          current.countedAt = this.clock.now();
          return depth;
        })
        .finally(() => {
          current.pending = null;
        });
    }
    return entry.pending ?? entry.depth;
  }
}
