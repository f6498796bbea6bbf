// Keeps call histories bounded by the jobs they describe: an index of calls by recency, and past the newest
// `recentCalls` of them, a history goes as soon as none of its jobs is kept any more (BullMQ removed them by
// `retention_jobs` / `retention_days`), so Redis holds about as many histories as it holds finished jobs.
import type { Redis } from 'ioredis';
import { RedisScript } from '@pushwire/redis';

export interface CallHistoryPrunerOptions {
  redis: Redis;
  /** The sorted set of calls (member: the call's key part, score: ms of its last acceptance). */
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
   * After a scan of every history past the window that found only kept jobs (a backlog), the least time before
   * the next one, ms, so a long backlog is not re-read over and over. Default 5000.
   */
  busyIntervalMs?: number;
  onError?: (error: unknown) => void;
}

/** Batches one scheduled run examines before it yields (it goes on at the next run). */
const BATCHES_PER_RUN = 5;

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
  /** Rank in the index where the current scan goes on (entries before it were passed over as kept). */
  private cursor = 0;
  /** Histories the current scan deleted. */
  private cycleRemoved = 0;
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

  /** Scans every history past the newest `recentCalls` once; how many went. */
  async prune(): Promise<number> {
    let removed = 0;
    for (;;) {
      const run = await this.scan(Number.POSITIVE_INFINITY);
      removed += run.removed;
      if (run.cycleDone || this.closed) return removed;
    }
  }

  private start(): void {
    this.notBefore = Date.now() + this.minIntervalMs;
    this.again = false;
    this.running = this.scan(BATCHES_PER_RUN)
      .then(
        (run) => {
          // A scan not finished goes on; one that found only kept jobs (a backlog) rests a while.
          if (!run.cycleDone) this.again = true;
          else if (run.vain) this.notBefore = Date.now() + this.busyIntervalMs;
        },
        (error: unknown) => {
          if (!this.closed) this.options.onError?.(error);
        },
      )
      .finally(() => {
        this.running = null;
        if (this.again) this.request();
      });
  }

  /**
   * Examines up to `batches` batches of the histories past the newest `recentCalls`, oldest first, from where the
   * last scan stopped: a history none of whose jobs is kept is deleted, one with a kept job is passed over (and
   * looked at again next cycle). `cycleDone` once the scan reached the window; `vain` if that cycle deleted none.
   */
  private async scan(batches: number): Promise<{ removed: number; cycleDone: boolean; vain: boolean }> {
    const { redis, indexKey, recentCalls } = this.options;
    let removed = 0;
    for (let b = 0; b < batches; b++) {
      const excess = (await redis.zcard(indexKey)) - recentCalls;
      if (this.cursor >= excess) {
        const vain = excess > 0 && this.cycleRemoved === 0;
        this.cursor = 0;
        this.cycleRemoved = 0;
        return { removed, cycleDone: true, vain };
      }
      const last = Math.min(this.cursor + this.batch, excess) - 1;
      const flat = await redis.zrange(indexKey, String(this.cursor), String(last), 'WITHSCORES');
      const entries: { member: string; score: string }[] = [];
      for (let i = 0; i + 1 < flat.length; i += 2) entries.push({ member: flat[i]!, score: flat[i + 1]! });
      if (entries.length === 0) continue;
      const lists = await Promise.all(entries.map((e) => redis.lrange(this.options.callKey(e.member), 0, -1)));
      const alive = await Promise.all(lists.map((records) => this.anyJobKept(records)));
      const gone = entries.filter((_, i) => !alive[i]);
      await Promise.all(
        entries.map((e, i) =>
          alive[i] ? null : DELETE_IF_UNCHANGED.run(redis, [this.options.callKey(e.member)], [lists[i]!.length]),
        ),
      );
      const dropped =
        gone.length === 0
          ? 0
          : Number(
              await REMOVE_IF_SCORE.run(
                redis,
                [indexKey],
                gone.flatMap((e) => [e.member, e.score]),
              ),
            );
      // The entries left in place (kept jobs, or a call accepted again meanwhile) are passed over.
      this.cursor += entries.length - dropped;
      this.cycleRemoved += dropped;
      removed += dropped;
    }
    return { removed, cycleDone: false, vain: false };
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
