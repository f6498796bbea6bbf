// Results of push jobs for sync answers (DECISIONS 8): a worker stores each final result under a key with a
// TTL and, when an ingest instance waits for it, publishes it on that instance's own channel. The waiting
// side (result-listener.ts) holds one subscription per process, made at start, never one per job.
import type { Redis } from 'ioredis';

export interface ResultChannelOptions {
  /** Redis key prefix. Default `pushwire`. */
  prefix?: string;
  /** How long a result stays readable, ms. Default 1 h (the idempotency window). */
  ttlMs?: number;
}

/** What travels on an instance channel: the job and its result. */
export interface ResultMessage<T> {
  jobId: string;
  value: T;
}

/** The key a job's result is stored under. */
export function resultKey(prefix: string, jobId: string): string {
  return `${prefix}:result:${jobId}`;
}

/** The channel of one ingest instance, named in the jobs it waits for (`PushJobData.replyTo`). */
export function resultChannelName(prefix: string, instanceId: string): string {
  return `${prefix}:results:${instanceId}`;
}

export class ResultChannel<T> {
  readonly prefix: string;
  private readonly ttlMs: number;

  /** @param redis commands connection (set, publish, get). */
  constructor(
    private readonly redis: Redis,
    options: ResultChannelOptions = {},
  ) {
    this.prefix = options.prefix ?? 'pushwire';
    this.ttlMs = options.ttlMs ?? 3_600_000;
  }

  key(jobId: string): string {
    return resultKey(this.prefix, jobId);
  }

  /**
   * Stores the result (for a waiter that arrives later or missed the message) and, when an instance waits
   * for it, tells that instance, in one round trip.
   */
  async publish(jobId: string, value: T, replyTo?: string): Promise<void> {
    const json = JSON.stringify(value);
    const multi = this.redis.multi().set(this.key(jobId), json, 'PX', this.ttlMs);
    if (replyTo) multi.publish(resultChannelName(this.prefix, replyTo), JSON.stringify({ jobId, value } satisfies ResultMessage<T>));
    await multi.exec();
  }

  async peek(jobId: string): Promise<T | null> {
    const raw = await this.redis.get(this.key(jobId));
    return raw === null ? null : (JSON.parse(raw) as T);
  }
}
