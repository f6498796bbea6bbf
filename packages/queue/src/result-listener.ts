// The ingest side of sync answers (docs/decisions/0008-sync-answers.md): one subscription per process to its own result channel,
// made at start and kept through reconnects, and a map of callers waiting for job results. A waiter is
// registered before its job is queued, so no result can come before anyone listens; the result stored in the
// job's hash covers what the channel cannot (a job that finished before, a subscriber that was down).
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
   * While waiting, the stored result is also read every `pollMs`, ms. Default 250. It answers a caller whose
   * message cannot come: the subscriber is reconnecting, or the job is a duplicate queued by another instance.
   */
  pollMs?: number;
  log?: ResultListenerLog;
}

export interface ResultWaiter<T> {
  /** The result, or null if none arrived within `timeoutMs`. */
  result(timeoutMs: number): Promise<T | null>;
  /** Stop waiting (the job was not queued after all). */
  cancel(): void;
}

/** How long start() waits for the first subscription before serving anyway (state `down` until it lands). */
const START_TIMEOUT_MS = 2000;

export class ResultListener<T> {
  readonly instanceId: string;
  private readonly prefix: string;
  private readonly pollMs: number;
  private readonly waiters = new Map<string, Set<(value: T) => void>>();
  private subscriber: Redis | null = null;
  private current: ResultListenerState = 'starting';
  private lastError: string | null = null;

  constructor(private readonly options: ResultListenerOptions) {
    this.prefix = options.prefix ?? 'pushwire';
    this.instanceId = options.instanceId ?? randomUUID();
    this.pollMs = options.pollMs ?? 250;
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
      if (this.lastError !== error.message) this.options.log?.warn({ event: 'result-subscriber', err: error.message }, `result subscriber error: ${error.message}`);
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
    const set = this.waiters.get(jobId) ?? new Set();
    set.add(resolveValue);
    this.waiters.set(jobId, set);
    const cancel = () => {
      const current = this.waiters.get(jobId);
      if (!current) return;
      current.delete(resolveValue);
      if (current.size === 0) this.waiters.delete(jobId);
    };
    return {
      cancel,
      result: async (timeoutMs: number) => {
        let poller: NodeJS.Timeout | undefined;
        let timer: NodeJS.Timeout | undefined;
        try {
          const stored = await this.peek(jobKey);
          if (stored !== null) return stored;
          const polled = new Promise<T>((resolve) => {
            poller = setInterval(() => {
              this.peek(jobKey).then((value) => value !== null && resolve(value), () => undefined);
            }, this.pollMs);
          });
          const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
          const first = await Promise.race([arrived, polled, timeout]);
          // One last look: a result stored just before the bound is still an answer.
          return first ?? (await this.peek(jobKey));
        } finally {
          clearInterval(poller);
          clearTimeout(timer);
          cancel();
        }
      },
    };
  }

  /** How many callers wait right now (for tests and metrics). */
  waiting(): number {
    let n = 0;
    for (const set of this.waiters.values()) n += set.size;
    return n;
  }

  async close(): Promise<void> {
    this.setState('closed');
    this.waiters.clear();
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
    const set = this.waiters.get(parsed.jobId);
    if (!set) return;
    for (const resolve of set) resolve(parsed.value);
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
      this.options.log?.warn(fields, 'result subscriber disconnected: sync answers read stored results until it is back');
    } else if (next === 'subscribed') {
      this.options.log?.info(fields, previous === 'down' ? 'result subscriber reconnected and resubscribed' : 'result subscriber ready');
    }
  }
}
