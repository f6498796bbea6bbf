// The bench's parameters, from the environment (`BENCH_*`): sizes of the runs and where results go.
import { fileURLToPath } from 'node:url';

export interface BenchParams {
  /** Pushes (jobs, requests) per measured run. `BENCH_N`, default {@link DEFAULT_N}. */
  n: number;
  /** Requests (or adds, or HTTP/2 streams) in flight at once. `BENCH_CONCURRENCY`, default 50. */
  concurrency: number;
  /** Unmeasured operations before each measured run. `BENCH_WARMUP`, default max(100, N/10). */
  warmup: number;
  /** Measured starts of each build (compiled, tsx) in the startup scenario. `BENCH_STARTUP_RUNS`, default 5. */
  startupRuns: number;
  /** Requests per second of the open-loop sync run. `BENCH_OPEN_RATE`, default 1000. */
  openRate: number;
  /** Seconds the open-loop run sends for. `BENCH_OPEN_SECONDS`, default 10. */
  openSeconds: number;
  /** Pushes waiting when a worker starts on the backlog. `BENCH_BACKLOG`, default 100000. */
  backlog: number;
  /** Where the JSON results go. `BENCH_OUT`, default `test/bench/results/latest.json`. */
  outFile: string;
}

/** Sized so each closed-loop run takes seconds on 2 cores (the whole bench, backlog included, about six minutes). */
export const DEFAULT_N = 10_000;
export const DEFAULT_CONCURRENCY = 50;

/** A bad `BENCH_*` value: reported as one line, nothing was started. */
export class BenchParamError extends Error {
  override name = 'BenchParamError';
}

export function readBenchParams(env: Readonly<Record<string, string | undefined>>): BenchParams {
  const n = positiveInteger(env, 'BENCH_N', DEFAULT_N);
  return {
    n,
    concurrency: positiveInteger(env, 'BENCH_CONCURRENCY', DEFAULT_CONCURRENCY),
    warmup: positiveInteger(env, 'BENCH_WARMUP', Math.max(100, Math.round(n / 10))),
    startupRuns: positiveInteger(env, 'BENCH_STARTUP_RUNS', 5),
    openRate: positiveInteger(env, 'BENCH_OPEN_RATE', 1000),
    openSeconds: positiveInteger(env, 'BENCH_OPEN_SECONDS', 10),
    backlog: positiveInteger(env, 'BENCH_BACKLOG', 100_000),
    outFile: env.BENCH_OUT || fileURLToPath(new URL('./results/latest.json', import.meta.url)),
  };
}

function positiveInteger(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new BenchParamError(`${name} must be a whole number above 0, got "${raw}"`);
  return Number(raw);
}
