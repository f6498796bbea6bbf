// `pnpm bench:ab`: before/after figures for a hot-path change. Runs the async and sync scenarios on two
// compiled builds (BENCH_AB_BEFORE: another build's services/pushwire/dist/main.js, e.g. a `git worktree` of
// the previous commit after `pnpm build` there; the other is this checkout's), alternating them for
// BENCH_AB_ROUNDS rounds so both see the same machine, and prints each one's median per figure.
import { startBenchStack } from './bench-stack.js';
import { runTimeoutMs, startBenchChild, type BenchChild } from './bench-child.js';
import { BENCH_APP_SECTION, ID_FIELD, V1_PUSH_BODY } from './bench-pushes.js';
import { waitForDeliveries } from './deliveries.js';
import type { HttpLoadRun } from './http-load.js';
import type { LoadResult } from './load-types.js';
import { readBenchParams } from './params.js';
import { sampleProcess } from './proc-stats.js';

type Mode = 'async' | 'sync';

interface Figures {
  answeredPerS: number;
  deliveredPerS: number;
  p50Ms: number;
  p99Ms: number;
  ingestMsPerPush: number;
  workerMsPerPush: number;
}

async function measure(
  main: string,
  mode: Mode,
  n: number,
  warmup: number,
  concurrency: number,
  load: BenchChild,
): Promise<Figures> {
  const stack = await startBenchStack({
    server: mode === 'async' ? { return_async: 'false' } : {},
    appExtras: { [BENCH_APP_SECTION]: { call_deadline: '3600' } },
    main,
  });
  try {
    const run = async (idPrefix: string, count: number) => {
      const command: HttpLoadRun = {
        origin: stack.url,
        path: '/push',
        body: { ...V1_PUSH_BODY },
        idField: ID_FIELD,
        expectedStatus: mode === 'async' ? 202 : 200,
        idPrefix,
        count,
        concurrency,
      };
      const started = Date.now();
      const http = await load.call<LoadResult>(command, runTimeoutMs(count));
      if (http.firstProblem) throw new Error(`${mode}: ${http.firstProblem}`);
      const delivery = await waitForDeliveries(stack.sandbox.apns, `${idPrefix}-`, count);
      stack.sandbox.apns.reset();
      return { http, deliveredPerS: Math.round((count * 1000) / Math.max(1, delivery.lastAt - started)) };
    };
    await run(`${mode}-warmup`, warmup);
    const ingest = stack.ingest.pid;
    const worker = stack.workers[0]!.pid;
    const before = { ingest: sampleProcess(ingest).cpuS, worker: sampleProcess(worker).cpuS };
    const { http, deliveredPerS } = await run(`${mode}-run`, n);
    const after = { ingest: sampleProcess(ingest).cpuS, worker: sampleProcess(worker).cpuS };
    const perPush = (s: number) => Math.round((s * 1e6) / n) / 1000;
    return {
      answeredPerS: http.ratePerS,
      deliveredPerS,
      p50Ms: http.latency.p50Ms,
      p99Ms: http.latency.p99Ms,
      ingestMsPerPush: perPush(after.ingest - before.ingest),
      workerMsPerPush: perPush(after.worker - before.worker),
    };
  } finally {
    await stack.close();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round(((sorted[mid - 1]! + sorted[mid]!) / 2) * 1000) / 1000;
}

async function main(): Promise<void> {
  const params = readBenchParams(process.env);
  const before = process.env.BENCH_AB_BEFORE;
  if (!before) throw new Error('BENCH_AB_BEFORE must name the other build (its services/pushwire/dist/main.js)');
  const builds = { before, after: '' };
  const rounds = Number(process.env.BENCH_AB_ROUNDS ?? 3);
  const modes = (process.env.BENCH_PROFILE_MODES ?? 'async,sync').split(',') as Mode[];
  const load = await startBenchChild('./http-load.ts');
  const results: Record<string, Figures[]> = {};
  try {
    for (let round = 1; round <= rounds; round++) {
      for (const mode of modes) {
        // Alternate which build goes first, so neither always meets the same neighbours.
        const order = round % 2 ? (['before', 'after'] as const) : (['after', 'before'] as const);
        for (const which of order) {
          const figures = await measure(builds[which], mode, params.n, params.warmup, params.concurrency, load);
          const key = `${mode} ${which}`;
          results[key] ??= [];
          results[key].push(figures);
          process.stderr.write(`round ${round} ${mode} ${which}: ${JSON.stringify(figures)}\n`);
        }
      }
    }
  } finally {
    await load.close();
  }
  const keys: (keyof Figures)[] = [
    'answeredPerS',
    'deliveredPerS',
    'p50Ms',
    'p99Ms',
    'ingestMsPerPush',
    'workerMsPerPush',
  ];
  process.stdout.write(`median of ${rounds} rounds, N=${params.n}, ${params.concurrency} in flight\n`);
  process.stdout.write(`${'run'.padEnd(14)}${keys.map((k) => k.padStart(16)).join('')}\n`);
  for (const [name, list] of Object.entries(results)) {
    process.stdout.write(
      `${name.padEnd(14)}${keys.map((k) => String(median(list.map((f) => f[k]))).padStart(16)).join('')}\n`,
    );
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(`ab failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
