// Latency samples and their summary (nearest-rank percentiles over every sample, no histogram buckets).

/** What a benchmark reports about one set of latencies, in milliseconds. */
export interface LatencySummary {
  count: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  meanMs: number;
}

/** Collects one latency per operation into a preallocated buffer. */
export class LatencyRecorder {
  private readonly samples: Float64Array;
  private recorded = 0;

  constructor(capacity: number) {
    this.samples = new Float64Array(capacity);
  }

  /** Records one operation's latency (ms); at most `capacity` of them. */
  record(ms: number): void {
    this.samples[this.recorded] = ms;
    this.recorded += 1;
  }

  get count(): number {
    return this.recorded;
  }

  summary(): LatencySummary {
    return summarize(this.samples.subarray(0, this.recorded));
  }
}

/** Nearest-rank percentiles: p99 of 5000 samples is the 4950th smallest, a value that was observed. */
export function summarize(samples: ArrayLike<number>): LatencySummary {
  const sorted = Float64Array.from(samples).sort();
  const count = sorted.length;
  if (count === 0) return { count, p50Ms: Number.NaN, p99Ms: Number.NaN, maxMs: Number.NaN, meanMs: Number.NaN };
  let sum = 0;
  for (const value of sorted) sum += value;
  const rank = (p: number) => sorted[Math.min(count, Math.max(1, Math.ceil((p / 100) * count))) - 1] ?? Number.NaN;
  return {
    count,
    p50Ms: round(rank(50)),
    p99Ms: round(rank(99)),
    maxMs: round(sorted[count - 1] ?? Number.NaN),
    meanMs: round(sum / count),
  };
}

/** Operations per second over `elapsedMs`. */
export function perSecond(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? Math.round((count * 1000) / elapsedMs) : Number.NaN;
}

/** Two decimals: sub-millisecond differences matter for baselines, more digits are noise. */
function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
