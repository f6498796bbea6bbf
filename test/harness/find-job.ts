// Finds a push job in Redis by what it carries: job ids hash the whole request (docs/decisions/0009-idempotency-and-cancel.md), so a test
// cannot recompute one from a few fields; it looks the job up by call-id (the job name), token and event.
import type { Redis } from 'ioredis';

export interface JobMatch {
  callId: string;
  token?: string;
  event?: string;
}

/** The id of the job of `<prefix>:<queue>` matching `match`, or null while there is none. */
export async function findJobId(redis: Redis, prefix: string, queue: string, match: JobMatch): Promise<string | null> {
  const base = `${prefix}:${queue}:`;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${base}v*`, 'COUNT', 1000);
    cursor = next;
    for (const key of keys) {
      const id = key.slice(base.length);
      if (id.includes(':')) continue; // a job's sub-key (logs, lock), not the job hash
      const [name, data] = await redis.hmget(key, 'name', 'data');
      if (name !== match.callId || data === null || data === undefined) continue;
      const request = (JSON.parse(data ?? '{}') as { request?: { token?: string; event?: string } }).request ?? {};
      if (match.token !== undefined && request.token !== match.token) continue;
      if (match.event !== undefined && request.event !== match.event) continue;
      return id;
    }
  } while (cursor !== '0');
  return null;
}
