// The per-call history index: a Redis list per call-id that ingest and workers append to, so an
// auditor finds every push of a call (any app, platform, device, v1 or v2) without scanning queues.
import type { PushRequest } from '@pushwire/core';
import type { Redis } from 'ioredis';
import { keyPart, RedisScript } from '@pushwire/redis';
import { wireRequest, type AttemptRecord, type CallApi, type CallHistoryRecord, type ResultRecord } from './call-history-records.js';

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
  /** Store `content` as "[redacted]" (`[admin] redact_content`). Default false. */
  redactContent?: boolean;
  /** Told when a record could not be written; recording never fails a push. */
  onError?: (error: unknown, callId: string) => void;
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

  constructor(
    private readonly redis: Redis,
    private readonly options: CallHistoryOptions,
  ) {
    if (!(options.ttlMs >= 1)) throw new RangeError(`call history TTL must be at least 1 ms, got ${options.ttlMs}`);
    this.prefix = options.prefix ?? 'pushwire';
    this.maxRecords = options.maxRecords ?? 1000;
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
        request: wireRequest(request, this.options.redactContent === true),
      });
      byCall.set(request.callId, records);
    }
    await Promise.all([...byCall].map(([callId, records]) => this.append(callId, records)));
  }

  /** Records one attempt: the push service's answer, or a hold by the app's circuit breaker. */
  async attempt(callId: string, input: AttemptInput): Promise<void> {
    await this.append(callId, [{ kind: 'attempt', ...input }]);
  }

  /** Records how the push ended. */
  async result(callId: string, input: ResultInput): Promise<void> {
    await this.append(callId, [{ kind: 'result', ...input }]);
  }

  /** Records the last attempt and how the push ended, in one write (the usual end of a push). */
  async settled(callId: string, attempt: AttemptInput, result: ResultInput): Promise<void> {
    await this.append(callId, [{ kind: 'attempt', ...attempt }, { kind: 'result', ...result }]);
  }

  /** Every record kept for the call, oldest first by time; [] when none (unknown or expired). */
  async read(callId: string): Promise<CallHistoryRecord[]> {
    const raw = await this.redis.lrange(this.key(callId), 0, -1);
    const records: CallHistoryRecord[] = [];
    for (const text of raw) {
      try {
        const value = JSON.parse(text) as CallHistoryRecord;
        if (value && typeof value === 'object' && typeof value.kind === 'string' && typeof value.jobId === 'string') records.push(value);
      } catch {
        // A record this version cannot read is skipped, not fatal to the rest of the history.
      }
    }
    // Ingest and workers append concurrently: a fast worker's attempt may land before ingest's acceptance.
    return records.map((r, i) => [r, i] as const).sort(([a, i], [b, j]) => a.at - b.at || i - j).map(([r]) => r);
  }

  /** The key's remaining life, ms (-2: no such key). For tests and the CLI. */
  async ttlMs(callId: string): Promise<number> {
    return this.redis.pttl(this.key(callId));
  }

  private async append(callId: string, records: readonly CallHistoryRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      await APPEND.run(this.redis, [this.key(callId)], [this.maxRecords, Math.ceil(this.options.ttlMs), ...records.map((r) => JSON.stringify(r))]);
    } catch (error) {
      this.options.onError?.(error, callId);
    }
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
