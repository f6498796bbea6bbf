// Reads BullMQ's queue lists straight from Redis, to tell "nothing left to deliver" from "not yet delivered".
import { pushQueueName } from '@pushwire/queue';
import { Redis } from 'ioredis';

export const DEFAULT_PREFIX = 'pushwire';

/** The queues of the sandbox's apps. */
export const SANDBOX_QUEUES = [
  pushQueueName('com.pushwire.sandbox.sylk.dev', 'apple'),
  pushQueueName('com.pushwire.sandbox.sylk.dev', 'firebase'),
  pushQueueName('com.pushwire.sandbox.linphone.dev', 'apple'),
  pushQueueName('com.pushwire.sandbox.linphone.dev', 'firebase'),
];

/** Jobs by state, summed over the queues (BullMQ 6 key layout: lists and sorted sets under `<prefix>:<queue>:`). */
export interface JobCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

const LISTS = { waiting: ['wait', 'paused'], active: ['active'] } as const;
const SORTED_SETS = {
  waiting: ['prioritized', 'waiting-children'],
  delayed: ['delayed'],
  completed: ['completed'],
  failed: ['failed'],
} as const;

export async function jobCounts(
  redisUrl: string,
  queues: readonly string[] = SANDBOX_QUEUES,
  prefix = DEFAULT_PREFIX,
): Promise<JobCounts> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    const counts: JobCounts = { waiting: 0, active: 0, delayed: 0, completed: 0, failed: 0 };
    for (const queue of queues) {
      const key = (suffix: string) => `${prefix}:${queue}:${suffix}`;
      for (const [state, suffixes] of Object.entries(LISTS) as [keyof JobCounts, readonly string[]][]) {
        for (const s of suffixes) counts[state] += await redis.llen(key(s));
      }
      for (const [state, suffixes] of Object.entries(SORTED_SETS) as [keyof JobCounts, readonly string[]][]) {
        for (const s of suffixes) counts[state] += await redis.zcard(key(s));
      }
    }
    return counts;
  } finally {
    redis.disconnect();
  }
}

/** True when no job is waiting, active or delayed: nothing more will reach an emulator. */
export async function queuesIdle(
  redisUrl: string,
  queues: readonly string[] = SANDBOX_QUEUES,
  prefix = DEFAULT_PREFIX,
): Promise<boolean> {
  const c = await jobCounts(redisUrl, queues, prefix);
  return c.waiting + c.active + c.delayed === 0;
}
