// Keeps call histories bounded by the jobs they describe: an index of calls by recency, and past the newest
// `recentCalls` of them, a history goes as soon as none of its jobs is kept any more (BullMQ removed them by
// `retention_jobs` / `retention_days`), so Redis holds about as many histories as it holds finished jobs.
import type { Redis } from 'ioredis';
import { RedisScript } from '@pushwire/redis';

export interface CallHistoryPrunerOptions {
  redis: Redis;
  /** The sorted set of calls (member: the call's key part, score: ms of its last acceptance or check). */
  indexKey: string;
  /** The history key of an index member. */
  callKey(member: string): string;
  /** The hash key of a job named in a history. */
  jobKey(queue: string, jobId: string): string;
  /** Histories always kept, the newest; older ones only while one of their jobs is. */
  recentCalls: number;
  /** Histories examined per pass. Default 500. */
  batch?: number;
  /** Least time between two passes of this process, ms. Default 200. */
  minIntervalMs?: number;
  /**
   * After a pass that found only histories whose jobs are still kept (a backlog), the least time before the
   * next one, ms, so a long backlog is not re-read over and over. Default 5000.
   */
  busyIntervalMs?: number;
  onError?: (error: unknown) => void;
}

// Deletes a history only if nothing was appended since it was read (a call-id reused meanwhile keeps it).
// KEYS: the call's list. ARGV: its length when read.
const DELETE_IF_UNCHANGED = new RedisScript(`
if redis.call('LLEN', KEYS[1]) == tonumber(ARGV[1]) then redis.call('DEL', KEYS[1]) return 1 end
return 0`);

// Drops index members whose score is still the one read (a call accepted again meanwhile stays).
// KEYS: the index. ARGV: member, score, member, score...
const REMOVE_IF_SCORE = new RedisScript(`
local removed = 0
for i = 1, #ARGV, 2 do
  if redis.call('ZSCORE', KEYS[1], ARGV[i]) == ARGV[i + 1] then removed = removed + redis.call('ZREM', KEYS[1], ARGV[i]) end
end
return removed`);

export class CallHistoryPruner {
  private readonly batch: number;
  private readonly minIntervalMs: number;
  private readonly busyIntervalMs: number;
  /** The next pass starts no sooner than this (ms since the epoch). */
  private notBefore = Number.NEGATIVE_INFINITY;
  /** Histories the last pass examined without deleting any. */
  private examinedInVain = 0;
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | undefined;
  private again = false;
  private closed = false;

  constructor(private readonly options: CallHistoryPrunerOptions) {
    if (!(Number.isInteger(options.recentCalls) && options.recentCalls >= 0)) {
      throw new RangeError(`recentCalls must be a whole number, got ${options.recentCalls}`);
    }
    this.batch = options.batch ?? 500;
    this.minIntervalMs = options.minIntervalMs ?? 200;
    this.busyIntervalMs = options.busyIntervalMs ?? 5000;
  }

  /** Asks for a pass soon: at most one runs at a time per process, and one more follows any asked meanwhile. */
  request(): void {
    if (this.closed) return;
    if (this.running || this.timer) {
      this.again = true;
      return;
    }
    const wait = this.notBefore - Date.now();
    if (wait > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.start();
      }, wait);
      this.timer.unref();
      return;
    }
    this.start();
  }

  /** Resolves once no pass runs or waits (tests; shutdown). */
  async idle(): Promise<void> {
    while (this.running || this.timer) {
      if (this.running) await this.running;
      else await new Promise((resolve) => setTimeout(resolve, Math.max(1, this.notBefore - Date.now())));
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Passes until the index is within `recentCalls` or a pass finds only histories whose jobs are kept. */
  async prune(): Promise<number> {
    let removed = 0;
    for (;;) {
      const pass = await this.pass();
      removed += pass.removed;
      this.examinedInVain = pass.removed === 0 ? pass.examined : 0;
      if (pass.removed === 0 || !pass.more || this.closed) return removed;
    }
  }

  private start(): void {
    this.notBefore = Date.now() + this.minIntervalMs;
    this.again = false;
    this.running = this.prune()
      .then(
        () => undefined,
        (error: unknown) => {
          if (!this.closed) this.options.onError?.(error);
        },
      )
      .finally(() => {
        if (this.examinedInVain > 0) this.notBefore = Math.max(this.notBefore, Date.now() + this.busyIntervalMs);
        this.running = null;
        if (this.again) this.request();
      });
  }

  /** Examines the oldest histories past `recentCalls`: gone jobs → history deleted; a kept job → checked again later. */
  private async pass(): Promise<{ removed: number; examined: number; more: boolean }> {
    const { redis, indexKey, recentCalls } = this.options;
    const excess = (await redis.zcard(indexKey)) - recentCalls;
    if (excess <= 0) return { removed: 0, examined: 0, more: false };
    const flat = await redis.zrange(indexKey, '0', String(Math.min(excess, this.batch) - 1), 'WITHSCORES');
    const entries: { member: string; score: string }[] = [];
    for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ member: flat[i]!, score: flat[i + 1]! });
    const lists = await Promise.all(entries.map((e) => redis.lrange(this.options.callKey(e.member), 0, -1)));
    const alive = await Promise.all(lists.map((records) => this.anyJobKept(records)));
    const gone = entries.filter((_, i) => !alive[i]);
    const kept = entries.filter((_, i) => alive[i]);
    await Promise.all(
      entries.map((e, i) => (alive[i] ? null : DELETE_IF_UNCHANGED.run(redis, [this.options.callKey(e.member)], [lists[i]!.length]))),
    );
    const removed = gone.length === 0 ? 0 : Number(await REMOVE_IF_SCORE.run(redis, [indexKey], gone.flatMap((e) => [e.member, e.score])));
    // A history whose job is still kept (waiting, retrying, or kept longer in a quiet queue) goes to the back of
    // the line, so each pass looks at new candidates instead of the same live ones.
    if (kept.length > 0) await redis.zadd(indexKey, 'XX', ...kept.flatMap((e) => [String(Date.now()), e.member]));
    return { removed, examined: entries.length, more: excess > entries.length };
  }

  private async anyJobKept(records: readonly string[]): Promise<boolean> {
    const jobs = new Set<string>();
    for (const text of records) {
      try {
        const r = JSON.parse(text) as { queue?: unknown; jobId?: unknown };
        if (typeof r.queue === 'string' && typeof r.jobId === 'string') jobs.add(this.options.jobKey(r.queue, r.jobId));
      } catch {
        // An unreadable record names no job.
      }
    }
    if (jobs.size === 0) return false;
    const found = await Promise.all([...jobs].map((key) => this.options.redis.exists(key)));
    return found.some((n) => n > 0);
  }
}
