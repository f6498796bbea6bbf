// Per-job result channel for sync answers (DECISIONS 8): the worker stores the result under a key with a
// TTL and publishes on a channel named after the job; a waiter subscribes, then reads the key (covering a
// result that landed before it subscribed). One shared subscriber connection per process.
import type { Redis } from 'ioredis';

export interface ResultChannelOptions {
  /** Redis key prefix. Default `pushwire`. */
  prefix?: string;
  /** How long a result stays readable, ms. Default 1 h (the idempotency window). */
  ttlMs?: number;
}

/** A subscriber that cannot subscribe this fast means Redis is not really there. */
const SUBSCRIBE_TIMEOUT_MS = 2000;

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`redis did not answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export class ResultChannel<T> {
  private readonly prefix: string;
  private readonly ttlMs: number;
  private readonly waiters = new Map<string, Set<(value: T) => void>>();
  private subscriber: Redis | null = null;

  /**
   * @param redis commands connection (publish, get).
   * @param subscriberFactory makes the dedicated subscriber connection on first wait.
   */
  constructor(
    private readonly redis: Redis,
    private readonly subscriberFactory: () => Redis,
    options: ResultChannelOptions = {},
  ) {
    this.prefix = options.prefix ?? 'pushwire';
    this.ttlMs = options.ttlMs ?? 3_600_000;
  }

  key(jobId: string): string {
    return `${this.prefix}:result:${jobId}`;
  }

  async publish(jobId: string, value: T): Promise<void> {
    const json = JSON.stringify(value);
    await this.redis.multi().set(this.key(jobId), json, 'PX', this.ttlMs).publish(this.key(jobId), json).exec();
  }

  async peek(jobId: string): Promise<T | null> {
    const raw = await this.redis.get(this.key(jobId));
    return raw === null ? null : (JSON.parse(raw) as T);
  }

  /** Subscribe before the job is added; `result` resolves with the value, or null after `timeoutMs`. */
  async subscribe(jobId: string): Promise<{ result(timeoutMs: number): Promise<T | null>; cancel(): void }> {
    const channel = this.key(jobId);
    let resolveValue!: (value: T) => void;
    const arrived = new Promise<T>((resolve) => (resolveValue = resolve));
    const set = this.waiters.get(channel) ?? new Set();
    const first = set.size === 0;
    set.add(resolveValue);
    this.waiters.set(channel, set);
    if (first) {
      try {
        await withTimeout(this.ensureSubscriber().subscribe(channel), SUBSCRIBE_TIMEOUT_MS);
      } catch (error) {
        set.delete(resolveValue);
        if (set.size === 0) this.waiters.delete(channel);
        throw error;
      }
    }

    const cancel = () => {
      const current = this.waiters.get(channel);
      if (!current) return;
      current.delete(resolveValue);
      if (current.size === 0) {
        this.waiters.delete(channel);
        this.subscriber?.unsubscribe(channel).catch(() => undefined);
      }
    };
    return {
      result: async (timeoutMs: number) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const stored = await this.peek(jobId);
          if (stored !== null) return stored;
          const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
          return await Promise.race([arrived, timeout]);
        } finally {
          clearTimeout(timer);
          cancel();
        }
      },
      cancel,
    };
  }

  async close(): Promise<void> {
    this.waiters.clear();
    if (this.subscriber) {
      this.subscriber.disconnect();
      this.subscriber = null;
    }
  }

  private ensureSubscriber(): Redis {
    if (this.subscriber) return this.subscriber;
    const sub = this.subscriberFactory();
    sub.on('message', (channel: string, message: string) => {
      const set = this.waiters.get(channel);
      if (!set) return;
      const value = JSON.parse(message) as T;
      for (const resolve of set) resolve(value);
    });
    // Errors surface through the commands connection; a subscriber error must not crash the process.
    sub.on('error', () => undefined);
    this.subscriber = sub;
    return sub;
  }
}
