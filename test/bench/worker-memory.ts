// `tsx --conditions=pushwire-source test/bench/worker-memory.ts [N] [node options...]`: one worker drains N
// (default 20000) waiting pushes; prints its RSS every second, the peak, its CPU per push and, with
// `--trace-gc` among the options, the live heap after each full GC. For comparing V8 heap settings, e.g.
// `--heap-growing-percent=50` or `--max-old-space-size=96`, against Node's defaults (test/bench/RESULTS.md).
import { startBenchStack } from './bench-stack.js';
import { runTimeoutMs, startBenchChild } from './bench-child.js';
import { ID_FIELD, V1_PUSH_BODY } from './bench-pushes.js';
import type { HttpLoadRun } from './http-load.js';
import type { LoadResult } from './load-types.js';
import { sampleProcess } from './proc-stats.js';
import { BENCH_STACK_OPTIONS } from './scenario-pushwire.js';

const [countArg, ...nodeArgs] = process.argv.slice(2);
const count = Number(countArg ?? 20_000);
const stack = await startBenchStack({
  ...BENCH_STACK_OPTIONS,
  server: { return_async: 'false' },
  workers: 0,
  env: { PUSHWIRE_MAX_QUEUE_DEPTH: '0' },
  nodeArgs,
});
const load = await startBenchChild('./http-load.ts');
try {
  const command: HttpLoadRun = {
    origin: stack.url,
    path: '/push',
    body: { ...V1_PUSH_BODY },
    idField: ID_FIELD,
    expectedStatus: 202,
    idPrefix: 'mem',
    count,
    concurrency: 50,
  };
  const fill = await load.call<LoadResult>(command, runTimeoutMs(count));
  if (fill.firstProblem !== null) throw new Error(fill.firstProblem);
  const worker = await stack.startWorker();
  const liveAfterFullGc: number[] = [];
  // `--trace-gc` lines: "Mark-Compact 110.0 (139.9) -> 32.4 (105.4) MB": the live heap is the figure after "->".
  worker.process.stdout!.on('data', (d: Buffer) => {
    for (const m of d.toString().matchAll(/Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \(/g))
      liveAfterFullGc.push(Number(m[1]));
  });
  const startedAt = Date.now();
  const cpuBefore = sampleProcess(worker.pid).cpuS;
  let delivered = 0;
  let peak = 0;
  const trace: string[] = [];
  while (delivered < count) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    delivered += stack.sandbox.apns.requests.filter((r) => r.delivered).length;
    stack.sandbox.apns.reset();
    const rss = sampleProcess(worker.pid).rssMb;
    peak = Math.max(peak, rss);
    trace.push(`${Math.round(rss)}`);
    if (Date.now() - startedAt > 300_000) throw new Error(`only ${delivered} of ${count} delivered in 5 minutes`);
  }
  const cpuMs = ((sampleProcess(worker.pid).cpuS - cpuBefore) * 1000) / count;
  process.stdout.write(
    `node options: ${nodeArgs.join(' ') || '(defaults)'}\n` +
      `drained ${count} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s; worker CPU ${cpuMs.toFixed(3)} ms/push; ` +
      `RSS peak ${Math.round(peak)} MB; RSS each second: ${trace.join(' ')} MB\n` +
      (liveAfterFullGc.length ? `live heap after each full GC: ${liveAfterFullGc.join(', ')} MB\n` : ''),
  );
} finally {
  await load.close();
  await stack.close();
}
process.exit(0);
