// Open-loop load generator (child process): POSTs at a fixed rate whatever the answers do, and times each
// request from the moment it was due, not from when it was sent, so a slow server cannot hide its queueing
// (no coordinated omission). A closed loop (bounded-run.ts) waits for answers and so understates latency.
import { Pool } from 'undici';
import { serveBenchCommands } from './child-rpc.js';
import { LatencyRecorder, type LatencySummary } from './latency.js';

export interface OpenLoopRun {
  origin: string;
  path: string;
  /** Every body is `body` with `idField` set to `${idPrefix}-${i}`. */
  body: Record<string, unknown>;
  idField: string;
  idPrefix: string;
  expectedStatus: number;
  /** Requests per second, spread evenly (request i is due at start + i/rate). */
  ratePerS: number;
  /** How long requests are started for, ms. */
  durationMs: number;
  /** Connections of the pool; requests beyond them wait in the pool, and that wait counts. */
  connections: number;
}

export interface OpenLoopResult {
  /** Requests sent (rate × duration). */
  count: number;
  /** The rate asked for, and the rate requests actually started at (below it when the generator lagged). */
  targetRatePerS: number;
  startedRatePerS: number;
  /** Answers per second over the whole run, first due time to last answer. */
  answeredRatePerS: number;
  /** From each request's due time to its complete answer. */
  latency: LatencySummary;
  /** How late the generator itself started requests (its own lag, included in `latency`), ms. */
  maxStartLagMs: number;
  statuses: Record<string, number>;
  firstProblem: string | null;
}

let pool: Pool | null = null;

async function run(command: OpenLoopRun): Promise<OpenLoopResult> {
  pool ??= new Pool(command.origin, { connections: command.connections, pipelining: 1 });
  const client = pool;
  const count = Math.max(1, Math.round((command.ratePerS * command.durationMs) / 1000));
  const intervalMs = 1000 / command.ratePerS;
  const latencies = new LatencyRecorder(count);
  const statuses: Record<string, number> = {};
  let firstProblem: string | null = null;
  let maxStartLagMs = 0;
  let lastAnswer = 0;
  const inFlight: Promise<void>[] = [];

  const fire = (i: number, dueAt: number): Promise<void> => {
    const body = JSON.stringify({ ...command.body, [command.idField]: `${command.idPrefix}-${i}` });
    return client
      .request({ method: 'POST', path: command.path, headers: { 'content-type': 'application/json' }, body })
      .then(async (res) => {
        const text = await res.body.text();
        return {
          status: res.statusCode,
          problem: res.statusCode === command.expectedStatus ? null : text.slice(0, 300),
        };
      })
      .catch((error: unknown) => ({ status: 0, problem: error instanceof Error ? error.message : String(error) }))
      .then(({ status, problem }) => {
        lastAnswer = performance.now();
        latencies.record(lastAnswer - dueAt);
        statuses[status] = (statuses[status] ?? 0) + 1;
        if (problem !== null) firstProblem ??= `${status}: ${problem}`;
      });
  };

  const start = performance.now();
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Everything due by now goes out now: a late timer sends a burst, it never drops or delays the schedule.
      const due = Math.min(count, Math.floor((now - start) / intervalMs) + 1);
      for (; sent < due; sent++) {
        const dueAt = start + sent * intervalMs;
        maxStartLagMs = Math.max(maxStartLagMs, now - dueAt);
        inFlight.push(fire(sent, dueAt));
      }
      if (sent < count) setTimeout(tick, Math.max(0, start + sent * intervalMs - performance.now()));
      else resolve();
    };
    tick();
  });
  const lastStart = performance.now();
  await Promise.all(inFlight);
  const round = (v: number) => Math.round(v);
  return {
    count,
    targetRatePerS: command.ratePerS,
    startedRatePerS: count > 1 ? round(((count - 1) * 1000) / Math.max(1, lastStart - start)) : command.ratePerS,
    answeredRatePerS: round((count * 1000) / Math.max(1, lastAnswer - start)),
    latency: latencies.summary(),
    maxStartLagMs: Math.round(maxStartLagMs * 100) / 100,
    statuses,
    firstProblem,
  };
}

serveBenchCommands(
  (command) => run(command as OpenLoopRun),
  async () => {
    await pool?.close();
  },
);
