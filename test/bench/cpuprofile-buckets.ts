// Where a service's CPU goes, by job rather than by function: every sample of a .cpuprofile is charged to the
// first frame, from the stack's root down, that belongs to a known part (BullMQ, the HTTP server, logging ...).
// CLI: `tsx test/bench/cpuprofile-buckets.ts FILE.cpuprofile [--per N] [--from MS --to MS]`.
import type { ProfileWindow } from './cpuprofile-top.js';
import { readProfile } from './cpuprofile-top.js';

interface Node {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

/**
 * Specific parts: the first frame from the root that matches one takes the sample (so what BullMQ does with
 * ioredis counts as BullMQ). A sample under none of them goes to the generic part of its innermost frame.
 */
const PARTS: ReadonlyArray<[string, RegExp]> = [
  ['logging (pino, redaction, stdout)', /\/(pino|sonic-boom|@pinojs)\/|packages\/logging\//],
  ['metrics (prom-client)', /prom-client/],
  ['call history (Redis script)', /packages\/queue\/[^/]+\/call-history|admin\/record-accepted/],
  ['result publish (Redis script)', /packages\/queue\/[^/]+\/result-(channel|listener)/],
  ['cancel marks (Redis MGET)', /packages\/queue\/[^/]+\/cancel-marks/],
  ['job id (canonical JSON, SHA-256)', /packages\/queue\/[^/]+\/job-id/],
  ['BullMQ (add / fetch, finish, locks)', /\/bullmq\//],
  ['APNs send (http2-wrapper, node:http2, TLS)', /packages\/apns\/|http2-wrapper|node:internal\/http2/],
  ['push payload (app type)', /packages\/apps\//],
  ['request validation', /packages\/core\/[^/]+\/validation\//],
];

const GENERIC: ReadonlyArray<[string, RegExp]> = [
  ['HTTP server (node:http, Hono)', /node:_http_|@hono\/node-server|\/hono\/dist\//],
  ['Redis client (ioredis: commands, replies)', /\/ioredis\/|@ioredis|standard-as-callback|denque|cluster-key-slot/],
  ['Pushwire code (ingest, worker, queue)', /\/(services|packages)\/[^/]+\/dist\//],
];

const PSEUDO = new Set(['(garbage collector)', '(program)', '(idle)']);

export function bucketProfile(file: string, window?: ProfileWindow): Map<string, number> {
  const profile = readProfile(file) as unknown as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const partOf = new Map<number, string>();
  const classify = (id: number): string => {
    const known = partOf.get(id);
    if (known !== undefined) return known;
    const frames: Node[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at)!);
    const leaf = frames[0]!.callFrame.functionName;
    let part = PSEUDO.has(leaf) ? leaf : 'other (streams, event loop, Node internals)';
    if (!PSEUDO.has(leaf)) {
      const match = (list: typeof PARTS, order: Node[]) => {
        for (const frame of order)
          for (const [name, pattern] of list) if (pattern.test(frame.callFrame.url)) return name;
        return undefined;
      };
      part = match(PARTS, [...frames].reverse()) ?? match(GENERIC, frames) ?? part;
    }
    partOf.set(id, part);
    return part;
  };
  const totals = new Map<string, number>();
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.fromMs * 1000 || at > window.toMs * 1000)) continue;
    const part = classify(profile.samples[i]!);
    totals.set(part, (totals.get(part) ?? 0) + Math.max(0, profile.timeDeltas[i + 1] ?? 0));
  }
  totals.delete('(idle)');
  return totals;
}

export function formatBuckets(title: string, totals: Map<string, number>, perPush?: number): string {
  const busy = [...totals.values()].reduce((a, b) => a + b, 0);
  const lines = [
    `${title}: ${(busy / 1000).toFixed(0)} ms on CPU${perPush ? `, ${(busy / perPush).toFixed(0)} µs per push` : ''}`,
  ];
  for (const [name, us] of [...totals].sort((a, b) => b[1] - a[1])) {
    const per = perPush ? `${(us / perPush).toFixed(1).padStart(7)} µs/push  ` : '';
    lines.push(`  ${per}${((us / busy) * 100).toFixed(1).padStart(5)}%  ${name}`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args.splice(i, 2)[1]) : undefined;
  };
  const per = option('--per');
  const from = option('--from');
  const to = option('--to');
  const window = from !== undefined && to !== undefined ? { fromMs: from, toMs: to } : undefined;
  for (const file of args) process.stdout.write(`${formatBuckets(file, bucketProfile(file, window), per)}\n\n`);
}
