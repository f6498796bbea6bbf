// The two baselines, measured in the same run as Pushwire: raw BullMQ (A) and the APNs emulator alone (B).
import { join } from 'node:path';
import { startLocalRedis } from '../../services/pushwire/src/local-redis.js';
import { SANDBOX_KEY_ID, SANDBOX_TEAM_ID, startSandbox } from '@pushwire/sandbox-emulators';
import type { ApnsDirectRun } from './apns-direct.js';
import { runTimeoutMs, startBenchChild } from './bench-child.js';
import type { BullmqNoopResult, BullmqNoopRun } from './bullmq-noop.js';
import { withCleanup } from './cleanup.js';
import type { LoadResult } from './load-types.js';
import type { BenchParams } from './params.js';
import { cpuSeconds, sampleProcess, usageBetween } from './proc-stats.js';
import type { ApnsDirectScenario, BullmqNoopScenario } from './results.js';

/** Baseline A on a private Redis of its own, started and stopped for this scenario. */
export function runBullmqBaseline(params: BenchParams, workDir: string): Promise<BullmqNoopScenario> {
  return withCleanup(async (defer) => {
    const redis = await startLocalRedis({ dir: join(workDir, 'redis-baseline') });
    defer('baseline redis-server', () => redis.stop());
    const child = await startBenchChild('./bullmq-noop.ts');
    defer('BullMQ baseline process', () => child.close());
    const run = (idPrefix: string, count: number) => {
      const command: BullmqNoopRun = {
        redisUrl: redis.url,
        queueName: 'bench-noop',
        idPrefix,
        count,
        concurrency: params.concurrency,
        timeoutMs: runTimeoutMs(count),
      };
      return child.call<BullmqNoopResult>(command, runTimeoutMs(count) + 5_000);
    };
    await run('warmup', params.warmup);
    const before = sampleProcess(child.pid);
    const result = await run('run', params.n);
    const after = sampleProcess(child.pid);
    return { ...result, process: usageBetween(before, after) };
  });
}

/** Baseline B on a sandbox of its own: the same emulator code, certificates and signing key as Pushwire's. */
export function runApnsBaseline(params: BenchParams, workDir: string): Promise<ApnsDirectScenario> {
  return withCleanup(async (defer) => {
    const sandbox = await startSandbox({ dir: join(workDir, 'sandbox-baseline') });
    defer('baseline emulators', () => sandbox.close());
    const child = await startBenchChild('./apns-direct.ts');
    defer('APNs client process', () => child.close());
    const run = async (idPrefix: string, count: number) => {
      const command: ApnsDirectRun = {
        origin: sandbox.apns.origin,
        caPem: sandbox.caPem,
        keyFile: join(sandbox.configDir, 'credentials', 'sandbox-apns.p8'),
        teamId: SANDBOX_TEAM_ID,
        keyId: SANDBOX_KEY_ID,
        idPrefix,
        count,
        concurrency: params.concurrency,
      };
      const result = await child.call<LoadResult>(command, runTimeoutMs(count));
      // The emulator keeps every request; what the run needs from it is counted now, then forgotten.
      const accepted = sandbox.apns.requests.filter((r) => r.delivered).length;
      sandbox.apns.reset();
      if (accepted !== count)
        throw new Error(
          `APNs baseline: the emulator accepted ${accepted} of ${count} requests (${result.firstProblem ?? ''})`,
        );
      return result;
    };
    await run('warmup', params.warmup);
    const before = sampleProcess(child.pid);
    const emulatorBefore = process.cpuUsage();
    const requests = await run('run', params.n);
    const emulatorCpu = process.cpuUsage(emulatorBefore);
    const after = sampleProcess(child.pid);
    return { requests, client: usageBetween(before, after), emulatorCpuS: cpuSeconds(emulatorCpu) };
  });
}
