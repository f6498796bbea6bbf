// Startup of the compiled build (plain node on dist/) next to the TypeScript sources under tsx: time from
// spawning `pushwire start` on a configuration to ingest answering GET /, and resident memory at that moment.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startLocalRedis } from '../../services/pushwire/src/local-redis.js';
import { startSandbox } from '@pushwire/sandbox-emulators';
import { withCleanup } from './cleanup.js';
import type { BenchParams } from './params.js';
import { sampleProcess } from './proc-stats.js';

const COMPILED_MAIN = fileURLToPath(new URL('../../services/pushwire/dist/main.js', import.meta.url));
const SOURCE_MAIN = fileURLToPath(new URL('../../services/pushwire/src/main.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(new URL('../../package.json', import.meta.url)).resolve('tsx')).href;
/** A start that takes longer than this is a failure, not a figure. */
const START_TIMEOUT_MS = 60_000;

export type StartupVariant = 'compiled' | 'tsx';

/** The median and the spread of one figure over the measured starts. */
export interface Spread {
  median: number;
  min: number;
  max: number;
}

export interface StartupFigures {
  /** Spawn → the first `GET /` answered, ms. */
  readyMs: Spread;
  /** VmRSS right after that answer, MB. */
  rssMb: Spread;
}

export interface StartupScenario {
  /** Measured starts per variant (after one unmeasured start each, which also warms tsx's cache). */
  runs: number;
  compiled: StartupFigures;
  tsx: StartupFigures;
}

/** Node's arguments for `pushwire <args>` in each variant; the process is the service itself (no relay). */
function commandLine(variant: StartupVariant, args: string[]): string[] {
  return variant === 'compiled'
    ? [COMPILED_MAIN, ...args]
    : ['--conditions=pushwire-source', '--import', TSX_LOADER, SOURCE_MAIN, ...args];
}

export function runStartup(params: BenchParams, workDir: string): Promise<StartupScenario> {
  if (!existsSync(COMPILED_MAIN))
    throw new Error(`${COMPILED_MAIN} is missing: run \`pnpm build\` (\`pnpm bench\` does)`);
  return withCleanup(async (defer) => {
    const redis = await startLocalRedis({ dir: join(workDir, 'redis-startup') });
    defer('startup redis-server', () => redis.stop());
    // A normal configuration (the emulators' apps): the started process is not a sandbox.
    const sandbox = await startSandbox({ dir: join(workDir, 'config-startup') });
    defer('startup emulators', () => sandbox.close());
    const args = ['start', '--config_dir', sandbox.configDir, '--ip', '127.0.0.1', '--port', '0'];
    const env = { ...process.env, REDIS_URL: redis.url, PUSHWIRE_HOME: join(workDir, 'home-startup') };
    const samples: Record<StartupVariant, Array<{ readyMs: number; rssMb: number }>> = { compiled: [], tsx: [] };
    // Alternating, so that whatever else the machine does weighs on both alike.
    for (let run = 0; run <= params.startupRuns; run++) {
      for (const variant of ['compiled', 'tsx'] as const) {
        const sample = await startOnce(commandLine(variant, args), env);
        if (run > 0) samples[variant].push(sample);
      }
    }
    return { runs: params.startupRuns, compiled: figures(samples.compiled), tsx: figures(samples.tsx) };
  });
}

/** One start: spawn, wait for the listening line, GET /, sample /proc, then a graceful stop (exit code 0). */
async function startOnce(nodeArgs: string[], env: NodeJS.ProcessEnv): Promise<{ readyMs: number; rssMb: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, nodeArgs, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let output = '';
  let code: number | null = null;
  let figures: { readyMs: number; rssMb: number };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`pushwire did not listen within ${START_TIMEOUT_MS} ms:\n${output.slice(-2000)}`)),
        START_TIMEOUT_MS,
      );
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /Pushwire ingest listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match?.[1]) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      void exited.then((code) => {
        clearTimeout(timer);
        reject(new Error(`pushwire exited (${code}) before listening:\n${output.slice(-2000)}`));
      });
    });
    const answer = await fetch(`${url}/`);
    await answer.arrayBuffer();
    const readyMs = performance.now() - started;
    if (answer.status !== 200) throw new Error(`GET / answered ${answer.status}`);
    const { rssMb } = sampleProcess(child.pid ?? -1);
    figures = { readyMs: Math.round(readyMs), rssMb: Math.round(rssMb * 10) / 10 };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    code = await exited;
    process.removeListener('exit', killOnExit);
  }
  if (code !== 0) throw new Error(`pushwire stopped with exit code ${code}:\n${output.slice(-2000)}`);
  return figures;
}

function figures(samples: Array<{ readyMs: number; rssMb: number }>): StartupFigures {
  return { readyMs: spread(samples.map((s) => s.readyMs)), rssMb: spread(samples.map((s) => s.rssMb)) };
}

function spread(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length / 2;
  // An even count takes the mean of the two middle values.
  const median =
    sorted.length % 2
      ? (sorted[Math.floor(middle)] ?? Number.NaN)
      : ((sorted[middle - 1] ?? Number.NaN) + (sorted[middle] ?? Number.NaN)) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN };
}
