// Summarises a V8 .cpuprofile (node --cpu-prof): the top functions by self time and the time per package,
// optionally per push. CLI: `tsx test/bench/cpuprofile-top.ts FILE.cpuprofile [--top 25] [--per N]`.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileLine {
  name: string;
  selfMs: number;
  share: number;
}

export interface ProfileSummary {
  /** Wall time the profile covers, ms. */
  totalMs: number;
  /** Sampled time not idle, ms: what the process spent on the CPU (approximately). */
  busyMs: number;
  functions: ProfileLine[];
  packages: ProfileLine[];
}

/** Pseudo-frames V8 reports besides JavaScript functions. */
const IDLE = '(idle)';

/** A part of the profile, in ms since it started (e.g. only the measured run, not startup and warm-up). */
export interface ProfileWindow {
  fromMs: number;
  toMs: number;
}

export function summarizeProfile(profile: CpuProfile, window?: ProfileWindow, root = process.cwd()): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i]!;
    at += profile.timeDeltas[i] ?? 0;
    if (window && (at < window.fromMs * 1000 || at > window.toMs * 1000)) continue;
    // The time until the next sample is what this one stands for (as DevTools attributes it).
    const delta = profile.timeDeltas[i + 1] ?? 0;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, delta));
  }
  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let busyUs = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const name = frameName(frame, root);
    functions.set(name, (functions.get(name) ?? 0) + us);
    if (frame.functionName !== IDLE) busyUs += us;
    const pkg = packageOf(frame);
    packages.set(pkg, (packages.get(pkg) ?? 0) + us);
  }
  const lines = (m: Map<string, number>) =>
    [...m]
      .filter(([name]) => name !== IDLE)
      .sort((a, b) => b[1] - a[1])
      .map(([name, us]) => ({
        name,
        selfMs: round(us / 1000),
        share: busyUs > 0 ? Math.round((us / busyUs) * 1000) / 10 : 0,
      }));
  const totalMs = window
    ? Math.min(window.toMs, (profile.endTime - profile.startTime) / 1000) - window.fromMs
    : (profile.endTime - profile.startTime) / 1000;
  return {
    totalMs: round(totalMs),
    busyMs: round(busyUs / 1000),
    functions: lines(functions),
    packages: lines(packages),
  };
}

/** The summary as text: top functions and packages by self time; with `perPush`, µs per push as well. */
export function formatSummary(title: string, s: ProfileSummary, top = 25, perPush?: number): string {
  const per = (ms: number) => (perPush ? `  ${((ms * 1000) / perPush).toFixed(1).padStart(7)} µs/push` : '');
  const out = [
    `${title}: ${s.busyMs} ms on CPU of ${s.totalMs} ms profiled${perPush ? ` (${((s.busyMs * 1000) / perPush).toFixed(0)} µs per push over ${perPush} pushes)` : ''}`,
  ];
  out.push('  self ms   share  function');
  for (const f of s.functions.slice(0, top))
    out.push(
      `  ${f.selfMs.toFixed(1).padStart(7)}  ${`${f.share.toFixed(1)}%`.padStart(6)}  ${f.name}${per(f.selfMs)}`,
    );
  out.push('  by package (self time):');
  for (const p of s.packages.slice(0, 15))
    out.push(
      `  ${p.selfMs.toFixed(1).padStart(7)}  ${`${p.share.toFixed(1)}%`.padStart(6)}  ${p.name}${per(p.selfMs)}`,
    );
  return out.join('\n');
}

function frameName(frame: CallFrame, root: string): string {
  if (!frame.url) return frame.functionName || '(anonymous)';
  const where = frame.url.startsWith('file://') ? relative(root, new URL(frame.url).pathname) : frame.url;
  // Library paths from the package name on; this repository's (or another checkout's) from services/ or packages/.
  const shortWhere = where
    .replace(/^.*node_modules\/\.pnpm\/[^/]+\/node_modules\//, '')
    .replace(/^.*?\/?((services|packages)\/)/, '$1');
  return `${frame.functionName || '(anonymous)'} ${shortWhere}:${frame.lineNumber + 1}`;
}

/** `node_modules/<pkg>`, a workspace package, Node's own code (`node:`), or a pseudo-frame (GC, program). */
function packageOf(frame: CallFrame): string {
  const url = frame.url;
  if (!url) return frame.functionName;
  if (url.startsWith('node:')) return 'node: (Node.js built-ins)';
  const pnpm = /node_modules\/\.pnpm\/[^/]+\/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pnpm) return pnpm[1]!;
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (nm) return nm[1]!;
  const own = /\/(packages|services)\/([^/]+)\//.exec(url);
  return own ? `@pushwire/${own[2]}` : url;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

export function readProfile(file: string): CpuProfile {
  return JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const option = (name: string) => {
    const i = args.indexOf(name);
    return i >= 0 ? Number(args.splice(i, 2)[1]) : undefined;
  };
  const top = option('--top') ?? 25;
  const per = option('--per');
  for (const file of args)
    process.stdout.write(`${formatSummary(file, summarizeProfile(readProfile(file)), top, per)}\n\n`);
}
