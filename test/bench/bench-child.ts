// Runs one of the bench's TypeScript load generators as its own process and calls it over JSON lines.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { REPLY_MARK, type BenchReply } from './child-rpc.js';

// Node runs the script with tsx's loader directly (no `tsx` relay process), so `pid` is the generator itself:
// its /proc figures are its own, and a kill reaches it.
const TSX_LOADER = pathToFileURL(createRequire(new URL('../../package.json', import.meta.url)).resolve('tsx')).href;

/** A bound on one run, only to turn a hang into an error: 60 s plus 20 ms per operation. */
export function runTimeoutMs(operations: number): number {
  return 60_000 + operations * 20;
}

export interface BenchChild {
  readonly pid: number;
  /** Sends one command; rejects with the child's error, when it exits, or after `timeoutMs`. */
  call<R>(command: object, timeoutMs: number): Promise<R>;
  /** Asks the child to finish (closes its stdin), SIGKILL after 10 s. */
  close(): Promise<void>;
}

interface Pending {
  resolve: (result: unknown) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/** Starts `script` (a file in this folder) and resolves once it announced it is ready. */
export async function startBenchChild(script: string, env: NodeJS.ProcessEnv = {}): Promise<BenchChild> {
  const path = fileURLToPath(new URL(script, import.meta.url));
  const child = spawn(process.execPath, ['--conditions=pushwire-source', '--import', TSX_LOADER, path], {
    env: { ...process.env, ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-8000);
  });
  const pending = new Map<number, Pending>();
  const failAll = (error: Error) => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      pending.delete(id);
      p.reject(error);
    }
  };
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      process.removeListener('exit', killOnExit);
      failAll(new Error(`${script} exited (${code ?? signal}) ${stderr.trim() ? `:\n${stderr.trim()}` : ''}`));
      resolve();
    });
    child.once('error', (error) => failAll(new Error(`${script} could not start: ${error.message}`)));
  });
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!line.startsWith(REPLY_MARK)) return;
    const message = JSON.parse(line.slice(REPLY_MARK.length)) as BenchReply;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    clearTimeout(waiter.timer);
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(`${script}: ${message.error ?? 'failed'}`));
  });

  let nextId = 0;
  const expect = (id: number, timeoutMs: number) =>
    new Promise<unknown>((resolve, reject) => {
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${script} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      pending.set(id, { resolve, reject, timer });
    });
  const ready = expect(nextId++, 30_000);
  try {
    await ready;
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  return {
    pid: child.pid ?? -1,
    async call<R>(command: object, timeoutMs: number): Promise<R> {
      const id = nextId++;
      const answer = expect(id, timeoutMs);
      child.stdin.write(`${JSON.stringify({ id, command })}\n`);
      return (await answer) as R;
    },
    async close() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.stdin.end();
      await exited;
      clearTimeout(timer);
    },
  };
}
