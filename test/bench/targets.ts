// The benchmark targets, checked against one run's figures (ratios always within the same run).
import type { BenchResults, PushwireScenario, TargetCheck } from './results.js';

type Scenarios = BenchResults['scenarios'];

/** CPU per delivered push of one service in a scenario, ms. */
export function cpuMsPerDelivery(p: PushwireScenario, service: 'ingest' | 'worker'): number {
  return Math.round(((p.processes[service].cpuS * 1000) / Math.max(1, p.delivery.delivered)) * 1000) / 1000;
}

export function checkTargets(s: Scenarios): TargetCheck[] {
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
  const asyncRatio = ratio(s.pushwireAsync.delivery.ratePerS, s.bullmqNoop.completed.ratePerS);
  const open = s.pushwireOpenLoop;
  return [
    {
      name: 'C async delivered / A raw BullMQ no-op completed (×)',
      value: asyncRatio,
      target: '≥ 0.5 (stretch 0.8)',
      met: asyncRatio >= 0.5,
    },
    {
      name: 'D sync answers / B APNs emulator direct (×)',
      value: ratio(s.pushwireSync.http.ratePerS, s.apnsDirect.requests.ratePerS),
      target: '≥ 0.6',
      met: ratio(s.pushwireSync.http.ratePerS, s.apnsDirect.requests.ratePerS) >= 0.6,
    },
    {
      name: `G sync p99 open loop at ${open.targetRatePerS} req/s (ms; ${open.statuses['200'] ?? 0} of ${open.count} answered 200)`,
      value: open.latency.p99Ms,
      target: '≤ 15',
      met: open.latency.p99Ms <= 15 && (open.statuses['200'] ?? 0) === open.count,
    },
    {
      name: 'C ingest CPU per delivered push (ms)',
      value: cpuMsPerDelivery(s.pushwireAsync, 'ingest'),
      target: '≤ 0.25',
      met: cpuMsPerDelivery(s.pushwireAsync, 'ingest') <= 0.25,
    },
    {
      name: 'C worker CPU per delivered push (ms)',
      value: cpuMsPerDelivery(s.pushwireAsync, 'worker'),
      target: '≤ 0.25',
      met: cpuMsPerDelivery(s.pushwireAsync, 'worker') <= 0.25,
    },
    {
      name: `I worker RSS with ${s.backlog.count} pushes waiting, once consuming (MB)`,
      value: s.backlog.drain.workerRssAtStartMb,
      target: '≤ 150',
      met: s.backlog.drain.workerRssAtStartMb <= 150,
    },
    {
      name: `I worker peak RSS while draining them at full speed (MB)`,
      value: s.backlog.drain.workerPeakRssMb,
      target: '≤ 150',
      met: s.backlog.drain.workerPeakRssMb <= 150,
    },
  ];
}
