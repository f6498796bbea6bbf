// The loop every load generator shares: N operations, a fixed number in flight, each one timed.
import { LatencyRecorder, perSecond } from './latency.js';
import type { LoadResult } from './load-types.js';

/** One operation's outcome: a status, and what went wrong when it is not the expected one. */
export interface Outcome {
  status: number;
  problem?: string;
}

/**
 * Runs `operation(0..count-1)` with `concurrency` loops; each loop starts its next operation as soon as the
 * previous answered (closed-loop load, as a fixed pool of callers behaves). `expected` is the status that
 * counts as success. After the first other outcome no new operation starts: figures from a run with
 * failures would mislead, so the run ends early (`count` says how many ran) and the caller reports it.
 */
export async function runBounded(
  count: number,
  concurrency: number,
  expected: number,
  operation: (index: number) => Promise<Outcome>,
): Promise<LoadResult> {
  const latencies = new LatencyRecorder(count);
  const statuses: Record<string, number> = {};
  let firstProblem: string | null = null;
  let next = 0;
  let failed = false;
  const loop = async () => {
    for (let i = next++; i < count && !failed; i = next++) {
      const sent = performance.now();
      let outcome: Outcome;
      try {
        outcome = await operation(i);
      } catch (error) {
        outcome = { status: 0, problem: error instanceof Error ? error.message : String(error) };
      }
      latencies.record(performance.now() - sent);
      statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
      if (outcome.status !== expected && !failed) {
        failed = true;
        firstProblem = `${outcome.status}: ${outcome.problem ?? ''}`.trim();
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, loop));
  const elapsedMs = performance.now() - started;
  const ran = latencies.count;
  return {
    count: ran,
    elapsedMs: Math.round(elapsedMs),
    ratePerS: perSecond(ran, elapsedMs),
    latency: latencies.summary(),
    statuses,
    firstProblem,
  };
}
