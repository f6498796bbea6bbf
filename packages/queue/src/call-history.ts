// The per-call history: a Redis list per call-id that ingest and workers append to, so an auditor finds every
// push of a call (any app, platform, device, v1 or v2) without scanning queues. The request itself is stored
// once, in its job; histories are indexed and pruned with the jobs they describe (call-history-pruner.ts).
import { queuePrefix, type PushRequest } from '@pushwire/core';
import type { Redis } from 'ioredis';
import { keyPart, RedisScript } from '@pushwire/redis';
import { CallHistoryPruner } from './call-history-pruner.js';
import { jobKeyOf } from './result-channel.js';
import {
  trimmedWireRequest,
  wireRequest,
  type AttemptRecord,
  type CallApi,
  type CallHistoryRecord,
  type ResultRecord,
} from './call-history-records.js';

export interface CallHistoryOptions {
  /** Redis key prefix. Default `pushwire`. */
  prefix?: string;
  /** How long a call's history lives after its last record, ms (`[admin] retention_days`). */
  ttlMs: number;
  /**
   * Records kept per call-id, the newest. Default 1000: a call-id reused by a misbehaving client must not grow
   * one key without bound.
   */
  maxRecords?: number;
  /** Store and show `content` as "[redacted]" (`[admin] redact_content`). Default false. */
  redactContent?: boolean;
  /**
   * Histories always kept, the newest (`[admin] retention_jobs`); an older one is deleted once none of its
   * jobs is kept any more. Default 100000.
   */
  recentCalls?: number;
  /** Redis Cluster: job keys carry their queue's hash tag (`queuePrefix`). Default false. */
  cluster?: boolean;
  /** Least time between two pruning passes of this process, ms. Default 200. */
  pruneIntervalMs?: number;
  /** Told when a record could not be written; recording never fails a push. */
  onError?: (error: unknown, callId: string) => void;
  /** Told when a pruning pass failed (the next one tries again). */
  onPruneError?: (error: unknown) => void;
}

/** One accepted job, as ingest knows it after Redis acknowledged it. */
export interface AcceptedInput {
  jobId: string;
  queue: string;
  api: CallApi;
  request: PushRequest;
  acceptedAt: number;
  deadlineAt?: number;
  /** v2: the account pushed to. */
  account?: string | null;
  /** v2: the stored device pushed to. Default: the request's `device-id`. */
  deviceId?: string | null;
}

export type AttemptInput = Omit<AttemptRecord, 'kind'>;
export type ResultInput = Omit<ResultRecord, 'kind'>;

export class CallHistory {
  private readonly prefix: string;
  private readonly maxRecords: number;
  private readonly pruner: CallHistoryPruner;

  constructor(
    private readonly redis: Redis,
    private readonly options: CallHistoryOptions,
  ) {
    if (!(options.ttlMs >= 1)) throw new RangeError(`call history TTL must be at least 1 ms, got ${options.ttlMs}`);
    this.prefix = options.prefix ?? 'pushwire';
    this.maxRecords = options.maxRecords ?? 1000;
    this.pruner = new CallHistoryPruner({
      redis,
      indexKey: this.indexKey,
      callKey: (member) => `${this.prefix}:call:${member}`,
      jobKey: (queue, jobId) => this.jobKey(queue, jobId),
      recentCalls: options.recentCalls ?? 100_000,
      minIntervalMs: options.pruneIntervalMs,
      onError: (error) => options.onPruneError?.(error),
    });
  }

  /** The sorted set of every call with a history (member: the call-id as in its key; score: ms). */
  get indexKey(): string {
    return `${this.prefix}:calls`;
  }

  /** The hash BullMQ keeps a job of `queue` in. */
  jobKey(queue: string, jobId: string): string {
    return jobKeyOf(queuePrefix(this.prefix, queue, this.options.cluster ?? false), queue, jobId);
  }

  /** `<prefix>:call:<call-id>`, the call-id URI-encoded: SIP Call-IDs may hold ':' and any character. */
  key(callId: string): string {
    return `${this.prefix}:call:${keyPart(callId)}`;
  }

  /** Records jobs ingest just enqueued (a v2 fan-out: one per device). */
  async accepted(inputs: readonly AcceptedInput[]): Promise<void> {
    const byCall = new Map<string, CallHistoryRecord[]>();
    for (const input of inputs) {
      const { request } = input;
      const records = byCall.get(request.callId) ?? [];
      records.push({
        kind: 'accepted',
        at: input.acceptedAt,
        jobId: input.jobId,
        queue: input.queue,
        api: input.api,
        appId: request.appId,
        platform: request.platform,
        event: request.event,
        deviceId: input.deviceId ?? request.deviceId,
        account: input.account ?? null,
        deadlineAt: input.deadlineAt ?? null,
        request: trimmedWireRequest(request, this.options.redactContent === true),
      });
      byCall.set(request.callId, records);
    }
    const indexed = [...byCall.keys()].flatMap((callId) => [
      Math.max(...byCall.get(callId)!.map((r) => r.at)),
      keyPart(callId),
    ]);
    const writes = await Promise.allSettled([
      ...[...byCall].map(([callId, records]) => this.write(callId, records)),
      // Another slot on a Cluster: its own command.
      this.redis.zadd(this.indexKey, ...indexed),
    ]);
    const failed = writes.find((w): w is PromiseRejectedResult => w.status === 'rejected');
    if (failed) for (const callId of byCall.keys()) this.options.onError?.(failed.reason, callId);
  }

  /** Records one attempt: the push service's answer, or a hold by the app's circuit breaker. */
  async attempt(callId: string, input: AttemptInput): Promise<void> {
    await this.append(callId, [{ kind: 'attempt', ...input }]);
  }

  /** Records how the push ended. */
  async result(callId: string, input: ResultInput): Promise<void> {
    await this.append(callId, [{ kind: 'result', ...input }]);
    this.pruner.request();
  }

  /** Records the last attempt and how the push ended, in one write (the usual end of a push). */
  async settled(callId: string, attempt: AttemptInput, result: ResultInput): Promise<void> {
    await this.append(callId, [
      { kind: 'attempt', ...attempt },
      { kind: 'result', ...result },
    ]);
    // A push ended: BullMQ now removes the jobs past the retention, and their histories may go.
    this.pruner.request();
  }

  /** Deletes histories none of whose jobs is kept, past the newest `recentCalls`; how many went. */
  prune(): Promise<number> {
    return this.pruner.prune();
  }

  /** Resolves once no pruning pass runs or waits. */
  pruned(): Promise<void> {
    return this.pruner.idle();
  }

  /** Stops pruning (a pass under way finishes). */
  close(): Promise<void> {
    return this.pruner.close();
  }

  /**
   * Every record kept for the call, oldest first by time; [] when none (unknown or expired). An accepted
   * record shows the whole request from its job while the job is kept, else the trimmed copy it holds.
   */
  async read(callId: string): Promise<CallHistoryRecord[]> {
    const records = await this.readRecords(callId);
    await Promise.all(
      records.map(async (r) => {
        if (r.kind !== 'accepted') return;
        const request = await this.jobRequest(r.queue, r.jobId);
        if (request) r.request = wireRequest(request, this.options.redactContent === true);
      }),
    );
    return records;
  }

  private async jobRequest(queue: string, jobId: string): Promise<PushRequest | null> {
    const data = await this.redis.hget(this.jobKey(queue, jobId), 'data');
    if (data === null) return null;
    try {
      const request = (JSON.parse(data) as { request?: unknown }).request;
      return request && typeof request === 'object' ? (request as PushRequest) : null;
    } catch {
      return null;
    }
  }

  private async readRecords(callId: string): Promise<CallHistoryRecord[]> {
    const raw = await this.redis.lrange(this.key(callId), 0, -1);
    const records: CallHistoryRecord[] = [];
    for (const text of raw) {
      try {
        const value = JSON.parse(text) as CallHistoryRecord;
        if (value && typeof value === 'object' && typeof value.kind === 'string' && typeof value.jobId === 'string')
          records.push(value);
      } catch {
        // A record this version cannot read is skipped, not fatal to the rest of the history.
      }
    }
    // Ingest and workers append concurrently: a fast worker's attempt may land before ingest's acceptance.
    return records
      .map((r, i) => [r, i] as const)
      .sort(([a, i], [b, j]) => a.at - b.at || i - j)
      .map(([r]) => r);
  }

  /** The key's remaining life, ms (-2: no such key). For tests and the CLI. */
  async ttlMs(callId: string): Promise<number> {
    return this.redis.pttl(this.key(callId));
  }

  private async append(callId: string, records: readonly CallHistoryRecord[]): Promise<void> {
    try {
      await this.write(callId, records);
    } catch (error) {
      this.options.onError?.(error, callId);
    }
  }

  private async write(callId: string, records: readonly CallHistoryRecord[]): Promise<void> {
    if (records.length === 0) return;
    await APPEND.run(
      this.redis,
      [this.key(callId)],
      [this.maxRecords, Math.ceil(this.options.ttlMs), ...records.map((r) => JSON.stringify(r))],
    );
  }
}

/**
 * Append, trim and renew the TTL atomically, as one script. It was a MULTI/EXEC: ioredis builds a pipeline
 * object per transaction that copies every script defined on the connection (BullMQ defines dozens), which
 * made the history the largest CPU cost of a push in the bench profile (test/bench/RESULTS.md).
 * KEYS: the call's list. ARGV: records kept, TTL ms, records...
 */
const APPEND = new RedisScript(`
redis.call('RPUSH', KEYS[1], unpack(ARGV, 3))
redis.call('LTRIM', KEYS[1], -tonumber(ARGV[1]), -1)
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`);
