// Memory and CPU time of a process, read from /proc (Linux): what a benchmark reports besides speed.
import { readFileSync } from 'node:fs';

/** One look at a process. */
export interface ProcessSample {
  /** VmRSS: resident memory now, MB. */
  rssMb: number;
  /** VmHWM: the highest resident memory since the process started, MB. */
  peakRssMb: number;
  /** User + system CPU time consumed since the process started, s (10 ms resolution). */
  cpuS: number;
}

/** What a process used during one measured run. */
export interface ProcessUsage {
  rssStartMb: number;
  rssEndMb: number;
  peakRssMb: number;
  /** CPU time spent during the run, s. */
  cpuS: number;
}

/**
 * Clock ticks per second in /proc/<pid>/stat. The kernel exports USER_HZ, which is 100 on every Linux
 * architecture Node supports (sysconf(_SC_CLK_TCK)); Node has no API to ask.
 */
const USER_HZ = 100;

export function sampleProcess(pid: number): ProcessSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return {
    rssMb: kbField(status, 'VmRSS') / 1024,
    peakRssMb: kbField(status, 'VmHWM') / 1024,
    cpuS: processCpuSeconds(pid),
  };
}

export function usageBetween(start: ProcessSample, end: ProcessSample): ProcessUsage {
  return {
    rssStartMb: round1(start.rssMb),
    rssEndMb: round1(end.rssMb),
    peakRssMb: round1(end.peakRssMb),
    cpuS: Math.round((end.cpuS - start.cpuS) * 100) / 100,
  };
}

/** `process.cpuUsage()` (µs) in seconds, as {@link ProcessUsage.cpuS}. */
export function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return Math.round((usage.user + usage.system) / 10_000) / 100;
}

function kbField(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+)\\s+kB$`, 'm').exec(status);
  if (!match?.[1]) throw new Error(`no ${name} in /proc status`);
  return Number(match[1]);
}

function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) is in parentheses and may contain spaces: count fields after its end.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line, 12 and 13 after the name.
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error(`unreadable /proc/${pid}/stat`);
  return (utime + stime) / USER_HZ;
}

function round1(mb: number): number {
  return Math.round(mb * 10) / 10;
}
