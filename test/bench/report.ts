// Turns the results into the printed tables (one per scenario) and the "x = r× baseline" comparisons.
import type { LatencySummary } from './latency.js';
import type { BenchResults, Comparison, PushwireScenario } from './results.js';
import type { ProcessUsage } from './proc-stats.js';
import type { Spread, StartupFigures } from './scenario-startup.js';

type Scenarios = BenchResults['scenarios'];

/** Every ratio the report prints, in the order it prints them. */
export function compare(s: Scenarios): Comparison[] {
  const a = s.bullmqNoop;
  const b = s.apnsDirect.requests;
  const c = s.pushwireAsync;
  const d = s.pushwireSync;
  const e = s.pushwireV2;
  const ratio = (key: string, subject: string, value: number, baseline: string, baselineValue: number): Comparison => ({
    key,
    subject,
    value,
    baseline,
    baselineValue,
    ratio: Math.round((value / baselineValue) * 100) / 100,
  });
  return [
    ratio(
      'asyncAnswerRate',
      'Pushwire async 202 rate (req/s)',
      c.http.ratePerS,
      'raw BullMQ add rate (jobs/s)',
      a.add.ratePerS,
    ),
    ratio(
      'asyncAnswerP50',
      'Pushwire async 202 p50 (ms)',
      c.http.latency.p50Ms,
      'raw BullMQ add p50 (ms)',
      a.add.latency.p50Ms,
    ),
    ratio(
      'asyncAnswerP99',
      'Pushwire async 202 p99 (ms)',
      c.http.latency.p99Ms,
      'raw BullMQ add p99 (ms)',
      a.add.latency.p99Ms,
    ),
    ratio(
      'asyncDeliveryRate',
      'Pushwire async delivery rate (pushes/s)',
      c.delivery.ratePerS,
      'raw BullMQ no-op completed rate (jobs/s)',
      a.completed.ratePerS,
    ),
    ratio('syncRate', 'Pushwire sync rate (req/s)', d.http.ratePerS, 'APNs emulator direct rate (req/s)', b.ratePerS),
    ratio('syncP50', 'Pushwire sync p50 (ms)', d.http.latency.p50Ms, 'APNs emulator direct p50 (ms)', b.latency.p50Ms),
    ratio('syncP99', 'Pushwire sync p99 (ms)', d.http.latency.p99Ms, 'APNs emulator direct p99 (ms)', b.latency.p99Ms),
    ratio('v2Rate', 'Pushwire v2 rate (pushes/s)', e.http.ratePerS, 'Pushwire sync v1 rate (req/s)', d.http.ratePerS),
    ratio('v2P50', 'Pushwire v2 p50 (ms)', e.http.latency.p50Ms, 'Pushwire sync v1 p50 (ms)', d.http.latency.p50Ms),
    ratio('v2P99', 'Pushwire v2 p99 (ms)', e.http.latency.p99Ms, 'Pushwire sync v1 p99 (ms)', d.http.latency.p99Ms),
    ratio(
      'v2DeliveryRate',
      'Pushwire v2 deliveries (pushes/s)',
      e.delivery.ratePerS,
      'APNs emulator direct rate (req/s)',
      b.ratePerS,
    ),
    ratio(
      'twoWorkersDeliveryRate',
      'Pushwire async, 2 workers: delivery rate (pushes/s)',
      s.pushwireAsyncTwoWorkers.delivery.ratePerS,
      'Pushwire async, 1 worker (pushes/s)',
      c.delivery.ratePerS,
    ),
    ratio(
      'startupTime',
      'compiled start → GET / (ms, median)',
      s.startup.compiled.readyMs.median,
      'tsx start → GET / (ms, median)',
      s.startup.tsx.readyMs.median,
    ),
    ratio(
      'startupRss',
      'compiled RSS after start (MB, median)',
      s.startup.compiled.rssMb.median,
      'tsx RSS after start (MB, median)',
      s.startup.tsx.rssMb.median,
    ),
  ];
}

export function formatReport(r: BenchResults): string {
  const s = r.scenarios;
  const ratios = new Map(r.comparisons.map((c) => [c.key, c.ratio]));
  const x = (key: string, label = '') => `${(ratios.get(key) ?? Number.NaN).toFixed(2)}×${label ? ` ${label}` : ''}`;
  const { n, concurrency, warmup } = r.params;
  const m = r.machine;
  const out: string[] = [
    `Pushwire benchmarks — ${r.date}`,
    `${m.cpus} cores (${m.cpuModel}), ${m.memoryGb} GiB, Node ${m.node}, Linux ${m.kernel}, load average ${m.loadAverageAtStart} at start`,
    `N = ${n} per measured run (after ${warmup} warm-up), ${concurrency} in flight; ratios: rate < 1× is slower, latency > 1× is slower`,
    '',
  ];
  const a = s.bullmqNoop;
  out.push(
    `A. Raw BullMQ no-op pipeline (one process: Queue.add, ${concurrency} in flight → Worker, concurrency ${a.workerConcurrency})`,
    ...table([
      row('add', a.add.ratePerS, 'jobs/s', a.add.latency, 'baseline'),
      row('add → completed', a.completed.ratePerS, 'jobs/s', a.completed.latency, 'baseline'),
    ]),
    `   memory  ${usage('BullMQ process', a.process)}; cpu ${a.process.cpuS} s (${perPush(a.process.cpuS, n)}, add and process together)`,
    '',
  );
  const b = s.apnsDirect;
  out.push(
    `B. APNs emulator alone (direct HTTP/2 client, one session, ${concurrency} streams in flight, token auth)`,
    ...table([row('requests', b.requests.ratePerS, 'req/s', b.requests.latency, 'baseline')]),
    `   cpu     client ${b.client.cpuS} s (${perPush(b.client.cpuS, n)}), emulator ${b.emulatorCpuS} s (${perPush(b.emulatorCpuS, n)})`,
    '',
  );
  const c = s.pushwireAsync;
  out.push(
    `C. Pushwire async (return_async = false): POST /push → 202, the worker delivers`,
    ...table([
      row(
        '202 answers',
        c.http.ratePerS,
        'req/s',
        c.http.latency,
        `${x('asyncAnswerRate', 'A add')}; p50 ${x('asyncAnswerP50')}, p99 ${x('asyncAnswerP99')}`,
      ),
      row('delivery', c.delivery.ratePerS, 'pushes/s', null, x('asyncDeliveryRate', 'A no-op completed')),
    ]),
    ...pushwireFooter(c),
    '',
  );
  const d = s.pushwireSync;
  out.push(
    `D. Pushwire sync (default): POST /push answered with APNs' result`,
    ...table([
      row(
        '200 answers',
        d.http.ratePerS,
        'req/s',
        d.http.latency,
        `${x('syncRate', 'B')}; p50 ${x('syncP50')}, p99 ${x('syncP99')}`,
      ),
    ]),
    ...pushwireFooter(d),
    '',
  );
  const e = s.pushwireV2;
  out.push(
    `E. Pushwire v2 fan-out (sync): POST /v2/tokens/{account}/push, ${e.devicesPerAccount} Apple devices per account`,
    ...table([
      row(
        '200 answers',
        e.http.ratePerS,
        'pushes/s',
        e.http.latency,
        `${x('v2Rate', 'D')}; p50 ${x('v2P50')}, p99 ${x('v2P99')}`,
      ),
      row('deliveries', e.delivery.ratePerS, 'pushes/s', null, x('v2DeliveryRate', 'B')),
    ]),
    ...pushwireFooter(e),
    '',
  );
  const g = s.pushwireOpenLoop;
  const statusList = Object.entries(g.statuses)
    .map(([code, count]) => `${count} × ${code}`)
    .join(', ');
  out.push(
    `G. Pushwire sync open loop: POST /push at ${g.targetRatePerS} req/s for ${g.count} requests, timed from each one's due time`,
    `   started at ${g.startedRatePerS.toLocaleString('en-US')} req/s (generator lag ≤ ${ms(g.maxStartLagMs)}), answered ${g.answeredRatePerS.toLocaleString('en-US')} req/s: ${statusList}`,
    `   latency p50 ${ms(g.latency.p50Ms)}, p99 ${ms(g.latency.p99Ms)}, max ${ms(g.latency.maxMs)}`,
    `   cpu     ingest ${g.ingest.cpuS} s (${perPush(g.ingest.cpuS, g.count)}), worker ${g.worker.cpuS} s (${perPush(g.worker.cpuS, g.count)})`,
    '',
  );
  const h = s.pushwireAsyncTwoWorkers;
  out.push(
    `H. Pushwire async with 2 worker processes (C's load)`,
    ...table([row('delivery', h.delivery.ratePerS, 'pushes/s', null, x('twoWorkersDeliveryRate', 'C (1 worker)'))]),
    ...pushwireFooter(h),
    `   workers ${(h.processes.workers ?? []).map((w, i) => `#${i + 1} ${w.cpuS} s cpu, RSS peak ${w.peakRssMb} MB`).join('; ')}`,
    '',
  );
  const i = s.backlog;
  out.push(
    `I. Backlog: ${i.count.toLocaleString('en-US')} pushes accepted by ingest alone, then drained by one worker`,
    `   fill    ${i.fill.ratePerS.toLocaleString('en-US')} req/s (202), ingest ${perPush(i.fill.ingest.cpuS, i.count)}`,
    `   redis   ${i.redis.usedMemoryBeforeMb} → ${i.redis.usedMemoryAfterMb} MB: ${i.redis.bytesPerWaitingPush.toLocaleString('en-US')} bytes per waiting push ` +
      `(job hash ${i.redis.jobHashBytes} B, call history ${i.redis.callHistoryBytes} B, plus lists, indexes, events)`,
    `   drain   ${i.drain.ratePerS.toLocaleString('en-US')} pushes/s; worker RSS ${i.drain.workerRssAtStartMb} MB with all waiting, ` +
      `median ${i.drain.workerMedianRssMb} MB and peak ${i.drain.workerPeakRssMb} MB while draining, ` +
      `cpu ${perPush(i.drain.worker.cpuS, i.drain.delivered)}`,
    '',
  );
  const f = s.startup;
  out.push(
    `F. Startup: \`pushwire start\` on a config, spawn → GET / answered, RSS then; median (min–max) of ${f.runs} starts each`,
    `   compiled (plain node, dist/)  ${startupLine(f.compiled)}`,
    `   sources under tsx             ${startupLine(f.tsx)}`,
    `   compiled / tsx                time ${x('startupTime')}, RSS ${x('startupRss')}`,
  );
  out.push('', 'Targets, from this run:');
  for (const t of r.targets)
    out.push(`   ${t.met ? 'met    ' : 'NOT MET'}  ${t.name}: ${t.value} (target ${t.target})`);
  return out.join('\n');
}

function perPush(cpuS: number, count: number): string {
  return `${((cpuS * 1000) / Math.max(1, count)).toFixed(3)} ms/push`;
}

interface Row {
  name: string;
  rate: string;
  unit: string;
  p50: string;
  p99: string;
  versus: string;
}

function row(name: string, rate: number, unit: string, latency: LatencySummary | null, versus: string): Row {
  return {
    name,
    rate: rate.toLocaleString('en-US'),
    unit,
    p50: latency ? `p50 ${ms(latency.p50Ms)}` : '',
    p99: latency ? `p99 ${ms(latency.p99Ms)}` : '',
    versus,
  };
}

function table(rows: Row[]): string[] {
  const width = (k: keyof Row) => Math.max(...rows.map((r) => r[k].length));
  const w = { name: width('name'), rate: width('rate'), unit: width('unit'), p50: width('p50'), p99: width('p99') };
  return rows.map((r) =>
    `   ${r.name.padEnd(w.name)}  ${r.rate.padStart(w.rate)} ${r.unit.padEnd(w.unit)}  ${r.p50.padEnd(w.p50)}  ${r.p99.padEnd(w.p99)}  ${r.versus}`.trimEnd(),
  );
}

function pushwireFooter(p: PushwireScenario): string[] {
  const { ingest, worker, loadGenerator, redis } = p.processes;
  // Per delivery (a v2 push makes one per device): what one more costs each service, whatever the core count.
  const per = (cpuS: number) => `${((cpuS * 1000) / p.delivery.delivered).toFixed(3)} ms/delivery`;
  const lines = [
    `   memory  ${usage('ingest', ingest)}; ${usage('worker', worker)}`,
    `   cpu     ingest ${ingest.cpuS} s (${per(ingest.cpuS)}), worker ${worker.cpuS} s (${per(worker.cpuS)}), ` +
      `load generator ${loadGenerator.cpuS} s (${per(loadGenerator.cpuS)}), emulator ${p.emulatorCpuS} s (${per(p.emulatorCpuS)}), ` +
      `redis ${redis.cpuS} s (${per(redis.cpuS)})`,
  ];
  const extra = p.delivery.arrivals - p.delivery.expected;
  if (extra > 0)
    lines.push(`   note    the emulator saw ${extra} request(s) beyond one per push (retries or duplicates)`);
  return lines;
}

function usage(name: string, u: ProcessUsage): string {
  return `${name} RSS ${u.rssStartMb} → ${u.rssEndMb} MB (peak ${u.peakRssMb})`;
}

function startupLine(figures: StartupFigures): string {
  const range = (v: Spread, unit: string) => `${v.median} ${unit} (${v.min}–${v.max})`;
  return `${range(figures.readyMs, 'ms').padEnd(22)} RSS ${range(figures.rssMb, 'MB')}`;
}

function ms(value: number): string {
  return `${value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : Math.round(value)} ms`;
}
