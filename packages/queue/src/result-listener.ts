// The ingest side of sync answers (docs/decisions/0008-sync-answers.md): one subscription per process to its own
// result channel, made at start and kept through reconnects, and a map of callers waiting for job results. A
// waiter is registered before its job is queued, so no result can come before anyone listens; the result stored
// in the job's hash covers what the channel cannot (a job that finished before, a subscriber that was down),
// read by one reader per process that looks at a bounded number of waiters per tick, so 10,000 waiters cost
// Redis no more than ten.
import { errorMessage } from '@pushwire/core';
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RESULT_FIELD, resultChannelName, type ResultMessage } from './result-channel.js';

/** `subscribed`: results arrive as messages; `down`: the subscriber is reconnecting, waiters poll the key. */
export type ResultListenerState = 'starting' | 'subscribed' | 'down' | 'closed';

/** The two log levels the listener reports its state changes at (a pino logger fits). */
export interface ResultListenerLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export interface ResultListenerOptions {
  /** Commands connection (reads stored results). */
  redis: Redis;
  /** Makes the dedicated subscriber connection (one that reconnects by itself). */
  createSubscriber: () => Redis;
  /** Redis key prefix. Default `pushwire`. */
  prefix?: string;
  /** This process's id, named in the jobs it waits for. Default: a random UUID. */
  instanceId?: string;
  /**
   * The process's reader reads the stored results of up to `pollBatch` waiters, the longest-waiting first, every
   * `pollMs`, ms. Default 250. It answers a caller whose message cannot come: the subscriber is reconnecting,
   * or the job is a duplicate queued by another instance. Each waiter also reads once when it starts and once
   * at its bound.
   */
  pollMs?: number;
  /** Stored results read per tick of the reader, whatever the number of waiters. Default 64. */
  pollBatch?: number;
  log?: ResultListenerLog;
}

export interface ResultWaiter<T> {
  /** The result, or null if none arrived within `timeoutMs`. */
  result(timeoutMs: number): Promise<T | null>;
  /** Stop waiting (the job was not queued after all). */
  cancel(): void;
}

interface Waiting<T> {
  jobKey: string;
  resolvers: Set<(value: T) => void>;
}

/** How long start() waits for the first subscription before serving anyway (state `down` until it lands). */
const START_TIMEOUT_MS = 2000;

export class ResultListener<T> {
  readonly instanceId: string;
  private readonly prefix: string;
  private readonly pollMs: number;
  private readonly pollBatch: number;
  private readonly waiters = new Map<string, Waiting<T>>();
  /** Job ids in the order the reader visits them (a waiter's id goes back to the end once read). */
  private pollOrder: string[] = [];
  private poller: NodeJS.Timeout | undefined;
  private polling = false;
  private subscriber: Redis | null = null;
  private current: ResultListenerState = 'starting';
  private lastError: string | null = null;

  constructor(private readonly options: ResultListenerOptions) {
    this.prefix = options.prefix ?? 'pushwire';
    this.instanceId = options.instanceId ?? randomUUID();
    this.pollMs = options.pollMs ?? 250;
    this.pollBatch = options.pollBatch ?? 64;
  }

  get channel(): string {
    return resultChannelName(this.prefix, this.instanceId);
  }

  state(): ResultListenerState {
    return this.current;
  }

  /** The last subscriber error while it is down, for /readyz. */
  error(): string | null {
    return this.current === 'subscribed' ? null : this.lastError;
  }

  /** Subscribes to this instance's channel; resolves once subscribed, or after a bound with the state `down`. */
  async start(): Promise<void> {
    if (this.subscriber) return;
    const sub = this.options.createSubscriber();
    this.subscriber = sub;
    sub.on('message', (_channel: string, message: string) => this.deliver(message));
    sub.on('error', (error: Error) => {
      if (this.lastError !== error.message)
        this.options.log?.warn(
          { event: 'result-subscriber', err: error.message },
          `result subscriber error: ${error.message}`,
        );
      this.lastError = error.message;
    });
    sub.on('close', () => this.setState('down'));
    // ioredis subscribes again by itself on reconnect (autoResubscribe) before it reports ready.
    sub.on('ready', () => {
      if (this.current === 'down') this.setState('subscribed');
    });
    const subscribed = sub.subscribe(this.channel).then(
      () => {
        if (this.current !== 'closed') this.setState('subscribed');
        return true;
      },
      (error: unknown) => {
        this.lastError = errorMessage(error);
        return false;
      },
    );
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), START_TIMEOUT_MS)));
    const ok = await Promise.race([subscribed, bound]);
    clearTimeout(timer);
    if (!ok && this.current === 'starting') this.setState('down');
  }

  /** Registers a waiter for `jobId`, whose hash is `jobKey` (`jobKeyOf`); call before the job is queued. */
  wait(jobId: string, jobKey: string): ResultWaiter<T> {
    let resolveValue!: (value: T) => void;
    const arrived = new Promise<T>((resolve) => (resolveValue = resolve));
    let waiting = this.waiters.get(jobId);
    if (!waiting) {
      waiting = { jobKey, resolvers: new Set() };
      this.waiters.set(jobId, waiting);
      this.pollOrder.push(jobId);
      this.startPolling();
    }
    waiting.resolvers.add(resolveValue);
    const cancel = () => {
      const current = this.waiters.get(jobId);
      if (!current) return;
      current.resolvers.delete(resolveValue);
      if (current.resolvers.size === 0) this.waiters.delete(jobId);
    };
    return {
      cancel,
      result: async (timeoutMs: number) => {
        let timer: NodeJS.Timeout | undefined;
        try {
          const stored = await this.peek(jobKey);
          if (stored !== null) return stored;
          const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
          const first = await Promise.race([arrived, timeout]);
          // One last look: a result stored just before the bound is still an answer.
          return first ?? (await this.peek(jobKey));
        } finally {
          clearTimeout(timer);
          cancel();
        }
      },
    };
  }

  /** How many callers wait right now (for tests and metrics). */
  waiting(): number {
    let n = 0;
    for (const w of this.waiters.values()) n += w.resolvers.size;
    return n;
  }

  async close(): Promise<void> {
    this.setState('closed');
    clearInterval(this.poller);
    this.poller = undefined;
    this.waiters.clear();
    this.pollOrder = [];
    const sub = this.subscriber;
    this.subscriber = null;
    sub?.disconnect();
  }

  private deliver(message: string): void {
    let parsed: ResultMessage<T>;
    try {
      parsed = JSON.parse(message) as ResultMessage<T>;
    } catch {
      return; // not ours: nothing else publishes here, but a stray message must not crash the process
    }
    this.settle(parsed.jobId, parsed.value);
  }

  private settle(jobId: string, value: T): void {
    const waiting = this.waiters.get(jobId);
    if (!waiting) return;
    for (const resolve of waiting.resolvers) resolve(value);
  }

  /** The one reader: runs while anyone waits, stops when nobody does. */
  private startPolling(): void {
    if (this.poller || this.current === 'closed') return;
    this.poller = setInterval(() => void this.pollTick(), this.pollMs);
    this.poller.unref();
  }

  /** Reads the stored results of the next `pollBatch` waiters (one tick at a time, never overlapping). */
  private async pollTick(): Promise<void> {
    if (this.polling) return;
    const seen = new Set<string>();
    this.pollOrder = this.pollOrder.filter((id) => this.waiters.has(id) && !seen.has(id) && seen.add(id));
    if (this.pollOrder.length === 0) {
      clearInterval(this.poller);
      this.poller = undefined;
      return;
    }
    this.polling = true;
    try {
      const batch = this.pollOrder.splice(0, this.pollBatch);
      const values = await Promise.all(batch.map((id) => this.peek(this.waiters.get(id)?.jobKey ?? '')));
      batch.forEach((id, i) => {
        const value = values[i];
        if (value !== null && value !== undefined) this.settle(id, value);
        else if (this.waiters.has(id)) this.pollOrder.push(id);
      });
    } finally {
      this.polling = false;
    }
  }

  private async peek(jobKey: string): Promise<T | null> {
    try {
      const raw = await this.options.redis.hget(jobKey, RESULT_FIELD);
      return raw === null ? null : (JSON.parse(raw) as T);
    } catch {
      // Redis unreachable for a moment: the message or a later poll may still answer.
      return null;
    }
  }

  private setState(next: ResultListenerState): void {
    const previous = this.current;
    if (previous === next || previous === 'closed') return;
    this.current = next;
    const fields = { event: 'result-subscriber', channel: this.channel, from: previous, to: next };
    if (next === 'down') {
      this.options.log?.warn(
        fields,
        'result subscriber disconnected: sync answers read stored results until it is back',
      );
    } else if (next === 'subscribed') {
      this.options.log?.info(
        fields,
        previous === 'down' ? 'result subscriber reconnected and resubscribed' : 'result subscriber ready',
      );
    }
  }
}
