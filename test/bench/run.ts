// `pnpm bench`: Pushwire's throughput, latency, CPU and memory next to two baselines measured in the same run,
// printed as one table per scenario with the benchmark targets checked, and written to
// test/bench/results/latest.json. Parameters: params.ts.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { V2_DEVICES } from './bench-pushes.js';
import { closeEverythingOnSignals, wasInterrupted } from './cleanup.js';
import { BenchParamError, readBenchParams } from './params.js';
import { compare, formatReport } from './report.js';
import { checkTargets } from './targets.js';
import { describeMachine, writeResults, type BenchResults } from './results.js';
import { runApnsBaseline, runBullmqBaseline } from './scenario-baselines.js';
import { runBacklog } from './scenario-backlog.js';
import { runPushwireAsync, runPushwireAsyncTwoWorkers, runPushwireSync } from './scenario-pushwire.js';
import { runStartup } from './scenario-startup.js';

async function main(): Promise<void> {
  const params = readBenchParams(process.env);
  const workDir = mkdtempSync(join(tmpdir(), 'pushwire-bench-'));
  const started = Date.now();
  const machine = describeMachine();
  const step = async <T>(label: string, run: () => Promise<T>): Promise<T> => {
    const t = Date.now();
    process.stderr.write(`bench: ${label} …`);
    const result = await run();
    process.stderr.write(` ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
    return result;
  };
  try {
    process.stderr.write(
      `bench: N=${params.n}, concurrency ${params.concurrency}, warm-up ${params.warmup}, open loop ${params.openRate}/s, backlog ${params.backlog}\n`,
    );
    const bullmqNoop = await step('A. raw BullMQ no-op pipeline', () => runBullmqBaseline(params, workDir));
    const apnsDirect = await step('B. APNs emulator alone', () => runApnsBaseline(params, workDir));
    const pushwireAsync = await step('C. Pushwire async', () => runPushwireAsync(params));
    const pushwireAsyncTwoWorkers = await step('H. Pushwire async, two workers', () =>
      runPushwireAsyncTwoWorkers(params),
    );
    const { sync, v2, open } = await step('D+E+G. Pushwire sync, v2 fan-out, sync open loop', () =>
      runPushwireSync(params),
    );
    const backlog = await step(`I. backlog of ${params.backlog} pushes`, () => runBacklog(params));
    const startup = await step('F. startup, compiled and tsx', () => runStartup(params, workDir));
    const scenarios: BenchResults['scenarios'] = {
      bullmqNoop,
      apnsDirect,
      pushwireAsync,
      pushwireSync: sync,
      pushwireV2: { ...v2, devicesPerAccount: V2_DEVICES },
      pushwireOpenLoop: open,
      pushwireAsyncTwoWorkers,
      backlog,
      startup,
    };
    const { n, concurrency, warmup, startupRuns, openRate, openSeconds } = params;
    const results: BenchResults = {
      date: new Date().toISOString(),
      machine,
      params: { n, concurrency, warmup, startupRuns, openRate, openSeconds, backlog: params.backlog },
      scenarios,
      comparisons: compare(scenarios),
      targets: checkTargets(scenarios),
    };
    process.stdout.write(`\n${formatReport(results)}\n\n`);
    writeResults(params.outFile, results);
    process.stderr.write(
      `bench: done in ${Math.round((Date.now() - started) / 1000)} s; figures in ${relative(process.cwd(), params.outFile)}\n`,
    );
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

const run = main();
closeEverythingOnSignals(run);
// After a signal, the signal handler exits once everything is closed (the scenario fails on the way).
run.then(
  // Explicit exit: a library handle left open must not keep a finished run alive.
  () => {
    if (!wasInterrupted()) process.exit(0);
  },
  (error: unknown) => {
    if (wasInterrupted()) return;
    const detail =
      error instanceof BenchParamError
        ? error.message
        : error instanceof Error
          ? (error.stack ?? error.message)
          : String(error);
    process.stderr.write(`\nbench failed: ${detail}\n`);
    process.exit(1);
  },
);
