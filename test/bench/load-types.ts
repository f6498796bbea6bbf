// What the parent asks of a load generator and what one run reports (shared by both sides of the protocol).
import type { LatencySummary } from './latency.js';

/** Sends `count` requests with at most `concurrency` in flight; request i gets id `${idPrefix}-${i}`. */
export interface LoadRun {
  count: number;
  concurrency: number;
  idPrefix: string;
}

/** One measured run of a load generator. */
export interface LoadResult {
  count: number;
  /** From the first request sent to the last answer, ms. */
  elapsedMs: number;
  ratePerS: number;
  latency: LatencySummary;
  /** Answers by status ("0" = no answer: a transport error). */
  statuses: Record<string, number>;
  /** The first unexpected answer or error, for the report. */
  firstProblem: string | null;
}
