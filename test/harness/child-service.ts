// Runs `pushwire <command>` as a child process and waits for a line announcing readiness.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const MAIN = fileURLToPath(new URL('../../services/pushwire/src/main.ts', import.meta.url));
const TSX = fileURLToPath(new URL('../../node_modules/.bin/tsx', import.meta.url));

export interface ChildService {
  readonly process: ChildProcess;
  /** Everything the child wrote so far (JSON log lines and banners). */
  output(): string;
  /** Resolves when the output contains `text`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** SIGTERM, resolve with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export function spawnPushwire(args: string[], env: NodeJS.ProcessEnv): ChildService {
  const child = spawn(TSX, [MAIN, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    out += d.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', (err) => {
      out += `\nspawn failed: ${err.message}\n`;
      resolve(null);
    });
  });

  return {
    process: child,
    output: () => out,
    waitFor(text, timeoutMs = 30_000) {
      const matches = () => (typeof text === 'string' ? out.includes(text) : text.test(out));
      if (matches()) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`child did not print ${String(text)} within ${timeoutMs} ms; output:\n${out.slice(-4000)}`));
        }, timeoutMs);
        const check = () => {
          if (matches()) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve();
          }
        };
        listeners.add(check);
        void exited.then((code) => {
          if (!matches() && listeners.has(check)) {
            clearTimeout(timer);
            listeners.delete(check);
            reject(new Error(`child exited (${code}) before printing ${String(text)}; output:\n${out.slice(-4000)}`));
          }
        });
      });
    },
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
