// `pnpm bench:profile`: runs the compiled ingest and worker under `node --cpu-prof` with the bench's load
// (async: 202 then delivery; sync: Apple's answer) and prints where their CPU time goes during the measured
// run only (startup and warm-up cut off), per push. Raw profiles stay in BENCH_PROFILE_DIR (default: a temp dir).
import { mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBenchStack, type BenchService } from './bench-stack.js';
import { runTimeoutMs, startBenchChild } from './bench-child.js';
import { BENCH_APP_SECTION, ID_FIELD, V1_PUSH_BODY } from './bench-pushes.js';
import { bucketProfile, formatBuckets } from './cpuprofile-buckets.js';
import { formatSummary, readProfile, summarizeProfile } from './cpuprofile-top.js';
import { waitForDeliveries } from './deliveries.js';
import type { HttpLoadRun } from './http-load.js';
import type { LoadResult } from './load-types.js';
import { readBenchParams } from './params.js';

type Mode = 'async' | 'sync';

async function profileMode(
  mode: Mode,
  n: number,
  warmup: number,
  concurrency: number,
  top: number,
  dir: string,
): Promise<string> {
  const profileDir = join(dir, mode);
  mkdirSync(profileDir, { recursive: true });
  const stack = await startBenchStack({
    server: mode === 'async' ? { return_async: 'false' } : {},
    appExtras: { [BENCH_APP_SECTION]: { call_deadline: '3600' } },
    cpuProfileDir: profileDir,
  });
  const load = await startBenchChild('./http-load.ts');
  let window: { from: number; to: number } | null = null;
  let http: LoadResult | null = null;
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
      const result = await load.call<LoadResult>(command, runTimeoutMs(count));
      if (result.firstProblem) throw new Error(`${mode}: ${result.firstProblem}`);
      await waitForDeliveries(stack.sandbox.apns, `${idPrefix}-`, count);
      stack.sandbox.apns.reset();
      return result;
    };
    await run(`${mode}-warmup`, warmup);
    const from = Date.now();
    http = await run(`${mode}-run`, n);
    window = { from, to: Date.now() };
  } finally {
    await load.close();
    await stack.close();
  }
  const out = [
    `=== ${mode}: ${n} pushes, ${concurrency} in flight, ${http.ratePerS} req/s answered (p50 ${http.latency.p50Ms} ms, p99 ${http.latency.p99Ms} ms) ===`,
  ];
  for (const service of [stack.ingest, ...stack.workers]) out.push(summarizeService(service, window, n, top));
  return out.join('\n\n');
}

function summarizeService(service: BenchService, window: { from: number; to: number }, n: number, top: number): string {
  const sub = service.profileDir!;
  const files = readdirSync(sub).filter((f) => f.endsWith('.cpuprofile'));
  if (files.length === 0) return `${service.role}: no profile written in ${sub}`;
  const file = join(sub, files[0]!);
  const measured = { fromMs: window.from - service.spawnedAt, toMs: window.to - service.spawnedAt };
  const summary = summarizeProfile(readProfile(file), measured);
  return [
    formatSummary(`${service.role} (pid ${service.pid}, ${file})`, summary, top, n),
    formatBuckets(`${service.role} by part`, bucketProfile(file, measured), n),
  ].join('\n');
}

async function main(): Promise<void> {
  const params = readBenchParams(process.env);
  const modes = (process.env.BENCH_PROFILE_MODES ?? 'async,sync').split(',') as Mode[];
  const dir = process.env.BENCH_PROFILE_DIR || mkdtempSync(join(tmpdir(), 'pushwire-profile-'));
  const top = Number(process.env.BENCH_PROFILE_TOP ?? 25);
  for (const mode of modes) {
    process.stdout.write(`${await profileMode(mode, params.n, params.warmup, params.concurrency, top, dir)}\n\n`);
  }
  process.stderr.write(`profiles in ${dir}\n`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    process.stderr.write(
      `profile failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  },
);
