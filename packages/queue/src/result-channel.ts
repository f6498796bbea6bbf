// Results of push jobs for sync answers (docs/decisions/0008-sync-answers.md): a worker stores each final result in the job's own
// hash (so it lives exactly as long as the job and is stored once) and, when an
// ingest instance waits for it, publishes it on that instance's own channel. The waiting side
// (result-listener.ts) holds one subscription per process, made at start, never one per job.
import type { Redis } from 'ioredis';
import { RedisScript } from '@pushwire/redis';

export interface ResultChannelOptions {
  /** Redis key prefix of the instance channels. Default `pushwire`. */
  prefix?: string;
}

/** What travels on an instance channel: the job and its result. */
export interface ResultMessage<T> {
  jobId: string;
  value: T;
}

/** Where one job's result is kept: the job id, and the key of the job's hash (`<queue prefix>:<queue>:<id>`). */
export interface ResultRef {
  jobId: string;
  jobKey: string;
}

/** The job hash field holding Pushwire's result (beside BullMQ's own fields). */
export const RESULT_FIELD = 'pwresult';

/** The channel of one ingest instance, named in the jobs it waits for (`PushJobData.replyTo`). */
export function resultChannelName(prefix: string, instanceId: string): string {
  return `${prefix}:results:${instanceId}`;
}

/** The hash key BullMQ keeps a job in. */
export function jobKeyOf(queuePrefix: string, queueName: string, jobId: string): string {
  return `${queuePrefix}:${queueName}:${jobId}`;
}

// Stores only into a job that still exists (a removed job must not leave an orphan hash without a TTL), then
// tells the waiting instance, in one round trip. KEYS: job hash. ARGV: field, result, channel or '', message.
const PUBLISH = new RedisScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], ARGV[1], ARGV[2]) end
if ARGV[3] ~= '' then redis.call('PUBLISH', ARGV[3], ARGV[4]) end
return 1`);

export class ResultChannel<T> {
  readonly prefix: string;

  /** @param redis commands connection. */
  constructor(
    private readonly redis: Redis,
    options: ResultChannelOptions = {},
  ) {
    this.prefix = options.prefix ?? 'pushwire';
  }

  /** Stores the job's result and, when an instance waits for it (`replyTo`), tells that instance. */
  async publish(ref: ResultRef, value: T, replyTo?: string): Promise<void> {
    const json = JSON.stringify(value);
    const channel = replyTo ? resultChannelName(this.prefix, replyTo) : '';
    const message = replyTo ? JSON.stringify({ jobId: ref.jobId, value } satisfies ResultMessage<T>) : '';
    await PUBLISH.run(this.redis, [ref.jobKey], [RESULT_FIELD, json, channel, message]);
  }

  async peek(jobKey: string): Promise<T | null> {
    const raw = await this.redis.hget(jobKey, RESULT_FIELD);
    return raw === null ? null : (JSON.parse(raw) as T);
  }
}
